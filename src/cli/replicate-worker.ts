/** A worker thread of `--runs`: simulates the runs it is given and posts their summaries back. */
import { parentPort, workerData } from "node:worker_threads";
import { NULL_SINK } from "../core/attempt-log.js";
import { mailOutcomes } from "../report/mail-outcomes.js";
import { summarize } from "../report/summary.js";
import { loadScenario } from "../scenario/load.js";
import { UserError } from "./exit-codes.js";
import type { WorkLimits } from "./guards.js";
import type { WorkerMessage } from "./replicate.js";
import { runToEnd } from "./run-simulation.js";

const { text, file, seed, runs, limits, outcomes } = workerData as { text: string; file: string; seed: number; runs: number[]; limits?: WorkLimits; outcomes: boolean };
const loaded = loadScenario(text, file);
if (!loaded.ok) throw new Error(`worker could not load ${file}`);
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
try {
  for (const run of runs) {
    const result = runToEnd(loaded.model, { seed, run, sink: NULL_SINK, limits, name: file });
    post(outcomes ? { run, summary: summarize(result), outcomes: mailOutcomes(result) } : { run, summary: summarize(result) });
  }
} catch (e) {
  if (!(e instanceof UserError)) throw e;
  post({ stopped: e.message });
}
