/**
 * Runs a simulation from the CLI: in steps, giving the event loop a turn
 * every few tens of milliseconds (so Ctrl-C, SIGTERM and SIGHUP take effect
 * at once, even in the middle of a long run), and under a watchdog that stops
 * a run doing far more work than its estimate (guards.ts): exit 2, and the
 * output folder being written is removed by the caller.
 */
import type { AttemptReport, AttemptSink, NoticeReport } from "../core/attempt-log.js";
import type { Model } from "../core/model.js";
import { Simulation, WorkLimitExceeded, type RunResult, type SimulateOptions } from "../core/simulate.js";
import { UserError } from "./exit-codes.js";
import type { WorkLimits } from "./guards.js";
import { int, t } from "../i18n/index.js";

/** Events per step: about 25 ms of simulation. */
const STEP = 1 << 16;
/** Longest time without giving the event loop a turn, ms. */
const YIELD_EVERY_MS = 50;

export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface RunOptions extends SimulateOptions {
  /** The watchdog's limits (default: none). */
  limits?: WorkLimits;
  /** Bytes written so far by the caller's output, checked against limits.bytes. */
  bytesWritten?: () => number;
  /** Names the scenario in the watchdog's message. */
  name?: string;
}

/** A sink that counts connections on their way to `inner`. */
class Counting implements AttemptSink {
  connections = 0;
  constructor(private readonly inner: AttemptSink | undefined) {}
  connection(host: number, at: number, result: number, conn: number): void {
    this.connections++;
    this.inner?.connection(host, at, result, conn);
  }
  attempt(a: Readonly<AttemptReport>): void {
    this.inner?.attempt(a);
  }
  notification(n: Readonly<NoticeReport>): void {
    this.inner?.notification(n);
  }
}

/** What the watchdog counts, as its catalog key (cli:run.what.<key>). */
const WHAT_KEYS: Record<string, string> = { events: "events", connections: "connections", bytes: "bytesPlain", "bytes written": "bytes", "outage windows": "windows" };

/** The watchdog's verdict as the one line a user sees. */
export function stoppedError(name: string, what: string, limit: number): UserError {
  const key = WHAT_KEYS[what];
  return new UserError(
    t("cli:run.stopped", { name, limit: int(Math.round(limit)), what: key ? t(`cli:run.what.${key}`) : what }),
  );
}

/** Steps a simulation to its end, synchronously (worker threads), under the watchdog. */
export function runToEnd(model: Model, options: RunOptions = {}): RunResult {
  const { sim, counting } = start(model, options);
  while (!sim.step(STEP)) check(sim, counting, options);
  return sim.result();
}

/** Steps a simulation to its end, yielding to the event loop, under the watchdog. */
export async function runSimulation(model: Model, options: RunOptions = {}): Promise<RunResult> {
  const { sim, counting } = start(model, options);
  let last = Date.now();
  while (!sim.step(STEP)) {
    check(sim, counting, options);
    if (Date.now() - last >= YIELD_EVERY_MS) {
      await turn();
      last = Date.now();
    }
  }
  return sim.result();
}

function start(model: Model, options: RunOptions): { sim: Simulation; counting: Counting | undefined } {
  const name = options.name ?? model.name;
  const counting = options.limits ? new Counting(options.sink) : undefined;
  try {
    const sim = new Simulation(model, {
      ...options,
      // Without a sink the simulation keeps its own attempt log; a counting wrapper must not replace it.
      sink: counting && options.sink ? counting : options.sink,
      maxOutageWindows: options.limits?.windows,
    });
    return { sim, counting: counting && options.sink ? counting : undefined };
  } catch (e) {
    if (e instanceof WorkLimitExceeded) throw stoppedError(name, e.what, e.limit);
    throw e;
  }
}

function check(sim: Simulation, counting: Counting | undefined, options: RunOptions): void {
  const limits = options.limits;
  if (!limits) return;
  const name = options.name ?? t("cli:run.theScenario");
  if (sim.processed > limits.events) throw stoppedError(name, "events", limits.events);
  if (counting && counting.connections > limits.connections) throw stoppedError(name, "connections", limits.connections);
  if (options.bytesWritten && options.bytesWritten() > limits.bytes) throw stoppedError(name, "bytes written", limits.bytes);
}
