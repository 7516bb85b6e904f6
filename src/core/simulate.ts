/**
 * The simulation: one clock, one event queue, a pure function from a model
 * and a seed to plain results.
 *
 * Order of simultaneous events: events at the same simulated second run in
 * the order they were scheduled (FIFO, see event-queue.ts). At start-up the
 * ends of the mailbox servers' outage windows are scheduled first, then the
 * administrators' actions, then each sender's first message, in scenario
 * order; so at a window's end the drain measurement starts before any retry
 * due at that same second runs.
 *
 * The horizon is a wall: nothing happens at or after `duration`. An attempt
 * that starts before it and would not be over before it (a connection still
 * waiting for its timeout, or one that would start at or after the end) is
 * cut there: its connections that ended before the horizon are recorded, the
 * attempt itself is recorded as "unfinished", and the message is still queued
 * (in transit at its holder) at the end. So every recorded time is < duration.
 *
 * Every message ends in exactly one state: delivered, bounced or still queued
 * when the horizon is reached. `simulate` checks that the counts add up.
 *
 * A `Simulation` runs in steps (`step(n)` processes up to n events), so the
 * shell around it can stay responsive to signals and watch the work done;
 * `simulate()` runs one to its end.
 */
import { AttemptLog, type AttemptSink } from "./attempt-log.js";
import { type ConnectionCounts, Delivery, type NoticeCounts } from "./delivery.js";
import { ACCEPT, ARRIVAL, DONE, FLUSH, FORCED, OUTAGE_END, RETRY } from "./events.js";
export { WorkLimitExceeded } from "./work-limit.js";
import { BOUNCED, DELIVERED, HELD, type MessageTable, QUEUED } from "./message-table.js";
import type { Model, Outage } from "./model.js";
import type { QueueTracker } from "./queue-tracker.js";
import { exponential, Streams, type Stream } from "./rng.js";
import { buildWorld, type NodeInfo, type World } from "./world.js";

export { nodesOf, type NodeInfo } from "./world.js";

export interface SimulateOptions {
  /** Overrides the model's seed. */
  seed?: number;
  /** Replication number, part of every stream's name (default 0). */
  run?: number;
  /** Receives every attempt, connection and notification; default: an AttemptLog kept in the result. */
  sink?: AttemptSink;
  /** Width of the queue-depth chart bins, seconds (default: chosen from the duration). */
  binWidth?: number;
  /** Called now and then (every 65,536 events) with the simulated time, seconds: for a progress bar. */
  onProgress?: (time: number) => void;
  /** Refuse to draw more outage windows than this for flapping servers (throws WorkLimitExceeded). */
  maxOutageWindows?: number;
}


/** An outage window of a mailbox server, after which queue drain times are measured. */
export interface DrainWindow {
  server: number;
  start: number;
  end: number;
}

export interface RunResult {
  model: Model;
  seed: number;
  run: number;
  nodes: NodeInfo[];
  messages: MessageTable;
  /** The attempt log, unless a custom sink was given. */
  attempts: AttemptLog | undefined;
  queues: QueueTracker;
  /** Each server's outage windows in this run: the scenario's, plus drawn ones for flapping servers. */
  outages: Outage[][];
  drainWindows: DrainWindow[];
  /** Delivery status notifications sent (delay warnings, bounces, backscatter). */
  notices: NoticeCounts;
  /** Connections made to each server (by server index). */
  connections: ConnectionCounts;
  /** Events processed. */
  events: number;
}

/** How many messages the senders create on average (Poisson rates × their sending time, plus listed times). */
export function expectedMessages(model: Model): number {
  let n = 0;
  for (const s of model.senders) n += senderMessages(model, s);
  return n;
}

/** Messages one sender creates on average (listed send times: exactly). */
export function senderMessages(model: Model, s: Model["senders"][number]): number {
  const a = s.arrivals;
  return a.kind === "poisson" ? a.rate * Math.min(model.duration, s.until) : a.times.length;
}

/** Picks a chart bin width so that the run has at most about 2000 bins. */
export function defaultBinWidth(duration: number): number {
  const nice = [60, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];
  for (const w of nice) if (duration / w <= 2000) return w;
  return Math.ceil(duration / 2000 / 86400) * 86400;
}

export function simulate(model: Model, options: SimulateOptions = {}): RunResult {
  const sim = new Simulation(model, options);
  while (!sim.step(Infinity));
  return sim.result();
}

