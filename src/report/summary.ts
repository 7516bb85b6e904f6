/**
 * The numbers of a run, derived from its records: counts by outcome and path,
 * latency percentiles, peak queue depths and drain times. A plain,
 * serialisable object: the table, results.json and the charts all read it.
 */
import { quantileSorted } from "d3-array";
import * as hdr from "hdr-histogram-js";
import {
  BOUNCE_REASONS,
  BOUNCED,
  DELIVERED,
  PATH_CODE,
  PATH_DIRECT,
  PATH_SENDER_RETRY,
  PATH_VIA_SECONDARY,
  PATHS,
  QUEUED,
  type Path,
} from "../core/outcomes.js";
import type { Server } from "../core/model.js";
import type { RunResult } from "../core/simulate.js";

export interface Latency {
  count: number;
  p50_s: number;
  p90_s: number;
  p95_s: number;
  p99_s: number;
  max_s: number;
  mean_s: number;
}

export interface Summary {
  messages: {
    created: number;
    delivered: number;
    delivered_direct: number;
    delivered_via_secondary: number;
    delivered_after_sender_retry: number;
    bounced: number;
    /** Bounces by the node that gave up. */
    bounced_by: Record<string, number>;
    /** Bounces by reason (see outcomes.ts). */
    bounced_why: Record<string, number>;
    still_queued: number;
    /** Still-queued messages by the node whose queue holds them. */
    still_queued_at: Record<string, number>;
  };
  /** Delivery status notifications sent to envelope senders (RFC 3464). */
  notifications: {
    /** Delay warnings (Action: delayed). */
    delayed: number;
    /** Bounces (Action: failed). */
    failed: number;
    /** Those sent by a server to a forged envelope sender: backscatter. */
    backscatter: number;
  };
  attempts: number;
  /**
   * The connections the run's MTAs made to each server, by name (every server, in the
   * scenario's order), with its role: `attempted` TCP connection attempts (refused and
   * blackholed ones too), `opened` SMTP sessions (the TCP handshake succeeded). A connection
   * reused for several messages counts once.
   */
  connections: Record<string, { role: Server["role"]; attempted: number; opened: number }>;
  events: number;
  /** Delivery latency (delivery time − creation time), overall and per path; null when nothing took that path. */
  latency: Record<"overall" | Path, Latency | null>;
  /** How the percentiles were computed: exactly, or from a streaming histogram (with its error bound). */
  latency_method: string;
  /** Peak queue depth of every node that queued anything (relays and senders). */
  peak_queue: { node: string; kind: "server" | "sender"; peak: number; at_s: number }[];
  /** How long each queue took to empty after each outage of a mailbox server ended. */
  drain: {
    queue: string;
    outage_of: string;
    outage_start_s: number;
    outage_end_s: number;
    /** Seconds from the outage's end until the queue was empty; null if it never emptied within the run. */
    drain_s: number | null;
  }[];
  /**
   * Legitimate mail by the sending MTA (`profile.mta` of each sender: "postfix", "exchange",
   * a provider's name), in name order. Spam (forged senders) is left out: its rejections are
   * not the senders' bounces.
   */
  by_profile: Record<string, ProfileCounts>;
}

/** What became of the legitimate mail of one sender profile. */
export interface ProfileCounts {
  created: number;
  delivered_direct: number;
  delivered_via_secondary: number;
  delivered_after_sender_retry: number;
  bounced: number;
  still_queued: number;
}

/** Up to this many delivered messages the percentiles are exact; beyond, a streaming histogram keeps memory flat. */
export const EXACT_LATENCY_LIMIT = 2_000_000;
export const HDR_METHOD = "streaming histogram (HdrHistogram, 3 significant digits: relative error at most 0.1%)";

