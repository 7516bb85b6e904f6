/** A worker thread of `--runs`: simulates the runs it is given and posts their summaries back. */
import { parentPort, workerData } from "node:worker_threads";
import { NULL_SINK } from "../core/attempt-log.js";
import { simulate } from "../core/simulate.js";
import { summarize } from "../report/summary.js";
import { loadScenario } from "../scenario/load.js";

const { text, file, seed, runs } = workerData as { text: string; file: string; seed: number; runs: number[] };
const loaded = loadScenario(text, file);
if (!loaded.ok) throw new Error(`worker could not load ${file}`);
for (const run of runs) {
  const summary = summarize(simulate(loaded.model, { seed, run, sink: NULL_SINK }));
  parentPort!.postMessage({ run, summary });
}
