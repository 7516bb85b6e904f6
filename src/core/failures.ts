/**
 * A run's outage windows per server: the scenario's fixed windows plus, for a
 * flapping server, random ones drawn from the run's streams (exponential up
 * and down times, the MTBF/MTTR model). A drawn window that would overlap a
 * fixed one is left out, so the fixed windows keep their modes.
 */
import type { Model, Outage } from "./model.js";
import { exponential, type Streams } from "./rng.js";

export function runOutages(model: Model, streams: Streams): Outage[][] {
  return model.servers.map((server) => {
    if (!server.flapping) return server.outages;
    const { up, down, mode } = server.flapping;
    const stream = streams.get(`flapping:${server.name}`);
    const drawn: Outage[] = [];
    let t = 0;
    for (;;) {
      t += exponential(stream, up);
      const start = Math.round(t);
      t += Math.max(1, exponential(stream, down));
      const end = Math.max(start + 1, Math.round(t));
      if (start >= model.duration) break;
      const clash = server.outages.some((w) => w.start < end && start < w.end);
      if (!clash) drawn.push({ start, end, mode });
    }
    return [...server.outages, ...drawn].sort((a, b) => a.start - b.start);
  });
}
