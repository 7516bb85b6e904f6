/**
 * The decision page, docs/lessons/decide.md: the four setups of scenarios/decide/ under outages of
 * 4 hours, 1, 3 and 8 days, run here, and the answer to "should I run a backup MX?" read off their
 * numbers. Every number and every conclusion on the page is computed from the runs (a sentence
 * that does not hold for the numbers is not written); `npm run lessons` rewrites the page and
 * test/cli/decide.test.ts fails when it is stale.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { simulate, type RunResult } from "../core/simulate.js";
import { giveUpAfter, PROFILE_INFO } from "../core/profile.js";
import { human } from "../report/format.js";
import { delivered, mailOutcomes, type MailOutcomes } from "../report/mail-outcomes.js";
import { summarize, type Summary } from "../report/summary.js";
import { changes, verdict, type Changes } from "../report/verdict.js";
import { formatDiagnostic, loadScenario } from "../scenario/load.js";

export const DECIDE_DIR = "scenarios/decide";
export const DECIDE_PAGE = "docs/lessons/decide.md";
/** The outage lengths the page compares, and the value they replace in each file. */
export const DECIDE_OUTAGES = ["4h", "1d", "3d", "8d"] as const;
const OUTAGE_PATH = ["servers", "mail1.blyx.com", "outages", 0, "duration"];

interface Run {
  file: string;
  name: string;
  result: RunResult;
  summary: Summary;
  outcomes: MailOutcomes;
}

/** One setup under one outage length. */
function runWith(file: string, outage: string): Run {
  const doc = parseDocument(readFileSync(file, "utf8"));
  if (!doc.hasIn(OUTAGE_PATH)) throw new Error(`${file}: no ${OUTAGE_PATH.join("/")} to vary`);
  doc.setIn(OUTAGE_PATH, outage);
  const loaded = loadScenario(doc.toString(), file);
  if (!loaded.ok) throw new Error(formatDiagnostic(loaded.diagnostics[0]!));
  const result = simulate(loaded.model);
  return { file, name: loaded.model.name, result, summary: summarize(result), outcomes: mailOutcomes(result) };
}

