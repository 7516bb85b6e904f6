/**
 * Runs of one scenario spread over worker threads. Run r draws from streams
 * named `seed:r:…`, so its result does not depend on which thread ran it or
 * on how many threads there were. Each worker runs under the same watchdog
 * as a single run; the main thread stays free for signals.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { MailOutcomes } from "../report/mail-outcomes.js";
import type { Summary } from "../report/summary.js";
import { UserError } from "./exit-codes.js";
import type { WorkLimits } from "./guards.js";

// The compiled worker, from both dist/cli/ and src/cli/ (tests run the sources; the worker needs the build).
const WORKER = fileURLToPath(new URL("../../dist/cli/replicate-worker.js", import.meta.url));

export function defaultThreads(): number {
  return availableParallelism();
}

/** One run's numbers: its summary, and with `outcomes` asked for, what became of all its mail (for sweep's percentiles over all mail). */
export interface RunNumbers {
  summary: Summary;
  outcomes?: MailOutcomes;
}

/** What a worker posts: a run's numbers, or the one-line reason it stopped. */
export type WorkerMessage = ({ run: number } & RunNumbers) | { stopped: string };

export interface ReplicateOptions {
  /** The scenario's text: each worker compiles it. */
  text: string;
  /** Its name in messages (its path, or <stdin>). */
  file: string;
  seed: number;
  /** The first run number. */
  from: number;
  /** One past the last run number. */
  to: number;
  /** Worker threads at most (no more than there are runs). */
  threads: number;
  /** Each run's watchdog. */
  limits?: WorkLimits;
  /** Also post each run's mail outcomes (their latencies are typed arrays: cloned, not serialised). */
  outcomes?: boolean;
}

/** The numbers of runs `from`…`to − 1`, in run order. */
export async function replicate({ text, file, seed, from, to, threads, limits, outcomes = false }: ReplicateOptions): Promise<RunNumbers[]> {
  const runs = Array.from({ length: to - from }, (_, i) => from + i);
  const n = Math.max(1, Math.min(threads, runs.length));
  const shares = Array.from({ length: n }, (_, k) => runs.filter((_, i) => i % n === k));
  const results: RunNumbers[] = new Array(runs.length);
  const workers: Worker[] = [];
  try {
    await Promise.all(
      shares.map(
        (share) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(WORKER, { workerData: { text, file, seed, runs: share, limits, outcomes } });
            workers.push(worker);
            worker.on("message", (m: WorkerMessage) => {
              if ("stopped" in m) reject(new UserError(m.stopped));
              else results[m.run - from] = m.outcomes ? { summary: m.summary, outcomes: m.outcomes } : { summary: m.summary };
            });
            worker.on("error", reject);
            worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a --runs worker exited with code ${code}`))));
          }),
      ),
    );
  } finally {
    // One worker stopped: the others need not finish.
    for (const w of workers) void w.terminate();
  }
  return results;
}