export function summarize(result: RunResult, exactLimit = EXACT_LATENCY_LIMIT): Summary {
  const exact = deliveredCount(result) <= exactLimit;
  const t = tally(result, exact);
  const count = (p: Path) => t.byPath.get(PATH_CODE[p])!.count;
  return {
    messages: {
      created: result.messages.count,
      delivered: t.delivered,
      delivered_direct: count("direct"),
      delivered_via_secondary: count("via-secondary"),
      delivered_after_sender_retry: count("sender-retry"),
      bounced: t.bounced,
      bounced_by: sortKeys(t.bouncedBy),
      bounced_why: sortKeys(t.bouncedWhy),
      still_queued: t.queued,
      still_queued_at: sortKeys(t.queuedAt),
    },
    notifications: { ...result.notices },
    attempts: countAttempts(result),
    connections: connectionsByServer(result),
    events: result.events,
    latency: {
      overall: t.all.result(),
      direct: t.byPath.get(PATH_DIRECT)!.result(),
      "via-secondary": t.byPath.get(PATH_VIA_SECONDARY)!.result(),
      "sender-retry": t.byPath.get(PATH_SENDER_RETRY)!.result(),
    },
    latency_method: exact ? "exact (linear interpolation between order statistics)" : HDR_METHOD,
    peak_queue: peakQueues(result),
    drain: drains(result),
    by_profile: byProfile(result),
  };
}

