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
import { Delivery, MAILBOX, RELAY, type NoticeCounts } from "./delivery.js";
import { ACCEPT, ARRIVAL, FLUSH, FORCED, OUTAGE_END, RETRY } from "./events.js";
import { EventQueue } from "./event-queue.js";
import { runOutages } from "./failures.js";
export { WorkLimitExceeded } from "./work-limit.js";
import { HostMemory } from "./host-memory.js";
import { BOUNCED, DELIVERED, MessageTable, QUEUED } from "./message-table.js";
import type { Model, Outage } from "./model.js";
import { relayPlan, senderPlan, type HostPlan } from "./mx-lookup.js";
import type { Profile } from "./profile.js";
import { QueueTracker, type SeriesSpec } from "./queue-tracker.js";
import { exponential, Streams, type Stream } from "./rng.js";
import { SessionSlots } from "./session-slots.js";


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


/** A node is a server (index < servers.length) or a sender (servers.length + sender index). */
export interface NodeInfo {
  name: string;
  kind: "server" | "sender";
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
  /** Events processed. */
  events: number;
}

/** The nodes of a model: its servers, then its senders. */
export function nodesOf(model: Model): NodeInfo[] {
  return [
    ...model.servers.map((s) => ({ name: s.name, kind: "server" as const })),
    ...model.senders.map((s) => ({ name: s.name, kind: "sender" as const })),
  ];
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

export class Simulation {
  /** Events processed so far. */
  processed = 0;
  /** Simulated time of the last event processed. */
  now = 0;
  private readonly model: Model;
  private readonly options: SimulateOptions;
  private readonly seed: number;
  private readonly run: number;
  private readonly log: AttemptLog | undefined;
  private readonly nodes: NodeInfo[];
  private readonly queues: QueueTracker;
  private readonly messages: MessageTable;
  private readonly events: EventQueue;
  private readonly memory: HostMemory;
  private readonly outages: Outage[][];
  private readonly delivery: Delivery;
  private readonly drainWindows: DrainWindow[] = [];
  private readonly arrivalStreams: Stream[];
  private readonly recipientStreams: Stream[];
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
    const sink: AttemptSink = options.sink ?? this.log!;
    const streams = new Streams(this.seed, this.run);
    const { servers, senders, domains, duration } = model;
    const nServers = servers.length;
    const nDomains = domains.length;

    const nodes = (this.nodes = nodesOf(model));
    const profiles: Profile[] = [...servers.map((s) => s.profile), ...senders.map((s) => s.profile)];
    // The stream that shuffles equal MX preferences, per node doing lookups.
    const mxStreams: Stream[] = nodes.map((n) => streams.get(`mx-order:${n.name}`));

    const accepts = new Uint8Array(nServers * nDomains);
    servers.forEach((s, i) => {
      for (const d of s.domains) accepts[i * nDomains + d] = MAILBOX;
      for (const d of s.relayDomains) accepts[i * nDomains + d] = RELAY;
    });

    // Host candidates per (node, domain), computed once.
    const plans = new Map<number, HostPlan>();
    const planFor = (node: number, domain: number): HostPlan => {
      const key = node * nDomains + domain;
      let plan = plans.get(key);
      if (!plan) {
        plan =
          node < nServers
            ? relayPlan(model, node, domain)
            : senderPlan(model, domain, senders[node - nServers]!.target === "lowest-priority");
        plans.set(key, plan);
      }
      return plan;
    };

    const series: SeriesSpec[] = [];
    const seriesOfNode = new Int32Array(nodes.length).fill(-1);
    servers.forEach((s, i) => {
      if (s.role === "relay") seriesOfNode[i] = series.push({ name: s.name, kind: "relay" }) - 1;
    });
    if (senders.length > 0) {
      const all = series.push({ name: "senders' own queues", kind: "senders" }) - 1;
      for (let i = 0; i < senders.length; i++) seriesOfNode[nServers + i] = all;
    }
    this.queues = new QueueTracker(series, seriesOfNode, options.binWidth ?? defaultBinWidth(duration), duration);
    this.messages = new MessageTable(Math.ceil(expectedMessages(model) * 1.02) + 64);
    this.events = new EventQueue();
    this.memory = new HostMemory(nodes.length, nServers, nDomains, (n) => streams.get(`tcpto-pid:${nodes[n]!.name}`));
    const slots = servers.map((s) => new SessionSlots(s.capacity, s.sessionTime));
    const outages = (this.outages = runOutages(model, streams, options.maxOutageWindows ?? Infinity));
    const balancerStreams = servers.map((s) => streams.get(`balancer:${s.name}`));
    this.delivery = new Delivery(
      model,
      outages,
      this.messages,
      this.events,
      this.queues,
      this.memory,
      slots,
      sink,
      profiles,
      accepts,
      planFor,
      mxStreams,
      balancerStreams,
    );

    const drainWindows = this.drainWindows;
    servers.forEach((s, i) => {
      if (s.role !== "mailbox") return;
      for (const w of outages[i]!) if (w.end < duration) drainWindows.push({ server: i, start: w.start, end: w.end });
    });
    drainWindows.sort((a, b) => a.end - b.end || a.server - b.server);
    drainWindows.forEach((w, i) => this.events.push(w.end, OUTAGE_END, i));
    model.actions.forEach((a, i) => {
      if (a.at < duration) this.events.push(a.at, FLUSH, i);
    });

    // Arrivals: the next arrival time of each sender (Poisson: exact, not yet rounded).
    this.arrivalStreams = senders.map((s) => streams.get(`arrivals:${s.name}`));
    this.recipientStreams = senders.map((s) => streams.get(`recipients:${s.name}`));
    this.nextExact = new Float64Array(senders.length);
    this.listPos = new Int32Array(senders.length);
    senders.forEach((_, i) => this.scheduleArrival(i, 0));
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
    if (t < this.model.duration && t < sender.until) this.events.push(t, ARRIVAL, i);
  }

  /** Processes up to `maxEvents` events; true when the run has reached its horizon (or run out of events). */
  step(maxEvents: number): boolean {
    if (this.done) return true;
    const { model, events, messages, delivery, queues, memory, options } = this;
    const { senders, duration } = model;
    const nServers = model.servers.length;
    let budget = maxEvents;
    while (events.size > 0 && events.peekTime() < duration) {
      if (budget-- <= 0) return false;
      const t = events.pop();
      const kind = events.kind;
      const id = events.id;
      this.now = t;
      const processed = ++this.processed;
      if ((processed & 0xffff) === 0 && options.onProgress) options.onProgress(t);
      switch (kind) {
        case ARRIVAL: {
          const sender = senders[id]!;
          const m = messages.add(t, id, nServers + id);
          // Drawn only for senders that send to made-up recipients, so other scenarios' streams do not move.
          if (sender.invalidRecipients > 0 && this.recipientStreams[id]!() < sender.invalidRecipients) messages.badRcpt[m] = 1;
          this.scheduleArrival(id, sender.arrivals.kind === "poisson" ? this.nextExact[id]! : t);
          delivery.attempt(m, nServers + id, t, false);
          break;
        }
        case RETRY:
        case FORCED:
          // Only the first event at the message's due time makes the attempt: a RETRY whose time a flush
          // moved is stale, and so is one that a later schedule put on a time already pending.
          if (messages.outcome[id] === QUEUED && messages.due[id] === t) {
            const forced = messages.forced[id] === 1;
            messages.due[id] = NaN;
            messages.forced[id] = 0;
            delivery.attempt(id, messages.holder[id]!, t, forced);
          }
          break;
        case ACCEPT:
          delivery.attempt(id, messages.holder[id]!, t, false);
          break;
        case OUTAGE_END:
          queues.watchDrain(id, t);
          break;
        case FLUSH: {
          const node = model.actions[id]!.node;
          memory.reviveAll(node);
          for (let m = 0; m < messages.count; m++) {
            if (messages.outcome[m] === QUEUED && messages.waiting[m] && messages.holder[m] === node) {
              messages.due[m] = t;
              messages.forced[m] = 1;
              events.push(t, FORCED, m);
            }
          }
          break;
        }
      }
    }
    this.done = true;
    return true;
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
      outages: this.outages,
      drainWindows: this.drainWindows,
      notices: this.delivery.notices,
      events: this.processed,
    };
    return this.finished;
  }
}
