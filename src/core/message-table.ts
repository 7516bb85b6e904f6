/**
 * Every message of a run, one column per field (see columns.ts for why).
 * A message id is its row index, in order of creation.
 */
import { ensure } from "./columns.js";

// The codes of the `outcome` and `path` columns are defined with their names in outcomes.ts.
export { BOUNCED, DELIVERED, PATH_DIRECT, PATH_NONE, PATH_SENDER_RETRY, PATH_VIA_SECONDARY, QUEUED } from "./outcomes.js";

/** `due` of a message held in a destination queue until a slot frees (no event pending). */
export const HELD = -Infinity;

export class MessageTable {
  count = 0;
  /** Creation time at the sender (seconds). */
  created = new Float64Array(0);
  /** Sender index. */
  sender = new Int32Array(0);
  /** Node holding the message now (servers first, then senders); the last holder once done. */
  holder = new Int32Array(0);
  /** Time the current holder took the message (qmail's "birth" for its retry schedule). */
  birth = new Float64Array(0);
  /** Attempts made so far, by all holders. */
  attempts = new Int32Array(0);
  /** QUEUED, DELIVERED or BOUNCED. */
  outcome = new Uint8Array(0);
  /** PATH_* code once delivered. */
  path = new Uint8Array(0);
  /** Delivery or bounce time (NaN while queued). */
  done = new Float64Array(0);
  /** Index of the BounceReason (see outcomes.ts) when bounced. */
  reason = new Uint8Array(0);
  /** Relays the message has passed through (a loop guard). */
  hops = new Uint8Array(0);
  /** 1 while the message is counted in its holder's queue depth (deferred, waiting for a retry). */
  waiting = new Uint8Array(0);
  /** Attempts made by the current holder (reset when a relay takes the message over). */
  tries = new Int32Array(0);
  /**
   * When the next attempt of this message is due (NaN: none pending). Its
   * event may have company: a flush adds another, and a schedule that lands on
   * the time of an event already pending adds one more. The first event at
   * the due time makes the attempt and clears this, so the others find
   * nothing to do. HELD: the message waits for a free slot in its holder's
   * destination queue (Postfix's todo list), which starts its attempt.
   */
  due = new Float64Array(0);
  /** 1 when the attempt due is an administrator's flush (retry hints and dead destinations ignored). */
  forced = new Uint8Array(0);
  /** Delay warnings sent by the current holder. */
  warned = new Uint32Array(0);
  /** 1 if the recipient does not exist (spam to made-up addresses). */
  badRcpt = new Uint8Array(0);

  /**
   * @param capacity expected number of messages: the columns are sized for it
   *   at once, so a large run neither copies them while growing nor keeps the
   *   spare half of a doubling.
   */
  constructor(capacity = 0) {
    if (capacity > 0) this.grow(capacity - 1);
  }

  /** Adds a message created at `t` by `sender`, held by node `holder`; returns its id. */
  add(t: number, sender: number, holder: number): number {
    const id = this.count++;
    if (id >= this.created.length) this.grow(id);
    this.created[id] = t;
    this.sender[id] = sender;
    this.holder[id] = holder;
    this.birth[id] = t;
    this.done[id] = NaN;
    this.due[id] = NaN;
    return id;
  }

  private grow(i: number): void {
    this.created = ensure(this.created, i, Float64Array);
    this.sender = ensure(this.sender, i, Int32Array);
    this.holder = ensure(this.holder, i, Int32Array);
    this.birth = ensure(this.birth, i, Float64Array);
    this.attempts = ensure(this.attempts, i, Int32Array);
    this.outcome = ensure(this.outcome, i, Uint8Array);
    this.path = ensure(this.path, i, Uint8Array);
    this.done = ensure(this.done, i, Float64Array);
    this.reason = ensure(this.reason, i, Uint8Array);
    this.hops = ensure(this.hops, i, Uint8Array);
    this.waiting = ensure(this.waiting, i, Uint8Array);
    this.tries = ensure(this.tries, i, Int32Array);
    this.due = ensure(this.due, i, Float64Array);
    this.forced = ensure(this.forced, i, Uint8Array);
    this.warned = ensure(this.warned, i, Uint32Array);
    this.badRcpt = ensure(this.badRcpt, i, Uint8Array);
  }
}
