/**
 * A run's outage windows per server: the scenario's fixed windows plus, for a
 * flapping server, random ones drawn from the run's streams (exponential up
 * and down times, the MTBF/MTTR model). A drawn window that would overlap a
 * fixed one is left out, so the fixed windows keep their modes.
 */
import type { Model, Outage } from "./model.js";
import { exponential, type Streams } from "./rng.js";
import { WorkLimitExceeded } from "./work-limit.js";

/** Throws WorkLimitExceeded when the drawn windows of all servers would exceed `maxWindows`. */
export function runOutages(model: Model, streams: Streams, maxWindows = Infinity): Outage[][] {
  let total = 0;
  return model.servers.map((server) => {
    total += server.outages.length;
    if (!server.flapping) return server.outages;
    const { up, down, mode } = server.flapping;
    const stream = streams.get(`flapping:${server.name}`);
    const fixed = server.outages; // sorted by start, not overlapping
    const drawn: Outage[] = [];
    let t = 0;
    let k = 0; // the first fixed window that may still clash (windows are drawn in increasing time)
    for (;;) {
      t += exponential(stream, up);
      const start = Math.round(t);
      t += Math.max(1, exponential(stream, down));
      const end = Math.max(start + 1, Math.round(t));
      if (start >= model.duration) break;
      while (k < fixed.length && fixed[k]!.end <= start) k++;
      const clash = k < fixed.length && fixed[k]!.start < end;
      if (!clash) {
        drawn.push({ start, end, mode });
        if (++total > maxWindows) throw new WorkLimitExceeded("outage windows", maxWindows);
      }
    }
    return [...fixed, ...drawn].sort((a, b) => a.start - b.start);
  });
}
