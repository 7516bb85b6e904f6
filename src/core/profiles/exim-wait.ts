/**
 * Exim's wait-<transport> hints database of one node (transport.c
 * transport_update_waiting and transport_check_waiting): for each host name,
 * the messages that were deferred with that host in their host list, so that
 * a delivery that succeeds on a host can send them down the same connection
 * ("continued delivery", connection_max_messages).
 *
 * A host's record holds at most WAIT_NAME_MAX (50) message ids; when it is
 * full it is renamed to a continuation record and a new one is started. The
 * next message is picked from the current record in stored order; when that
 * is empty the newest continuation takes its place. So 100 ids listed in
 * order 1…100 come back as 51…100, then 1…50. Ids whose message has left the
 * queue ("spool -D file missing") are dropped on the way.
 */

/** WAIT_NAME_MAX (macros.h): message ids per record. */
export const WAIT_NAME_MAX = 50;

export class EximWaitDb {
  /** Per host: its records, the current one last. */
  private readonly records = new Map<number, number[][]>();
  /** Per host: the ids listed in any of its records (transport_update_waiting looks in all of them). */
  private readonly listed = new Map<number, Set<number>>();

  /** Lists message `m` for each distinct host among the first `n` of `hosts`. */
  add(m: number, hosts: Int32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const host = hosts[i]!;
      let ids = this.listed.get(host);
      if (ids === undefined) this.listed.set(host, (ids = new Set()));
      if (ids.has(m)) continue;
      ids.add(m);
      let recs = this.records.get(host);
      if (recs === undefined) this.records.set(host, (recs = []));
      // A host whose records were used up (transport_check_waiting deleted them) starts a new one.
      if (recs.length === 0 || recs.at(-1)!.length >= WAIT_NAME_MAX) recs.push([]);
      recs.at(-1)!.push(m);
    }
  }

  /** The next message listed for `host` that `queued` still accepts, taken off the list; -1 when none is left. */
  next(host: number, queued: (m: number) => boolean): number {
    const recs = this.records.get(host);
    const ids = this.listed.get(host);
    if (recs === undefined || ids === undefined) return -1;
    while (recs.length > 0) {
      const rec = recs.at(-1)!;
      while (rec.length > 0) {
        const m = rec.shift()!;
        ids.delete(m);
        if (queued(m)) return m;
      }
      recs.pop();
    }
    return -1;
  }

  /** Messages listed for `host` (for tests and the memory estimate). */
  size(host: number): number {
    return this.listed.get(host)?.size ?? 0;
  }
}
