/**
 * report.html's first sentence: what became of a run's mail, every number from its summary. Legitimate
 * mail (the split by sender profile leaves forged senders out) is told first; spam, when there is any,
 * by what it cost others (backscatter). In the current language.
 */
import { t } from "../i18n/index.js";
import { human } from "./format.js";
import { num, shareOf } from "./report-text.js";
import type { ProfileCounts, Summary } from "./summary.js";

/** A count and its noun, from a plural key ("2385 legitimate messages"). */
const counted = (key: string, n: number) => t(key, { count: n, n: num(n) });

export function runVerdict(s: Summary): string {
  const sum = (k: keyof ProfileCounts) => Object.values(s.by_profile).reduce((n, p) => n + p[k], 0);
  const created = sum("created");
  if (created === 0) return s.messages.created === 0 ? t("report:verdict.noMessages") : t("report:verdict.allSpam", { n: num(s.messages.created) });
  const [direct, via, retry, bounced, queued] = [sum("delivered_direct"), sum("delivered_via_secondary"), sum("delivered_after_sender_retry"), sum("bounced"), sum("still_queued")];
  const delivered = direct + via + retry;
  const paths = [
    t("report:verdict.direct", { n: num(direct) }),
    ...(via > 0 ? [t("report:verdict.viaBackup", { n: num(via) })] : []),
    ...(retry > 0 ? [t("report:verdict.afterRetries", { n: num(retry) })] : []),
  ];
  const sent = counted("report:verdict.legitimate", created);
  const parts = [t("report:verdict.delivered", { count: delivered, n: num(delivered), sent, share: shareOf(delivered, created), paths: paths.join(", ") })];
  parts.push(bounced > 0 ? t("report:verdict.bounced", { n: num(bounced), share: shareOf(bounced, created) }) : t("report:verdict.noneBounced"));
  if (queued > 0) parts.push(counted("report:verdict.queued", queued));
  const slowest = s.latency.overall?.max_s;
  const tail = slowest !== undefined && slowest > 0 ? t("report:verdict.slowest", { duration: human(slowest) }) : "";
  const spam = s.messages.created - created;
  const spamPart =
    spam > 0 ? t("report:verdict.spam", { spam: counted("report:verdict.spamMessages", spam), dsns: counted("report:verdict.dsns", s.notifications.backscatter) }) : "";
  return `${t("report:verdict.end", { text: `${parts.join(t("report:verdict.join"))}${tail}` })}${spamPart}`;
}