const pct = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : "0.0"}%`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The table of one outage length: a row per setup. */
function outageTable(runs: Run[], vsBase: (Changes | undefined)[]): string[] {
  const rows = runs.map((r, i) => {
    const l = r.outcomes.legitimate;
    const c = vsBase[i];
    const spam = r.outcomes.spam;
    return [
      `\`${r.name}\``,
      `${delivered(l)} (${pct(delivered(l), l.created)})`,
      `${l.bounced}`,
      `${l.still_queued}`,
      c ? `${c.saved}` : "—",
      c ? `${c.lost}` : "—",
      c ? (c.slower.length ? `${c.slower.length} (${human(median(c.slower))})` : "0") : "—",
      `${r.summary.notifications.backscatter}`,
      `${spam?.delivered_via_secondary ?? 0}`,
    ];
  });
  return [
    "| setup | legitimate mail delivered | bounced | still queued | saved vs no backup | lost vs no backup | slower vs no backup (median) | backscatter DSNs | spam through the backup |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

/** Who bounces without a backup: "68 amazon-ses (gives up after 14h), …", largest first. */
function whoBounces(base: Run): string {
  const counts = Object.entries(base.summary.by_profile)
    .filter(([, p]) => p.bounced > 0)
    .sort(([a, x], [b, y]) => y.bounced - x.bounced || (a < b ? -1 : 1));
  const profileOf = (mta: string) => base.result.model.senders.find((s) => s.profile.mta === mta)!.profile;
  return counts.map(([mta, p]) => `${p.bounced} from ${PROFILE_INFO[mta as keyof typeof PROFILE_INFO].name} (gives up after ${human(giveUpAfter(profileOf(mta)))})`).join(", ");
}

/** The section of one outage length: its table, then what the numbers say, sentence by sentence. */
function outageSection(outage: string, runs: Run[]): string[] {
  const [base, ...others] = runs as [Run, ...Run[]];
  const vsBase = [undefined, ...others.map((r) => changes(base.result, r.result))];
  const l = base.outcomes.legitimate;
  const out = [`### mail1.blyx.com down for ${outage}`, "", ...outageTable(runs, vsBase), ""];
  const said: string[] = [];
  if (l.bounced === 0 && l.still_queued === 0) {
    said.push(`Without a backup no legitimate message is lost: every sender keeps retrying longer than ${outage}.`);
  } else {
    said.push(`Without a backup ${plural(l.bounced, "legitimate message")} (${pct(l.bounced, l.created)}) bounce: ${whoBounces(base)}.`);
  }
  for (const r of others) said.push(verdict(base, r).replace(/^(\S+)/, "`$1`"));
  return [...out, ...said.map((s) => `- ${s}`), ""];
}

/** The setups of scenarios/decide/, in file order. */
function setupFiles(): string[] {
  return readdirSync(DECIDE_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(DECIDE_DIR, f));
}

/** The conclusions across outage lengths, each stated only when the numbers bear it out. */
function conclusions(all: { outage: string; runs: Run[] }[]): string[] {
  const out: string[] = [];
  const firstBounce = all.find((o) => o.runs[0]!.outcomes.legitimate.bounced > 0);
  out.push(
    firstBounce
      ? `Without a backup, mail starts to bounce somewhere between ${all[all.indexOf(firstBounce) - 1]?.outage ?? "0"} and ${firstBounce.outage} of outage, from the senders that give up first — not after the 4–7 days of the classic MTAs.`
      : "Without a backup, no outage on this page bounces any legitimate mail.",
  );
  const names = all[0]!.runs.map((r) => r.name);
  for (const [i, name] of names.entries()) {
    if (i === 0) continue;
    const vs = all.map((o) => changes(o.runs[0]!.result, o.runs[i]!.result));
    const parts = [`\`${name}\` saves ${all.map((o, k) => `${vs[k]!.saved} at ${o.outage}`).join(", ")}`];
    const costs = all.flatMap((o, k) => (vs[k]!.saved === 0 && vs[k]!.slower.length > 0 ? [`${o.outage}`] : []));
    if (costs.length > 0) parts.push(`at ${costs.join(" and ")} it saves nothing and makes ${costs.map((c) => `${vs[all.findIndex((o) => o.outage === c)]!.slower.length}`).join(" and ")} messages slower`);
    const lost = all.flatMap((o, k) => (vs[k]!.lost > 0 ? [`${vs[k]!.lost} at ${o.outage}`] : []));
    if (lost.length > 0) parts.push(`it loses mail the senders would have delivered (${lost.join(", ")})`);
    const own = ownBounces(all, i);
    if (own.length > 0) parts.push(`its own queue gives up too: ${own.join(", ")}`);
    const backscatter = all.map((o) => o.runs[i]!.summary.notifications.backscatter);
    parts.push(
      backscatter.some((b) => b > 0)
        ? `it sends ${backscatter.join(", ")} backscatter DSNs (at ${all.map((o) => o.outage).join(", ")}: the spam aims at the backup whatever the outage)`
        : "it sends no backscatter",
    );
    out.push(`${parts.join("; ")}.`);
  }
  return out.map((s) => `- ${s}`);
}

/** Legitimate mail bounced by a server of setup `i` (a backup whose queue lifetime ran out), by outage: "2319 at 8d (mail2.blyx.com, qmail)". */
function ownBounces(all: { outage: string; runs: Run[] }[], i: number): string[] {
  return all.flatMap((o) => {
    const r = o.runs[i]!;
    const servers = r.result.model.servers;
    return servers.flatMap((server) => {
      const n = r.outcomes.legitimate.bounced_by[server.name] ?? 0;
      return n > 0 ? [`${n} bounced by ${server.name} at ${o.outage} (${PROFILE_INFO[server.profile.mta].name} keeps a message ${human(giveUpAfter(server.profile))})`] : [];
    });
  });
}

/** The page's Markdown. */
export function buildDecidePage(): string {
  const files = setupFiles();
  const all = DECIDE_OUTAGES.map((outage) => ({ outage, runs: files.map((f) => runWith(f, outage)) }));
  const first = all[0]!.runs[0]!;
  const mix = first.result.model.senders
    .filter((s) => !s.forged)
    .map((s) => `${s.profile.mta} ${s.arrivals.kind === "poisson" ? `${+(s.arrivals.rate * 3600).toFixed(2)}/h` : ""}`)
    .join(", ");
  const spam = first.result.model.senders.filter((s) => s.forged).map((s) => s.name);
  return [
    "# Should I run a backup MX? Read the answer off the numbers",
    "",
    "<!-- Made by `npm run lessons` (src/cli/decide.ts) from the runs of scenarios/decide/; do not edit: every number and sentence below comes from them. -->",
    "",
    `**Scenarios:** ${files.map((f) => `\`${f}\``).join(", ")}. One domain, blyx.com; the same senders in all four (${mix}; and spam from ${spam.join(", ")}); mail1.blyx.com fails at the same moment. The four setups: no backup, a qmail backup MX without recipient validation, a Postfix backup MX with it, and a cluster of two mailbox servers behind a load balancer. Each outage length below is a run of each setup on the same seed, so the same messages are sent in all four and can be compared one by one.`,
    "",
    "\"Saved\" is a message that bounces (or is still queued at the end) without a backup and is delivered with this setup; \"lost\" the reverse; \"slower\" a message delivered in both, more than a minute later with this setup. Spam (from forged senders) is counted apart: spam refused at RCPT is nobody's bounce.",
    "",
    "## Outage by outage",
    "",
    ...all.flatMap((o) => outageSection(o.outage, o.runs)),
    "## What the numbers say",
    "",
    ...conclusions(all),
    "",
    "## Check for understanding",
    "",
    "Your own senders are the ones in your mail logs. Which of them give up first (`mxsim profiles <name>`)? How long are your outages, and which of the four setups on this page answers for them?",
    "",
  ].join("\n");
}
