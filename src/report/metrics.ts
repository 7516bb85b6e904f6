/**
 * The numbers of a run's summary averaged over replications (`--runs`) and
 * written as the columns of runs.csv. (`mxsim compare` counts all mail sent,
 * spam apart: its rows are compare-rows.ts.) Pure data, no rendering.
 */
import type { Summary } from "./summary.js";

export interface Metric {
  label: string;
  value: (s: Summary) => number | null;
  /** How to print it: a count, a share of created messages, or a duration. */
  kind: "count" | "share" | "time";
}

const worstDrain = (s: Summary) => {
  if (s.drain.length === 0) return null;
  if (s.drain.some((d) => d.drain_s === null)) return Infinity;
  return Math.max(...s.drain.map((d) => d.drain_s!));
};

/** Connections to the servers holding the mailboxes (the primary, or a cluster's nodes): how hard the senders and the backups hit them. */
const toMailboxes = (field: "attempted" | "opened") => (s: Summary) => {
  let n = 0;
  for (const c of Object.values(s.connections)) if (c.role === "mailbox") n += c[field];
  return n;
};

export const METRICS: Metric[] = [
  { label: "messages created", value: (s) => s.messages.created, kind: "count" },
  { label: "delivered directly", value: (s) => s.messages.delivered_direct, kind: "share" },
  { label: "delivered via a secondary", value: (s) => s.messages.delivered_via_secondary, kind: "share" },
  { label: "delivered after sender retries", value: (s) => s.messages.delivered_after_sender_retry, kind: "share" },
  { label: "bounced", value: (s) => s.messages.bounced, kind: "share" },
  { label: "still queued at the end", value: (s) => s.messages.still_queued, kind: "share" },
  { label: "latency p50 (all delivered)", value: (s) => s.latency.overall?.p50_s ?? null, kind: "time" },
  { label: "latency p90", value: (s) => s.latency.overall?.p90_s ?? null, kind: "time" },
  { label: "latency p95", value: (s) => s.latency.overall?.p95_s ?? null, kind: "time" },
  { label: "latency p99", value: (s) => s.latency.overall?.p99_s ?? null, kind: "time" },
  { label: "latency max", value: (s) => s.latency.overall?.max_s ?? null, kind: "time" },
  { label: "peak queue (largest single queue)", value: (s) => Math.max(0, ...s.peak_queue.map((q) => q.peak)), kind: "count" },
  { label: "drain after the outage (slowest queue)", value: worstDrain, kind: "time" },
  { label: "delay warnings sent", value: (s) => s.notifications.delayed, kind: "count" },
  { label: "backscatter", value: (s) => s.notifications.backscatter, kind: "count" },
  { label: "connection attempts to the mailbox servers", value: toMailboxes("attempted"), kind: "count" },
  { label: "sessions at the mailbox servers", value: toMailboxes("opened"), kind: "count" },
];

/**
 * Lines of different scenarios (compare) or variants (sweep) often coincide;
 * a dash pattern each keeps them all visible.
 */
export const DASHES = [[], [12, 6], [4, 4], [16, 4, 4, 4], [2, 6]];
