/**
 * report.html's first sentence: what became of a run's mail, every number from its summary. Legitimate
 * mail (the split by sender profile leaves forged senders out) is told first; spam, when there is any,
 * by what it cost others (backscatter).
 */
import { human } from "./format.js";
import type { ProfileCounts, Summary } from "./summary.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const pct = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : "0.0"}%`;

export function runVerdict(s: Summary): string {
  const sum = (k: keyof ProfileCounts) => Object.values(s.by_profile).reduce((n, p) => n + p[k], 0);
  const created = sum("created");
  if (created === 0) return s.messages.created === 0 ? "The run created no messages." : `Every message of this run is spam (${s.messages.created} sent).`;
  const [direct, via, retry, bounced, queued] = [sum("delivered_direct"), sum("delivered_via_secondary"), sum("delivered_after_sender_retry"), sum("bounced"), sum("still_queued")];
  const delivered = direct + via + retry;
  const paths = [
    `${direct} directly`,
    ...(via > 0 ? [`${via} through a backup MX`] : []),
    ...(retry > 0 ? [`${retry} after their senders' retries`] : []),
  ];
  const parts = [`Of ${plural(created, "legitimate message")} sent, ${delivered} (${pct(delivered, created)}) ${delivered === 1 ? "was" : "were"} delivered: ${paths.join(", ")}`];
  parts.push(bounced > 0 ? `${bounced} (${pct(bounced, created)}) bounced` : "none bounced");
  if (queued > 0) parts.push(`${queued} ${queued === 1 ? "was" : "were"} still queued when the run ended`);
  const slowest = s.latency.overall?.max_s;
  const tail = slowest !== undefined && slowest > 0 ? `; the slowest delivery took ${human(slowest)}` : "";
  const spam = s.messages.created - created;
  const spamPart = spam > 0 ? ` ${plural(spam, "spam message")} came too, and servers sent ${plural(s.notifications.backscatter, "backscatter DSN")} to forged senders.` : "";
  return `${parts.join("; ")}${tail}.${spamPart}`;
}
