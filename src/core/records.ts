/**
 * Records you can read: one message, its attempts and its notifications as
 * plain objects, with names where the columns (message-table.ts,
 * attempt-log.ts) hold integer codes and node indices. They are for code that
 * looks at one message or a handful (`explain`, the message timeline): each
 * call allocates. Code that walks every row of a large run (the CSV writers,
 * the summary's loops) reads the columns and turns codes into names with the
 * tables below, without an object per row (columns.ts says why).
 */
import type { AttemptLog } from "./attempt-log.js";
import {
  ATTEMPT_RESULTS,
  BOUNCE_REASONS,
  CONNECTION_RESULTS,
  NOTIFICATION_KINDS,
  OUTCOME_CODE,
  OUTCOMES,
  PATH_CODE,
  PATHS,
  type AttemptResult,
  type BounceReason,
  type ConnectionResult,
  type NotificationKind,
  type Outcome,
  type Path,
} from "./outcomes.js";
import type { NodeInfo, RunResult } from "./simulate.js";

/** Names by code, from a name → code map: the inverse of OUTCOME_CODE or PATH_CODE. A code with no name is undefined. */
function byCode<N extends string>(names: readonly N[], code: Record<N, number>): (N | undefined)[] {
  const table = new Array<N | undefined>(Math.max(...names.map((n) => code[n])) + 1).fill(undefined);
  for (const n of names) table[code[n]] = n;
  return table;
}

/** Outcome names by the code of the message table's `outcome` column (every code has one). */
export const OUTCOME_NAMES = byCode(OUTCOMES, OUTCOME_CODE) as readonly Outcome[];
/** Path names by the code of the message table's `path` column; PATH_NONE (not delivered) has none. */
export const PATH_NAMES: readonly (Path | undefined)[] = byCode(PATHS, PATH_CODE);

interface MessageFields {
  /** The message id: its row in the message table, in order of creation. */
  id: number;
  /** The sender's name. */
  sender: string;
  /** The sender's index in the model's `senders`, for its profile and settings. */
  senderIndex: number;
  /** The recipient's domain. */
  domain: string;
  /** Creation time at the sender, seconds. */
  created: number;
  /** The node holding the message now, or its last holder once done: who delivered it, bounced it or queues it. */
  holder: string;
  holderKind: NodeInfo["kind"];
  /** Delivery attempts made, by all holders. */
  attempts: number;
  /** Relays the message passed through. */
  hops: number;
  /** The recipient does not exist (spam to made-up addresses). */
  badRecipient: boolean;
}

/** Where a message ended; the fields an outcome does not have are null. */
export type MessageEnd =
  | { outcome: "delivered"; path: Path; bounceReason: null; done: number; latency: number }
  | { outcome: "bounced"; path: null; bounceReason: BounceReason; done: number; latency: null }
  | { outcome: "queued"; path: null; bounceReason: null; done: null; latency: null };

/**
 * One message of a run. `done` is the delivery or bounce time and `latency`
 * the time from creation to the mailbox, both in seconds.
 */
export type MessageRecord = MessageFields & MessageEnd;

/** The record of message `m` of a run. */
export function messageRecord(run: RunResult, m: number): MessageRecord {
  const t = run.messages;
  if (!Number.isSafeInteger(m) || m < 0 || m >= t.count) throw new RangeError(`message ${m}: the run has ${t.count} messages (ids from 0)`);
  const senderIndex = t.sender[m]!;
  const sender = run.model.senders[senderIndex]!;
  const holder = run.nodes[t.holder[m]!]!;
  const fields: MessageFields = {
    id: m,
    sender: sender.name,
    senderIndex,
    domain: run.model.domains[sender.domain]!.name,
    created: t.created[m]!,
    holder: holder.name,
    holderKind: holder.kind,
    attempts: t.attempts[m]!,
    hops: t.hops[m]!,
    badRecipient: t.badRcpt[m] === 1,
  };
  return { ...fields, ...messageEnd(run, m) };
}

function messageEnd(run: RunResult, m: number): MessageEnd {
  const t = run.messages;
  const outcome = OUTCOME_NAMES[t.outcome[m]!]!;
  switch (outcome) {
    case "delivered": {
      const done = t.done[m]!;
      return { outcome, path: PATH_NAMES[t.path[m]!]!, bounceReason: null, done, latency: done - t.created[m]! };
    }
    case "bounced":
      return { outcome, path: null, bounceReason: BOUNCE_REASONS[t.reason[m]!]!, done: t.done[m]!, latency: null };
    case "queued":
      return { outcome, path: null, bounceReason: null, done: null, latency: null };
  }
}

/** One connection of an attempt, or a host it skipped. */
export interface ConnectionRecord {
  /** The server contacted (or skipped). */
  host: string;
  /** Its MX preference for the message's domain; null when it is not one of the domain's MX (a relay's static route). */
  preference: number | null;
  at: number;
  result: ConnectionResult;
  /** The connection's number in the run (AttemptSink.connection): 0, 1, 2, … in order of opening; null for a skipped host. */
  conn: number | null;
  /**
   * Where a reused connection was opened: its time and the message of the earlier attempt that
   * opened it (both null when the log did not keep that attempt). Null when this attempt opened
   * it, and for a skipped host.
   */
  reusedFrom: { at: number | null; message: number | null } | null;
}

