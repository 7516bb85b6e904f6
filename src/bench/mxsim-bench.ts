/**
 * One benchmark measurement of mxsim, run as its own process by bench/run.mjs:
 * `node dist/bench/mxsim-bench.js --n 1000000`. Loads the benchmark scenario,
 * simulates it with a sink that only counts (the reference keeps no records
 * either), and prints one JSON line: counts, the event loop's wall time and
 * the process's peak memory.
 */
import type { AttemptSink } from "../core/attempt-log.js";
import { ATTEMPT_CODE } from "../core/outcomes.js";
import { simulate } from "../core/simulate.js";
import { loadScenario } from "../scenario/load.js";
import { benchScenario } from "./scenario.js";

const args = process.argv.slice(2);
const n = Number(args[args.indexOf("--n") + 1] ?? 100000);
const loaded = loadScenario(benchScenario(n), "bench");
if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join("; "));

const RELAYED = ATTEMPT_CODE.relayed;
const counts = { relayAttempts: 0, senderAttempts: 0, queued: 0 };
const nServers = loaded.model.servers.length;
const sink: AttemptSink = {
  connection() {},
  attempt({ node, result }) {
    if (node < nServers) counts.relayAttempts++;
    else {
      counts.senderAttempts++;
      if (result === RELAYED) counts.queued++;
    }
  },
  notification() {},
};

const t0 = performance.now();
const r = simulate(loaded.model, { sink });
const wall = (performance.now() - t0) / 1000;
let direct = 0;
let viaSecondary = 0;
let bounced = 0;
for (let m = 0; m < r.messages.count; m++) {
  if (r.messages.path[m] === 1) direct++;
  else if (r.messages.path[m] === 2) viaSecondary++;
  else if (r.messages.outcome[m] === 2) bounced++;
}
console.log(
  JSON.stringify({
    impl: "mxsim",
    n: r.messages.count,
    direct,
    queued: counts.queued,
    via_secondary: viaSecondary,
    bounced,
    attempts: counts.relayAttempts,
    sender_attempts: counts.senderAttempts,
    max_queue: Math.max(...Array.from(r.queues.nodePeak)),
    engine_events: r.events,
    wall_s: +wall.toFixed(3),
    engine_ev_per_s: Math.round(r.events / wall),
    peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
  }),
);
