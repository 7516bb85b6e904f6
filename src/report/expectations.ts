/**
 * A scenario's own expectations (`expect:`), checked against a run's
 * summary, so a scenario can guard a mail setup in CI: every expectation is
 * an upper bound ("at most"), and the run exits 1 when one is broken. The counts are of legitimate
 * mail: spam (a forged sender's) is left out of them.
 */
import { pct, t } from "../i18n/index.js";
import { human } from "./format.js";
import { num } from "./report-text.js";
import type { ProfileCounts, Summary } from "./summary.js";

/** The bounds a scenario may state; durations in seconds. */
export interface Expectations {
  bounced?: number;
  bounce_rate?: number;
  still_queued?: number;
  delivered_via_secondary?: number;
  delivered_after_sender_retry?: number;
  p50_latency?: number;
  p90_latency?: number;
  p95_latency?: number;
  p99_latency?: number;
  max_latency?: number;
  peak_queue?: number;
  drain_time?: number;
  delay_warnings?: number;
  backscatter?: number;
}

export interface Check {
  name: keyof Expectations;
  limit: number;
  actual: number;
  ok: boolean;
  /** "bounced 12 > 0", for people. */
  text: string;
}

type Kind = "count" | "percent" | "time";

/**
 * A count over the legitimate mail only (the summary's split by sender profile leaves forged senders
 * out): spam rejected at RCPT or dropped by the spam software is not a bounce of anyone's mail, and
 * spam through the backup is not mail the backup saved. Backscatter has its own bound.
 */
const legitimate = (key: keyof ProfileCounts) => (s: Summary) => Object.values(s.by_profile).reduce((n, p) => n + p[key], 0);
const MEASURES: Record<keyof Expectations, { kind: Kind; of: (s: Summary) => number }> = {
  bounced: { kind: "count", of: legitimate("bounced") },
  bounce_rate: {
    kind: "percent",
    of: (s) => {
      const created = legitimate("created")(s);
      return created ? (100 * legitimate("bounced")(s)) / created : 0;
    },
  },
  still_queued: { kind: "count", of: legitimate("still_queued") },
  delivered_via_secondary: { kind: "count", of: legitimate("delivered_via_secondary") },
  delivered_after_sender_retry: { kind: "count", of: legitimate("delivered_after_sender_retry") },
  p50_latency: { kind: "time", of: (s) => s.latency.overall?.p50_s ?? 0 },
  p90_latency: { kind: "time", of: (s) => s.latency.overall?.p90_s ?? 0 },
  p95_latency: { kind: "time", of: (s) => s.latency.overall?.p95_s ?? 0 },
  p99_latency: { kind: "time", of: (s) => s.latency.overall?.p99_s ?? 0 },
  max_latency: { kind: "time", of: (s) => s.latency.overall?.max_s ?? 0 },
  peak_queue: { kind: "count", of: (s) => Math.max(0, ...s.peak_queue.map((q) => q.peak)) },
  // A queue that never drained within the run counts as draining forever.
  drain_time: { kind: "time", of: (s) => Math.max(0, ...s.drain.map((d) => d.drain_s ?? Infinity)) },
  delay_warnings: { kind: "count", of: (s) => s.notifications.delayed },
  backscatter: { kind: "count", of: (s) => s.notifications.backscatter },
};
export const EXPECTATION_NAMES = Object.keys(MEASURES) as (keyof Expectations)[];

const show = (kind: Kind, v: number) => (kind === "time" ? (Number.isFinite(v) ? human(v) : "never") : kind === "percent" ? `${v.toFixed(2)}%` : String(v));

/**
 * A check as the terminal prints it, in the current language ("bounced 12 > 0": the bound keeps its
 * scenario name). The check's own `text` stays English: results.json carries it, and that file is data.
 */
export function checkText(c: Check): string {
  const kind = MEASURES[c.name].kind;
  const v = (x: number) => (kind === "time" ? (Number.isFinite(x) ? human(x) : t("report:expect.never")) : kind === "percent" ? pct(x, 2) : num(x));
  return `${c.name} ${v(c.actual)} ${c.ok ? "≤" : ">"} ${v(c.limit)}`;
}

export function checkExpectations(expect: Expectations, summary: Summary): Check[] {
  return EXPECTATION_NAMES.filter((name) => expect[name] !== undefined).map((name) => {
    const { kind, of } = MEASURES[name];
    const limit = expect[name]!;
    const actual = of(summary);
    const ok = actual <= limit;
    return { name, limit, actual, ok, text: `${name} ${show(kind, actual)} ${ok ? "≤" : ">"} ${show(kind, limit)}` };
  });
}
