/**
 * The attempt log of one message, for its story: taken from the log a run
 * kept of its first messages when the message is among them, otherwise by
 * simulating the run again (same model, seed and run number give the same
 * events) while keeping only that message's records.
 */
import { AttemptLog } from "../core/attempt-log.js";
import type { RunResult } from "../core/simulate.js";
import type { WorkLimits } from "./guards.js";
import { runSimulation } from "./run-simulation.js";

export async function withMessageLog(
  result: RunResult,
  kept: AttemptLog,
  has: (m: number) => boolean,
  message: number,
  limits?: WorkLimits,
): Promise<RunResult> {
  if (has(message)) return { ...result, attempts: kept };
  const log = new AttemptLog((m) => m === message);
  await runSimulation(result.model, { seed: result.seed, run: result.run, sink: log, binWidth: result.queues.binWidth, limits });
  return { ...result, attempts: log };
}
