/**
 * What became of ALL the mail of a run, split into legitimate mail and spam
 * (a forged sender's), for compare and sweep: a comparison that looks only at
 * delivered mail makes a setup that loses mail look as good or faster. Spam
 * rejected at RCPT or dropped by the spam software is not a legitimate
 * sender's bounce, so it is counted apart.
 */
import { BOUNCE_REASONS, BOUNCED, DELIVERED, PATH_DIRECT, PATH_SENDER_RETRY, PATH_VIA_SECONDARY, QUEUED } from "../core/outcomes.js";
import type { RunResult } from "../core/simulate.js";
import type { Summary } from "./summary.js";

/** The legitimate mail's counts, in the fields the summary gives all mail (summary.ts), and its latencies. */
export interface LegitimateMail extends Omit<Summary["messages"], "delivered"> {
  /** Latencies of the delivered messages, seconds, ascending (the rest never arrived). */
  latencies: Float64Array;
}

export interface Spam {
  created: number;
  delivered_direct: number;
  /** Through a backup MX to a mailbox: the backup forwarded what the primary's filter might have refused. */
  delivered_via_secondary: number;
  /** Refused at SMTP time before any server took it (the spam software got the 5xx; no notification is sent). */
  rejected: number;
  /** Taken by a server, then bounced by it: each one a DSN to the forged sender (backscatter). */
  bounced_after_acceptance: number;
  /** Given up at the sending end: by spam software, which never retries, or by the forged sender's own queue (no DSN reaches anyone). */
  dropped: number;
  still_queued: number;
}

export interface MailOutcomes {
  legitimate: LegitimateMail;
  /** Null when the run has no forged sender. */
  spam: Spam | null;
}

/** A percentile of all mail sent: seconds, or NOT_DELIVERED when it falls on mail that never arrived. */
export const NOT_DELIVERED = "not delivered";
export type Percentile = number | typeof NOT_DELIVERED;

export function mailOutcomes(result: RunResult): MailOutcomes {
  const { messages: m, model, nodes } = result;
  const legitimate = emptyLegitimate();
  const spam: Spam | null = model.senders.some((s) => s.forged) ? emptySpam() : null;
  const latencies: number[] = [];
  const servers = model.servers.length;
  for (let i = 0; i < m.count; i++) {
    const outcome = m.outcome[i]!;
    if (model.senders[m.sender[i]!]!.forged) {
      countSpam(spam!, outcome, m.path[i]!, m.holder[i]! >= servers, BOUNCE_REASONS[m.reason[i]!]!);
      continue;
    }
    legitimate.created++;
    if (outcome === DELIVERED) {
      latencies.push(m.done[i]! - m.created[i]!);
      if (m.path[i] === PATH_DIRECT) legitimate.delivered_direct++;
      else if (m.path[i] === PATH_VIA_SECONDARY) legitimate.delivered_via_secondary++;
      else if (m.path[i] === PATH_SENDER_RETRY) legitimate.delivered_after_sender_retry++;
    } else if (outcome === BOUNCED) {
      legitimate.bounced++;
      add(legitimate.bounced_by, nodes[m.holder[i]!]!.name);
      add(legitimate.bounced_why, BOUNCE_REASONS[m.reason[i]!]!);
    } else if (outcome === QUEUED) {
      legitimate.still_queued++;
      add(legitimate.still_queued_at, nodes[m.holder[i]!]!.name);
    }
  }
  legitimate.latencies = Float64Array.from(latencies).sort();
  for (const k of ["bounced_by", "bounced_why", "still_queued_at"] as const) legitimate[k] = sortKeys(legitimate[k]);
  return { legitimate, spam };
}

/**
 * The latencies of each sender profile's delivered legitimate mail (seconds,
 * ascending), by `profile.mta` in name order: the same grouping as
 * summary.ts's by_profile, whose counts say how much of each never arrived.
 */
export function latenciesByProfile(result: RunResult): Record<string, Float64Array> {
  const { messages: m, model } = result;
  const lists = new Map<string, number[]>();
  const ofSender = model.senders.map((s) => {
    if (s.forged) return undefined;
    let list = lists.get(s.profile.mta);
    if (!list) lists.set(s.profile.mta, (list = []));
    return list;
  });
  for (let i = 0; i < m.count; i++) {
    const list = ofSender[m.sender[i]!];
    if (list && m.outcome[i] === DELIVERED) list.push(m.done[i]! - m.created[i]!);
  }
  return Object.fromEntries([...lists].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([mta, l]) => [mta, Float64Array.from(l).sort()]));
}

/** Bounce reasons that mean a queue gave up on the message (a timer or a limit), not that a server refused it. */
const GAVE_UP = new Set(["lifetime", "retry-timeout", "failing-too-long", "attempts"]);

function countSpam(spam: Spam, outcome: number, path: number, atSender: boolean, reason: string): void {
  spam.created++;
  if (outcome === DELIVERED) {
    if (path === PATH_VIA_SECONDARY) spam.delivered_via_secondary++;
    else spam.delivered_direct++;
  } else if (outcome === BOUNCED) {
    // Given up at the sending end without a refusal (spam software's drop, or its queue timing out): nobody is told.
    if (reason === "abandoned" || (atSender && GAVE_UP.has(reason))) spam.dropped++;
    else if (atSender) spam.rejected++;
    else spam.bounced_after_acceptance++;
  } else if (outcome === QUEUED) spam.still_queued++;
}

export const delivered = (l: LegitimateMail) => l.delivered_direct + l.delivered_via_secondary + l.delivered_after_sender_retry;

/**
 * The p-th quantile (0 < p < 1) of the time to delivery over all `created`
 * messages, undelivered ones counted as never arriving: linear interpolation
 * between order statistics (R-7, as summary.ts), NOT_DELIVERED as soon as it
 * would need an undelivered message.
 */
export function allMailPercentile(sorted: Float64Array, created: number, p: number): Percentile {
  if (created === 0) return NOT_DELIVERED;
  const h = (created - 1) * p;
  if (h > sorted.length - 1) return NOT_DELIVERED;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** How many of the sorted latencies are at most `t` seconds (a binary search). */
export function deliveredWithin(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function emptyLegitimate(): LegitimateMail {
  return {
    created: 0,
    delivered_direct: 0,
    delivered_via_secondary: 0,
    delivered_after_sender_retry: 0,
    bounced: 0,
    bounced_by: {},
    bounced_why: {},
    still_queued: 0,
    still_queued_at: {},
    latencies: new Float64Array(0),
  };
}

function emptySpam(): Spam {
  return { created: 0, delivered_direct: 0, delivered_via_secondary: 0, rejected: 0, bounced_after_acceptance: 0, dropped: 0, still_queued: 0 };
}

const add = (o: Record<string, number>, k: string) => void (o[k] = (o[k] ?? 0) + 1);

/** Keys in a fixed order, so outputs do not depend on the order messages were counted. */
function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
