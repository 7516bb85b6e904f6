/**
 * Where the simulator reports each delivery attempt and each TCP connection
 * within it. The core only calls the sink; what is kept (everything, a
 * sample, a stream to disk) is the caller's choice.
 */
import { ensure } from "./columns.js";

/**
 * One finished attempt of `message` by `node`, in codes. The delivery reuses
 * one such object for every attempt: a sink copies what it keeps.
 */
export interface AttemptReport {
  message: number;
  node: number;
  start: number;
  /** NaN: the run ended during the attempt ("unfinished"). */
  end: number;
  /** Indexes ATTEMPT_RESULTS. */
  result: number;
  /** The server that accepted or refused the message last (-1 if none answered). */
  host: number;
  /** When the next attempt is due (NaN if none). */
  next: number;
}

/**
 * A delivery status notification sent by `node` at `at` to the envelope
 * sender of `message` (sender index `sender`), in codes; reused like AttemptReport.
 */
export interface NoticeReport {
  message: number;
  node: number;
  at: number;
  /** Indexes NOTIFICATION_KINDS. */
  kind: number;
  sender: number;
  /** Indexes BOUNCE_REASONS for a bounce; -1 for a warning. */
  reason: number;
}

export interface AttemptSink {
  /**
   * One connection of the attempt being made; reported before `attempt`.
   * `result` indexes CONNECTION_RESULTS. `conn` names the connection: every
   * connection the node opens gets the next number of the run (from 0), a
   * reused one keeps its number, a skipped host has none (-1).
   */
  connection(host: number, at: number, result: number, conn: number): void;
  /** One finished attempt. */
  attempt(a: Readonly<AttemptReport>): void;
  /** A delivery status notification. */
  notification(n: Readonly<NoticeReport>): void;
}

/** A sink that keeps nothing, for runs that need only the summary (comparisons, sweeps, replications). */
export const NULL_SINK: AttemptSink = {
  connection() {},
  attempt() {},
  notification() {},
};

/**
 * Keeps attempts, connections and notifications in columns: all of them, or
 * only those of the messages `keep` accepts (a large run keeps a few messages
 * to tell their story, not sixteen million attempts).
 */
export class AttemptLog implements AttemptSink {
  constructor(private readonly keep?: (message: number) => boolean) {}

  count = 0;
  message = new Int32Array(0);
  node = new Int32Array(0);
  start = new Float64Array(0);
  end = new Float64Array(0);
  result = new Uint8Array(0);
  host = new Int32Array(0);
  next = new Float64Array(0);
  /** Connections of attempt a are connections [connEnd[a-1], connEnd[a]). */
  connEnd = new Int32Array(0);

  noteCount = 0;
  noteMessage = new Int32Array(0);
  noteNode = new Int32Array(0);
  noteAt = new Float64Array(0);
  noteKind = new Uint8Array(0);
  noteReason = new Int32Array(0);

  connCount = 0;
  connHost = new Int32Array(0);
  connAt = new Float64Array(0);
  connResult = new Uint8Array(0);
  /** The connection's number (see AttemptSink.connection; -1: a skipped host). */
  connId = new Int32Array(0);

  connection(host: number, at: number, result: number, conn: number): void {
    const i = this.connCount++;
    if (i >= this.connHost.length) {
      this.connHost = ensure(this.connHost, i, Int32Array);
      this.connAt = ensure(this.connAt, i, Float64Array);
      this.connResult = ensure(this.connResult, i, Uint8Array);
      this.connId = ensure(this.connId, i, Int32Array);
    }
    this.connHost[i] = host;
    this.connAt[i] = at;
    this.connResult[i] = result;
    this.connId[i] = conn;
  }

  notification({ message, node, at, kind, reason }: Readonly<NoticeReport>): void {
    if (this.keep && !this.keep(message)) return;
    const i = this.noteCount++;
    if (i >= this.noteMessage.length) {
      this.noteMessage = ensure(this.noteMessage, i, Int32Array);
      this.noteNode = ensure(this.noteNode, i, Int32Array);
      this.noteAt = ensure(this.noteAt, i, Float64Array);
      this.noteKind = ensure(this.noteKind, i, Uint8Array);
      this.noteReason = ensure(this.noteReason, i, Int32Array);
    }
    this.noteMessage[i] = message;
    this.noteNode[i] = node;
    this.noteAt[i] = at;
    this.noteKind[i] = kind;
    this.noteReason[i] = reason;
  }

  attempt({ message, node, start, end, result, host, next }: Readonly<AttemptReport>): void {
    if (this.keep && !this.keep(message)) {
      // Drop the connections this attempt reported.
      this.connCount = this.count > 0 ? this.connEnd[this.count - 1]! : 0;
      return;
    }
    const i = this.count++;
    if (i >= this.message.length) {
      this.message = ensure(this.message, i, Int32Array);
      this.node = ensure(this.node, i, Int32Array);
      this.start = ensure(this.start, i, Float64Array);
      this.end = ensure(this.end, i, Float64Array);
      this.result = ensure(this.result, i, Uint8Array);
      this.host = ensure(this.host, i, Int32Array);
      this.next = ensure(this.next, i, Float64Array);
      this.connEnd = ensure(this.connEnd, i, Int32Array);
    }
    this.message[i] = message;
    this.node[i] = node;
    this.start[i] = start;
    this.end[i] = end;
    this.result[i] = result;
    this.host[i] = host;
    this.next[i] = next;
    this.connEnd[i] = this.connCount;
  }
}