/**
 * One run: its world (world.ts), its clock, and a handler per event kind.
 * `step(n)` processes up to n events and `runUntil(t)` every event before
 * time t, so a caller can watch a run unfold (as SimPy's `step()` allows);
 * `result()` gives the results once the horizon is reached.
 */
export class Simulation {
  /** Events processed so far. */
  processed = 0;
  /** Simulated time of the last event processed. */
  now = 0;
  readonly seed: number;
  readonly run: number;
  private readonly model: Model;
  private readonly options: SimulateOptions;
  private readonly log: AttemptLog | undefined;
  private readonly world: World;
  private readonly nodes: NodeInfo[];
  private readonly queues: QueueTracker;
  private readonly messages: MessageTable;
  private readonly delivery: Delivery;
  private readonly nServers: number;
  private readonly drainWindows: DrainWindow[];
  private readonly arrivalStreams: Stream[];
  private readonly recipientStreams: Stream[];
  /** Per sender: its next arrival time (Poisson: exact, not yet rounded), its position in a list of times. */
  private readonly nextExact: Float64Array;
  private readonly listPos: Int32Array;
  private done = false;
  private finished: RunResult | undefined;

  constructor(model: Model, options: SimulateOptions = {}) {
    this.model = model;
    this.options = options;
    this.seed = options.seed ?? model.seed;
    this.run = options.run ?? 0;
    this.log = options.sink ? undefined : new AttemptLog();
    const streams = new Streams(this.seed, this.run);
    const world = (this.world = buildWorld(model, streams, {
      sink: options.sink ?? this.log!,
      binWidth: options.binWidth ?? defaultBinWidth(model.duration),
      maxOutageWindows: options.maxOutageWindows ?? Infinity,
      expectedMessages: expectedMessages(model),
    }));
    this.nodes = world.nodes;
    this.queues = world.queues;
    this.messages = world.messages;
    this.delivery = new Delivery(world);
    this.nServers = model.servers.length;
    const { senders } = model;
    this.arrivalStreams = senders.map((s) => streams.get(`arrivals:${s.name}`));
    this.recipientStreams = senders.map((s) => streams.get(`recipients:${s.name}`));
    this.nextExact = new Float64Array(senders.length);
    this.listPos = new Int32Array(senders.length);
    this.drainWindows = drainWindowsOf(model, world.outages);
    this.scheduleStart();
  }

  /** The start: the ends of the mailbox servers' outage windows, the administrators' actions, each sender's first message. */
  private scheduleStart(): void {
    const { events } = this.world;
    const { duration } = this.model;
    this.drainWindows.forEach((w, i) => events.push(w.end, OUTAGE_END, i));
    this.model.actions.forEach((a, i) => {
      if (a.at < duration) events.push(a.at, FLUSH, i);
    });
    this.model.senders.forEach((_, i) => this.scheduleArrival(i, 0));
  }

  private scheduleArrival(i: number, after: number): void {
    const sender = this.model.senders[i]!;
    const a = sender.arrivals;
    let t: number;
    if (a.kind === "poisson") {
      this.nextExact[i] = after + exponential(this.arrivalStreams[i]!, 1 / a.rate);
      // Time is whole seconds: a message is created at the second its arrival falls in.
      t = Math.floor(this.nextExact[i]!);
    } else {
      const p = this.listPos[i]!;
      if (p >= a.times.length) return;
      this.listPos[i] = p + 1;
      t = a.times[p]!;
    }
    if (t < this.model.duration && t < sender.until) this.world.events.push(t, ARRIVAL, i);
  }

  /** Processes up to `maxEvents` events (default one); true when the run has reached its horizon (or run out of events). */
  step(maxEvents = 1): boolean {
    return this.process(this.model.duration, maxEvents);
  }

  /**
   * Processes every event before time `t` (at most the horizon); true when
   * the run has reached its horizon. Events at `t` itself wait for the next call.
   */
  runUntil(t: number): boolean {
    return this.process(Math.min(t, this.model.duration), Infinity);
  }

