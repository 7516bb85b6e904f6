/**
 * The attempt sink of `mxsim run`: streams attempts.csv and notifications.csv
 * to disk while the simulation runs, and keeps in memory only the attempts of
 * the first messages (to tell one message's story). In a large run attempts
 * are sampled: every message whose id is a multiple of `every`, so the file
 * keeps whole histories of about 100,000 messages.
 */
import { AttemptLog, type AttemptReport, type AttemptSink, type NoticeReport } from "../core/attempt-log.js";
import { ATTEMPT_CODE } from "../core/outcomes.js";
import { ATTEMPT_HEADER, attemptLine, NOTIFICATION_HEADER, notificationLine, type RowContext } from "../report/csv.js";
import type { TextStream } from "./output-dir.js";

/**
 * Up to this many expected messages attempts.csv holds every attempt; beyond
 * it, the attempts of about this many messages (a message has some 15
 * attempts in a long outage, so this is a few hundred thousand rows).
 */
export const FULL_ATTEMPTS_UP_TO = 20_000;
/** Messages (from the first) whose attempts stay in memory for the story. */
export const STORY_WINDOW = 5_000;

/** Messages kept for stories beyond the first STORY_WINDOW: the first ones that were not delivered at once. */
const WATCHED = 32;
const DELIVERED = ATTEMPT_CODE.delivered;

export class CsvSink implements AttemptSink {
  /**
   * Messages whose whole history is in `story`: the first STORY_WINDOW, and
   * the first WATCHED whose first attempt did not deliver them (a failover,
   * a deferral or a bounce: the messages a story is told about). A message's
   * first attempt is its sender's, so a message watched from its first
   * non-delivery has nothing missing.
   */
  private readonly watched = new Set<number>();
  readonly story = new AttemptLog((m) => m < STORY_WINDOW || this.watched.has(m));
  /** The (host, result, connection number) triples of the attempt being reported (32 of them), and how many numbers of it are set. */
  private readonly conns = new Int32Array(96);
  private connLength = 0;
  private readonly attemptNo = new Map<number, number>();
  private attemptText = `${ATTEMPT_HEADER.join(",")}\n`;
  private noteText = `${NOTIFICATION_HEADER.join(",")}\n`;

  /**
   * @param every write the attempts of messages whose id is a multiple of this (1: all)
   */
  constructor(
    private readonly ctx: RowContext,
    private readonly attempts: TextStream,
    private readonly notifications: TextStream,
    readonly every: number,
  ) {}

  connection(host: number, at: number, result: number, conn: number): void {
    this.story.connection(host, at, result, conn);
    if (this.connLength < this.conns.length) {
      this.conns[this.connLength++] = host;
      this.conns[this.connLength++] = result;
      this.conns[this.connLength++] = conn;
    }
  }

  attempt(a: Readonly<AttemptReport>): void {
    const { message } = a;
    if (a.result !== DELIVERED && this.watched.size < WATCHED && message >= STORY_WINDOW && a.node >= this.ctx.model.servers.length) {
      this.watched.add(message);
    }
    this.story.attempt(a);
    if (message % this.every === 0) {
      const no = (this.attemptNo.get(message) ?? 0) + 1;
      this.attemptNo.set(message, no);
      this.attemptText += attemptLine(this.ctx, a, no, this.conns, this.connLength);
      if (this.attemptText.length >= 1 << 16) this.flushAttempts();
    }
    this.connLength = 0;
  }

  notification(n: Readonly<NoticeReport>): void {
    this.story.notification(n);
    this.noteText += notificationLine(this.ctx, n);
    if (this.noteText.length >= 1 << 16) this.flushNotes();
  }

  /** True when `story` holds the whole history of message `m`. */
  hasStory(m: number): boolean {
    return m < STORY_WINDOW || this.watched.has(m);
  }

  /** Writes what is still buffered; call once the simulation is over. */
  finish(): void {
    this.flushAttempts();
    this.flushNotes();
  }

  private flushAttempts(): void {
    if (this.attemptText) this.attempts.write(this.attemptText);
    this.attemptText = "";
  }

  private flushNotes(): void {
    if (this.noteText) this.notifications.write(this.noteText);
    this.noteText = "";
  }
}

/** 1 up to FULL_ATTEMPTS_UP_TO expected messages, then the stride that keeps about that many. */
export function samplingStride(expected: number): number {
  return expected <= FULL_ATTEMPTS_UP_TO ? 1 : Math.ceil(expected / FULL_ATTEMPTS_UP_TO);
}
