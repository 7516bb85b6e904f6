/**
 * The future event list: a binary min-heap ordered by (time, seq).
 *
 * `seq` is a per-queue counter handed out by `push`, so two events at the same
 * simulated time run in the order they were scheduled (FIFO). That makes the
 * order total and the run deterministic.
 *
 * An event is three numbers: a time (seconds of simulated time), a kind (a
 * small integer the simulator defines) and an id (whose meaning depends on the
 * kind: a message, a sender, an outage window). They live in parallel typed
 * arrays, so scheduling allocates nothing and the heap holds millions of
 * events without one object per event (issue 2: "no per-event closures").
 */
export class EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private kinds: Uint8Array;
  private ids: Int32Array;
  private n = 0;
  private nextSeq = 0;

  /** Kind and id of the event last returned by `pop`. */
  kind = 0;
  id = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event; Infinity when the queue is empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0]! : Infinity;
  }

  /** Schedules an event at `time` (seconds of simulated time). */
  push(time: number, kind: number, id: number): void {
    if (this.n === this.times.length) this.grow();
    const seq = this.nextSeq++;
    // Sift up: move parents down until the slot for the new event is found.
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.times[p]!;
      if (pt < time || (pt === time && this.seqs[p]! < seq)) break;
      this.move(p, i);
      i = p;
    }
    this.times[i] = time;
    this.seqs[i] = seq;
    this.kinds[i] = kind;
    this.ids[i] = id;
  }

  /**
   * Removes the earliest event and returns its time; its kind and id are left
   * in `this.kind` and `this.id` (returning a tuple would allocate per event).
   */
  pop(): number {
    if (this.n === 0) throw new Error("pop from an empty event queue");
    const time = this.times[0]!;
    this.kind = this.kinds[0]!;
    this.id = this.ids[0]!;
    const last = --this.n;
    if (last > 0) {
      const lt = this.times[last]!;
      const ls = this.seqs[last]!;
      const lk = this.kinds[last]!;
      const li = this.ids[last]!;
      // Sift down the former last element from the root.
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= last) break;
        const r = c + 1;
        if (r < last && this.less(r, c)) c = r;
        const ct = this.times[c]!;
        if (lt < ct || (lt === ct && ls < this.seqs[c]!)) break;
        this.move(c, i);
        i = c;
      }
      this.times[i] = lt;
      this.seqs[i] = ls;
      this.kinds[i] = lk;
      this.ids[i] = li;
    }
    return time;
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a]!;
    const tb = this.times[b]!;
    return ta < tb || (ta === tb && this.seqs[a]! < this.seqs[b]!);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.ids[to] = this.ids[from]!;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const seqs = new Float64Array(cap);
    seqs.set(this.seqs);
    const kinds = new Uint8Array(cap);
    kinds.set(this.kinds);
    const ids = new Int32Array(cap);
    ids.set(this.ids);
    this.times = times;
    this.seqs = seqs;
    this.kinds = kinds;
    this.ids = ids;
  }
}
