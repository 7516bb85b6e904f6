/**
 * A server's concurrent SMTP sessions, for its `capacity`: each accepted
 * session holds a slot for the server's session time; a connection that
 * finds every slot taken is answered 421. Every session of a server lasts the
 * same time, so the end times form a queue (a ring buffer of `capacity`).
 * Connections are assumed to arrive in time order; the ones delayed by
 * connect timeouts may arrive slightly out of order, which only shifts a
 * slot by those seconds.
 */
export class SessionSlots {
  private readonly ends: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly sessionTime: number,
  ) {
    this.ends = new Float64Array(Number.isFinite(capacity) ? capacity : 0);
  }

  /** Takes a slot at `now` if one is free; false means the server answers 421. */
  take(now: number): boolean {
    if (!Number.isFinite(this.capacity)) return true;
    const cap = this.capacity;
    while (this.size > 0 && this.ends[this.head]! <= now) {
      this.head = (this.head + 1) % cap;
      this.size--;
    }
    if (this.size >= cap) return false;
    this.ends[(this.head + this.size) % cap] = now + this.sessionTime;
    this.size++;
    return true;
  }
}