  /** The event loop: events before `until`, at most `maxEvents` of them. */
  private process(until: number, maxEvents: number): boolean {
    if (this.done) return true;
    const { events } = this.world;
    const onProgress = this.options.onProgress;
    let budget = maxEvents;
    while (events.size > 0 && events.peekTime() < until) {
      if (budget-- <= 0) return false;
      const t = events.pop();
      const kind = events.kind;
      const id = events.id;
      this.now = t;
      const processed = ++this.processed;
      if ((processed & 0xffff) === 0 && onProgress) onProgress(t);
      switch (kind) {
        case ARRIVAL:
          this.onArrival(id, t);
          break;
        case RETRY:
        case FORCED:
          this.onRetry(id, t);
          break;
        case ACCEPT:
          this.delivery.attempt(id, this.messages.holder[id]!, t, false);
          break;
        case OUTAGE_END:
          this.queues.watchDrain(id, t);
          break;
        case FLUSH:
          this.onFlush(id, t);
          break;
        case DONE:
          this.delivery.complete(id, t);
          break;
      }
    }
    if (until < this.model.duration && events.size > 0) return false;
    this.done = true;
    return true;
  }

  /** Sender `id` creates a message and makes its first attempt; its next arrival is scheduled. */
  private onArrival(id: number, t: number): void {
    const sender = this.model.senders[id]!;
    const messages = this.messages;
    const m = messages.add(t, id, this.nServers + id);
    // Drawn only for senders that send to made-up recipients, so other scenarios' streams do not move.
    if (sender.invalidRecipients > 0 && this.recipientStreams[id]!() < sender.invalidRecipients) messages.badRcpt[m] = 1;
    this.scheduleArrival(id, sender.arrivals.kind === "poisson" ? this.nextExact[id]! : t);
    this.delivery.attempt(m, this.nServers + id, t, false);
  }

  /**
   * A retry (or a flush's forced attempt) of message `id`. Only the first event at
   * the message's due time makes the attempt: a RETRY whose time a flush moved is
   * stale, and so is one that a later schedule put on a time already pending.
   */
  private onRetry(id: number, t: number): void {
    const messages = this.messages;
    if (messages.outcome[id] !== QUEUED || messages.due[id] !== t) return;
    const forced = messages.forced[id] === 1;
    messages.due[id] = NaN;
    messages.forced[id] = 0;
    this.delivery.attempt(id, messages.holder[id]!, t, forced);
  }

  /**
   * An administrator flushes a node's queue: every message it holds is attempted now, forced
   * (except those already waiting in a destination queue for a slot: they are in the active queue).
   */
  private onFlush(id: number, t: number): void {
    const node = this.model.actions[id]!.node;
    const { messages, events } = this.world;
    this.world.memories[node]!.flushed();
    for (let m = 0; m < messages.count; m++) {
      if (messages.outcome[m] === QUEUED && messages.waiting[m] && messages.holder[m] === node && messages.due[m] !== HELD) {
        messages.due[m] = t;
        messages.forced[m] = 1;
        events.push(t, FORCED, m);
      }
    }
  }
  /** The results of a finished run; checks that every message is accounted for. */
  result(): RunResult {
    if (!this.done) throw new Error("the simulation has not reached its horizon yet");
    if (this.finished) return this.finished;
    const { messages, queues, nodes } = this;
    queues.finish();

    let delivered = 0;
    let bounced = 0;
    let inTransit = 0;
    for (let m = 0; m < messages.count; m++) {
      const o = messages.outcome[m];
      if (o === DELIVERED) delivered++;
      else if (o === BOUNCED) bounced++;
      else if (!messages.waiting[m]) inTransit++;
    }
    let queued = 0;
    for (let i = 0; i < nodes.length; i++) queued += queues.nodeDepth[i]!;
    if (delivered + bounced + queued + inTransit !== messages.count) {
      throw new Error(
        `conservation violated: ${messages.count} created, ${delivered} delivered + ${bounced} bounced + ` +
          `${queued} queued + ${inTransit} in transit`,
      );
    }

    this.finished = {
      model: this.model,
      seed: this.seed,
      run: this.run,
      nodes,
      messages,
      attempts: this.log,
      queues,
      outages: this.world.outages,
      drainWindows: this.drainWindows,
      notices: this.delivery.notices,
      connections: this.delivery.connections,
      events: this.processed,
    };
    return this.finished;
  }
}

/** The outage windows of mailbox servers that end within the run, by end time: the drain measurements. */
function drainWindowsOf(model: Model, outages: Outage[][]): DrainWindow[] {
  const windows: DrainWindow[] = [];
  model.servers.forEach((s, i) => {
    if (s.role !== "mailbox") return;
    for (const w of outages[i]!) if (w.end < model.duration) windows.push({ server: i, start: w.start, end: w.end });
  });
  return windows.sort((a, b) => a.end - b.end || a.server - b.server);
}
