/**
 * The future event list: a binary min-heap ordered by (time, seq).
 *
 * `seq` is a per-queue counter handed out by `push`, so two events at the same
 * simulated time run in the order they were scheduled (FIFO). That makes the
 * order total and the run deterministic.
 *
 * An event is three numbers: a time (whole seconds of simulated time), a kind
 * (a small integer the simulator defines) and an id (whose meaning depends on
 * the kind: a message, a sender, an outage window). They live in parallel
 * typed arrays, so scheduling allocates nothing and the heap holds millions of
 * events without one object per event.
 *
 * Speed trick: (time, seq) is packed into one float64 key,
 * time · 2^28 + seq, exact as long as time < 2^25 s (388 days) and seq < 2^28.
 * Simulated times are whole seconds, and many events share a second (qmail
 * retries fall on a grid), so comparing one number instead of two saves a
 * memory load per comparison in the sift loops, which dominate a large run.
 * When seq reaches 2^28 the pending events are renumbered in their current
 * order, which keeps both the order and the heap intact.
 */
const SEQ_BITS = 28;
/** Times must stay below this (2^25 s, about 388 days) for the packed key to be exact. */
export const MAX_TIME = 2 ** (53 - SEQ_BITS);

export class EventQueue {
  private keys: Float64Array;
  private kinds: Uint8Array;
  private ids: Int32Array;
  private n = 0;
  private nextSeq = 0;

  /** Kind and id of the event last returned by `pop`. */
  kind = 0;
  id = 0;

  /** 2^seqBits: sequence numbers per second of simulated time before a renumbering. */
  private readonly span: number;
  private readonly maxTime: number;

  /** `seqBits` is for tests, which need to reach a renumbering quickly. */
  constructor(capacity = 1024, seqBits = SEQ_BITS) {
    this.span = 2 ** seqBits;
    this.maxTime = 2 ** (53 - seqBits);
    this.keys = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event; Infinity when the queue is empty. */
  peekTime(): number {
    return this.n > 0 ? Math.floor(this.keys[0]! / this.span) : Infinity;
  }

  /** Schedules an event at `time`, whole seconds of simulated time in [0, MAX_TIME). */
  push(time: number, kind: number, id: number): void {
    if (!(time >= 0 && time < this.maxTime && Number.isInteger(time))) {
      throw new Error(`event time ${time} is not a whole number of seconds in [0, ${this.maxTime})`);
    }
    if (this.n === this.keys.length) this.grow();
    if (this.nextSeq === this.span) this.renumber();
    const key = time * this.span + this.nextSeq++;
    // The arrays are read into locals: V8 does not hoist `this.x` loads out of loops.
    const K = this.keys;
    const KI = this.kinds;
    const I = this.ids;
    // Sift up: move parents down until the slot for the new event is found.
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = K[p]!;
      if (pk < key) break;
      K[i] = pk;
      KI[i] = KI[p]!;
      I[i] = I[p]!;
      i = p;
    }
    K[i] = key;
    KI[i] = kind;
    I[i] = id;
  }

  /**
   * Removes the earliest event and returns its time; its kind and id are left
   * in `this.kind` and `this.id` (returning a tuple would allocate per event).
   */
  pop(): number {
    if (this.n === 0) throw new Error("pop from an empty event queue");
    const K = this.keys;
    const KI = this.kinds;
    const I = this.ids;
    const top = K[0]!;
    this.kind = KI[0]!;
    this.id = I[0]!;
    const last = --this.n;
    if (last > 0) {
      const lk = K[last]!;
      const lkind = KI[last]!;
      const lid = I[last]!;
      // Sift down the former last element from the root.
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= last) break;
        let ck = K[c]!;
        const r = c + 1;
        if (r < last && K[r]! < ck) {
          c = r;
          ck = K[r]!;
        }
        if (lk < ck) break;
        K[i] = ck;
        KI[i] = KI[c]!;
        I[i] = I[c]!;
        i = c;
      }
      K[i] = lk;
      KI[i] = lkind;
      I[i] = lid;
    }
    return Math.floor(top / this.span);
  }

  /**
   * Gives the pending events new sequence numbers 0…n−1 in their current
   * order. Keys keep their relative order, so the heap stays a heap.
   */
  private renumber(): void {
    // Ranks must fit in the sequence bits: fewer pending events than 2^seqBits (268 million by default).
    if (this.n >= this.span) throw new Error(`more than ${this.span} pending events`);
    const order = Array.from({ length: this.n }, (_, i) => i).sort((a, b) => this.keys[a]! - this.keys[b]!);
    order.forEach((slot, rank) => {
      this.keys[slot] = Math.floor(this.keys[slot]! / this.span) * this.span + rank;
    });
    this.nextSeq = this.n;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const keys = new Float64Array(cap);
    keys.set(this.keys);
    const kinds = new Uint8Array(cap);
    kinds.set(this.kinds);
    const ids = new Int32Array(cap);
    ids.set(this.ids);
    this.keys = keys;
    this.kinds = kinds;
    this.ids = ids;
  }
}