/** One delivery attempt of a message, by the node that held it then. */
export interface AttemptRecord {
  /** The node that made the attempt. */
  by: string;
  start: number;
  /** When the attempt was over; null when the run ended during it ("unfinished"). */
  end: number | null;
  result: AttemptResult;
  /** The server that accepted or refused the message last; null if none answered. */
  host: string | null;
  /** When the next attempt is due; null if none (a deferral always has one). */
  next: number | null;
  connections: ConnectionRecord[];
}

/** A delivery status notification sent about a message (RFC 3464): a delay warning or a bounce. */
export interface NotificationRecord {
  kind: NotificationKind;
  /** The node that sent it. */
  by: string;
  at: number;
  /** Why the message bounced; null for a delay warning. */
  bounceReason: BounceReason | null;
}

function logOf(run: RunResult): AttemptLog {
  if (!run.attempts) throw new Error("a message's attempts and notifications are read from the run's attempt log, and this run kept none");
  return run.attempts;
}

/** The attempts of message `m`, in the order they were made, each with its connections. */
export function attemptsOf(run: RunResult, m: number): AttemptRecord[] {
  const a = logOf(run);
  const preferenceOf = mxPreferences(run, m);
  const name = (node: number) => run.nodes[node]!.name;
  const opened = connectionOrigins(a, m);
  const out: AttemptRecord[] = [];
  for (let i = 0; i < a.count; i++) {
    if (a.message[i] !== m) continue;
    const connections: ConnectionRecord[] = [];
    for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) {
      const host = a.connHost[k]!;
      const conn = a.connId[k]!;
      connections.push({
        host: name(host),
        preference: preferenceOf(host),
        at: a.connAt[k]!,
        result: CONNECTION_RESULTS[a.connResult[k]!]!,
        conn: conn >= 0 ? conn : null,
        reusedFrom: opened.get(k) ?? null,
      });
    }
    out.push({
      by: name(a.node[i]!),
      start: a.start[i]!,
      end: orNull(a.end[i]!),
      result: ATTEMPT_RESULTS[a.result[i]!]!,
      host: a.host[i]! >= 0 ? name(a.host[i]!) : null,
      next: orNull(a.next[i]!),
      connections,
    });
  }
  return out;
}

/**
 * Where each reused connection of message `m` was opened, by its index in the log. A connection
 * is reused when its number appeared earlier in the log; or, when it is not higher than every
 * number before it, because numbers are given in order of opening (AttemptSink.connection), so
 * it was opened by an attempt this log did not keep (a log that keeps only some messages).
 */
function connectionOrigins(a: AttemptLog, m: number): Map<number, { at: number | null; message: number | null }> {
  const origins = new Map<number, { at: number | null; message: number | null }>();
  // The first log entry (connection index, attempt index) of each number message m used.
  const first = new Map<number, [number, number] | null>();
  forEachConnection(a, (k, i) => {
    if (a.message[i] === m && a.connId[k]! >= 0) first.set(a.connId[k]!, null);
  });
  if (first.size === 0) return origins;
  let highest = -1;
  forEachConnection(a, (k, i) => {
    const conn = a.connId[k]!;
    if (conn < 0) return;
    const seen = first.get(conn);
    if (a.message[i] === m && conn <= highest) {
      origins.set(k, seen ? { at: a.connAt[seen[0]]!, message: a.message[seen[1]]! } : { at: null, message: null });
    }
    if (seen === null) first.set(conn, [k, i]);
    if (conn > highest) highest = conn;
  });
  return origins;
}

/** Calls `f(k, i)` for every connection k of the log, with the attempt i it belongs to. */
function forEachConnection(a: AttemptLog, f: (k: number, i: number) => void): void {
  let k = 0;
  for (let i = 0; i < a.count; i++) for (; k < a.connEnd[i]!; k++) f(k, i);
}

/** The notifications sent about message `m`, in the order they were sent. */
export function notificationsOf(run: RunResult, m: number): NotificationRecord[] {
  const a = logOf(run);
  const out: NotificationRecord[] = [];
  for (let i = 0; i < a.noteCount; i++) {
    if (a.noteMessage[i] !== m) continue;
    const reason = a.noteReason[i]!;
    out.push({
      kind: NOTIFICATION_KINDS[a.noteKind[i]!]!,
      by: run.nodes[a.noteNode[i]!]!.name,
      at: a.noteAt[i]!,
      bounceReason: reason >= 0 ? BOUNCE_REASONS[reason]! : null,
    });
  }
  return out;
}

/** A server's MX preference for the domain message `m` is sent to (null: not one of its MX). */
function mxPreferences(run: RunResult, m: number): (server: number) => number | null {
  const { model } = run;
  const mx = model.domains[model.senders[run.messages.sender[m]!]!.domain]!.mx;
  return (server) => mx.find((x) => x.server === server)?.preference ?? null;
}

/** The log's NaN (no such time) as null. */
const orNull = (t: number): number | null => (Number.isNaN(t) ? null : t);