/** The counts of ProfileCounts for each profile name of a non-forged sender (one pass over the messages). */
export function byProfile(result: RunResult): Record<string, ProfileCounts> {
  const { messages: m, model } = result;
  const rows = new Map<string, ProfileCounts>();
  const ofSender = model.senders.map((s) => {
    if (s.forged) return undefined;
    let row = rows.get(s.profile.mta);
    if (!row) rows.set(s.profile.mta, (row = { created: 0, delivered_direct: 0, delivered_via_secondary: 0, delivered_after_sender_retry: 0, bounced: 0, still_queued: 0 }));
    return row;
  });
  const FIELD: Record<number, keyof ProfileCounts> = {
    [PATH_DIRECT]: "delivered_direct",
    [PATH_VIA_SECONDARY]: "delivered_via_secondary",
    [PATH_SENDER_RETRY]: "delivered_after_sender_retry",
  };
  for (let i = 0; i < m.count; i++) {
    const row = ofSender[m.sender[i]!];
    if (!row) continue;
    row.created++;
    const outcome = m.outcome[i];
    if (outcome === DELIVERED) row[FIELD[m.path[i]!]!]++;
    else if (outcome === BOUNCED) row.bounced++;
    else if (outcome === QUEUED) row.still_queued++;
  }
  return Object.fromEntries([...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function deliveredCount(result: RunResult): number {
  const m = result.messages;
  let n = 0;
  for (let i = 0; i < m.count; i++) if (m.outcome[i] === DELIVERED) n++;
  return n;
}

/** What one pass over every message counts: outcomes, where they ended, latencies overall and by path code. */
interface Tally {
  delivered: number;
  bounced: number;
  queued: number;
  bouncedBy: Record<string, number>;
  bouncedWhy: Record<string, number>;
  queuedAt: Record<string, number>;
  all: LatencyStats;
  byPath: Map<number, LatencyStats>;
}

/** One pass over the message columns (no object per message: a run may have millions). */
function tally(result: RunResult, exact: boolean): Tally {
  const { messages: m, nodes } = result;
  const all = new LatencyStats(exact);
  const byPath = new Map<number, LatencyStats>(PATHS.map((p) => [PATH_CODE[p], new LatencyStats(exact)]));
  const bouncedBy: Record<string, number> = {};
  const bouncedWhy: Record<string, number> = {};
  const queuedAt: Record<string, number> = {};
  let delivered = 0;
  let bounced = 0;
  let queued = 0;
  for (let i = 0; i < m.count; i++) {
    const outcome = m.outcome[i];
    if (outcome === DELIVERED) {
      delivered++;
      const latency = m.done[i]! - m.created[i]!;
      all.add(latency);
      byPath.get(m.path[i]!)!.add(latency);
    } else if (outcome === BOUNCED) {
      bounced++;
      const by = nodes[m.holder[i]!]!.name;
      bouncedBy[by] = (bouncedBy[by] ?? 0) + 1;
      const why = BOUNCE_REASONS[m.reason[i]!]!;
      bouncedWhy[why] = (bouncedWhy[why] ?? 0) + 1;
    } else if (outcome === QUEUED) {
      queued++;
      const at = nodes[m.holder[i]!]!.name;
      queuedAt[at] = (queuedAt[at] ?? 0) + 1;
    }
  }
  return { delivered, bounced, queued, bouncedBy, bouncedWhy, queuedAt, all, byPath };
}

/** Every node that queued anything, and every backup MX even if it queued nothing. */
function peakQueues(result: RunResult): Summary["peak_queue"] {
  const { nodes, queues } = result;
  const peak_queue: Summary["peak_queue"] = [];
  nodes.forEach((n, i) => {
    const peak = queues.nodePeak[i]!;
    if (peak > 0 || (n.kind === "server" && result.model.servers[i]!.role === "relay")) {
      peak_queue.push({ node: n.name, kind: n.kind, peak, at_s: queues.nodePeakAt[i]! });
    }
  });
  return peak_queue;
}

/** Drain times of the backup MX queues, and of the senders' queues when anything waited there. */
function drains(result: RunResult): Summary["drain"] {
  const { nodes, queues } = result;
  return queues.drains
    .filter((d) => queues.series[d.series]!.kind === "relay" || queues.peak[d.series]! > 0)
    .map((d) => {
      const w = result.drainWindows[d.window]!;
      return {
        queue: queues.series[d.series]!.name,
        outage_of: nodes[w.server]!.name,
        outage_start_s: w.start,
        outage_end_s: w.end,
        drain_s: Number.isNaN(d.drainedAt) ? null : d.drainedAt - d.from,
      };
    });
}

/** Latencies of delivered messages: kept exactly, or in a histogram of bounded size and error. */
export class LatencyStats {
  count = 0;
  private readonly values: number[] = [];
  private readonly histogram: hdr.Histogram | undefined;
  private sum = 0;
  private max = 0;

  constructor(exact: boolean) {
    if (!exact) {
      // Seconds up to 2^35 (over a thousand years), three significant digits.
      this.histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 35, numberOfSignificantValueDigits: 3, useWebAssembly: false });
    }
  }

  add(seconds: number): void {
    this.count++;
    this.sum += seconds;
    if (seconds > this.max) this.max = seconds;
    if (this.histogram) this.histogram.recordValue(seconds);
    else this.values.push(seconds);
  }

  result(): Latency | null {
    if (this.count === 0) return null;
    if (!this.histogram) return percentiles(this.values);
    const h = this.histogram;
    return {
      count: this.count,
      p50_s: h.getValueAtPercentile(50),
      p90_s: h.getValueAtPercentile(90),
      p95_s: h.getValueAtPercentile(95),
      p99_s: h.getValueAtPercentile(99),
      max_s: this.max,
      mean_s: this.sum / this.count,
    };
  }
}

/** Percentiles with linear interpolation between order statistics (R-7, as d3-array and numpy). */
export function percentiles(values: number[]): Latency | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    p50_s: quantileSorted(sorted, 0.5)!,
    p90_s: quantileSorted(sorted, 0.9)!,
    p95_s: quantileSorted(sorted, 0.95)!,
    p99_s: quantileSorted(sorted, 0.99)!,
    max_s: sorted[sorted.length - 1]!,
    mean_s: sum / sorted.length,
  };
}

function countAttempts(result: RunResult): number {
  let n = 0;
  for (let i = 0; i < result.messages.count; i++) n += result.messages.attempts[i]!;
  return n;
}

function connectionsByServer(result: RunResult): Summary["connections"] {
  const { attempted, opened } = result.connections;
  return Object.fromEntries(result.model.servers.map((s, i) => [s.name, { role: s.role, attempted: attempted[i]!, opened: opened[i]! }]));
}

/** Keys in a fixed order, so the JSON does not depend on the order messages were counted. */
function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
