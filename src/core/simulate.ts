/**
 * The simulation: one clock, one event queue, a pure function from a model
 * and a seed to plain results.
 *
 * Order of simultaneous events: events at the same simulated second run in
 * the order they were scheduled (FIFO, see event-queue.ts). At start-up the
 * ends of the mailbox servers' outage windows are scheduled first, then each
 * sender's first message, in scenario order; so at a window's end the drain
 * measurement starts before any retry due at that same second runs.
 *
 * Every message ends in exactly one state: delivered, bounced or still queued
 * when the horizon is reached. `simulate` checks that the counts add up.
 */
import { AttemptLog, type AttemptSink } from "./attempt-log.js";
import { modeAt, UP } from "./availability.js";
import { EventQueue } from "./event-queue.js";
import {
  BOUNCED,
  DELIVERED,
  MessageTable,
  PATH_DIRECT,
  PATH_SENDER_RETRY,
  PATH_VIA_SECONDARY,
} from "./message-table.js";
import { FAILURE_MODES, type Model } from "./model.js";
import { orderHosts, relayPlan, senderPlan, type HostPlan } from "./mx-lookup.js";
import { ATTEMPT_RESULTS, BOUNCE_REASONS, CONNECTION_RESULTS, type BounceReason } from "./outcomes.js";
import { connectTimeout, failsOverOn, isLastAttempt, nextAttemptTime, type Profile } from "./profile.js";
import { QueueTracker, type SeriesSpec } from "./queue-tracker.js";
import { exponential, Streams, type Stream } from "./rng.js";

// Event kinds.
const ARRIVAL = 0; // id = sender: create a message, schedule the next one
const RETRY = 1; // id = message: its holder retries it
const ACCEPT = 2; // id = message: a relay took it over and makes its first attempt
const OUTAGE_END = 3; // id = drain window: start measuring how long queues take to empty

// How a server treats a domain (accepts[server * nDomains + domain]); 0 = rejects it.
const MAILBOX = 1;
const RELAY = 2;

/** qmail-smtpd rejects a message with 100 or more Received lines (MAXHOPS) as a loop. */
const MAX_HOPS = 100;

const C_ACCEPTED = CONNECTION_RESULTS.indexOf("accepted");
const C_REJECTED = CONNECTION_RESULTS.indexOf("rejected");
const A_DELIVERED = ATTEMPT_RESULTS.indexOf("delivered");
const A_RELAYED = ATTEMPT_RESULTS.indexOf("relayed");
const A_DEFERRED = ATTEMPT_RESULTS.indexOf("deferred");
const A_BOUNCED = ATTEMPT_RESULTS.indexOf("bounced");

export interface SimulateOptions {
  /** Overrides the model's seed. */
  seed?: number;
  /** Replication number, part of every stream's name (default 0). */
  run?: number;
  /** Receives every attempt and connection; default: an AttemptLog kept in the result. */
  sink?: AttemptSink;
  /** Width of the queue-depth chart bins, seconds (default: chosen from the duration). */
  binWidth?: number;
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
  drainWindows: DrainWindow[];
  /** Events processed. */
  events: number;
}

/** Picks a chart bin width so that the run has at most about 2000 bins. */
export function defaultBinWidth(duration: number): number {
  const nice = [60, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];
  for (const w of nice) if (duration / w <= 2000) return w;
  return Math.ceil(duration / 2000 / 86400) * 86400;
}

export function simulate(model: Model, options: SimulateOptions = {}): RunResult {
  const seed = options.seed ?? model.seed;
  const run = options.run ?? 0;
  const log = options.sink ? undefined : new AttemptLog();
  const sink: AttemptSink = options.sink ?? log!;
  const streams = new Streams(seed, run);
  const { servers, senders, domains, duration } = model;
  const nServers = servers.length;
  const nDomains = domains.length;

  const nodes: NodeInfo[] = [
    ...servers.map((s) => ({ name: s.name, kind: "server" as const })),
    ...senders.map((s) => ({ name: s.name, kind: "sender" as const })),
  ];
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
      plan = node < nServers ? relayPlan(model, node, domain) : senderPlan(model, domain);
      plans.set(key, plan);
    }
    return plan;
  };
  let maxHosts = 1;
  for (const d of domains) maxHosts = Math.max(maxHosts, d.mx.length);
  const order = new Int32Array(maxHosts);

  const series: SeriesSpec[] = [];
  const seriesOfNode = new Int32Array(nodes.length).fill(-1);
  servers.forEach((s, i) => {
    if (s.role === "relay") seriesOfNode[i] = series.push({ name: s.name, kind: "relay" }) - 1;
  });
  if (senders.length > 0) {
    const all = series.push({ name: "senders' own queues", kind: "senders" }) - 1;
    for (let i = 0; i < senders.length; i++) seriesOfNode[nServers + i] = all;
  }
  const queues = new QueueTracker(series, seriesOfNode, options.binWidth ?? defaultBinWidth(duration), duration);
  const messages = new MessageTable();
  const events = new EventQueue();

  const drainWindows: DrainWindow[] = [];
  servers.forEach((s, i) => {
    if (s.role !== "mailbox") return;
    for (const w of s.outages) if (w.end < duration) drainWindows.push({ server: i, start: w.start, end: w.end });
  });
  drainWindows.sort((a, b) => a.end - b.end || a.server - b.server);
  drainWindows.forEach((w, i) => events.push(w.end, OUTAGE_END, i));

  // Arrivals: the next arrival time of each sender (Poisson: exact, not yet rounded).
  const arrivalStreams: Stream[] = senders.map((s) => streams.get(`arrivals:${s.name}`));
  const nextExact = new Float64Array(senders.length);
  const listPos = new Int32Array(senders.length);
  const scheduleArrival = (i: number, after: number): void => {
    const a = senders[i]!.arrivals;
    let t: number;
    if (a.kind === "poisson") {
      nextExact[i] = after + exponential(arrivalStreams[i]!, 1 / a.rate);
      // Time is whole seconds: a message is created at the second its arrival falls in.
      t = Math.floor(nextExact[i]!);
    } else {
      const p = listPos[i]!;
      if (p >= a.times.length) return;
      listPos[i] = p + 1;
      t = a.times[p]!;
    }
    if (t < duration) events.push(t, ARRIVAL, i);
  };
  senders.forEach((_, i) => scheduleArrival(i, 0));

  const leaveQueue = (m: number, node: number, t: number): void => {
    if (messages.waiting[m]) {
      messages.waiting[m] = 0;
      queues.change(node, t, -1);
    }
  };

  const bounce = (m: number, node: number, t: number, end: number, reason: BounceReason): void => {
    leaveQueue(m, node, t);
    messages.outcome[m] = BOUNCED;
    messages.done[m] = end;
    messages.reason[m] = BOUNCE_REASONS.indexOf(reason);
  };

  /** One delivery attempt of message `m` by `node` (its holder), starting at `t`. */
  const attempt = (m: number, node: number, t: number): void => {
    const profile = profiles[node]!;
    const birth = messages.birth[m]!;
    // qmail computes both when the attempt starts (qmail-send.c lines 1081–1082, mta-facts.md §1.1–1.2).
    const last = isLastAttempt(profile, birth, t);
    const next = nextAttemptTime(profile, birth, t);
    messages.attempts[m]!++;
    const domain = senders[messages.sender[m]!]!.domain;
    const n = orderHosts(planFor(node, domain), mxStreams[node]!, order);
    if (n === 0) {
      // A relay that is the best MX itself and has no route: nowhere to send (perm_ambigmx).
      bounce(m, node, t, t, "no-relay-host");
      sink.attempt(m, node, t, t, A_BOUNCED, -1, NaN);
      return;
    }
    let clock = t;
    let lastHost = -1;
    for (let i = 0; i < n; i++) {
      const host = order[i]!;
      lastHost = host;
      const mode = modeAt(servers[host]!.outages, clock);
      if (mode === UP) {
        const how = accepts[host * nDomains + domain];
        if (how === MAILBOX) {
          sink.connection(host, clock, C_ACCEPTED);
          leaveQueue(m, node, t);
          messages.outcome[m] = DELIVERED;
          messages.done[m] = clock;
          messages.path[m] =
            node < nServers ? PATH_VIA_SECONDARY : messages.attempts[m] === 1 ? PATH_DIRECT : PATH_SENDER_RETRY;
          messages.holder[m] = host;
          sink.attempt(m, node, t, clock, A_DELIVERED, host, NaN);
        } else if (how === RELAY && messages.hops[m]! < MAX_HOPS) {
          sink.connection(host, clock, C_ACCEPTED);
          leaveQueue(m, node, t);
          messages.hops[m]!++;
          messages.holder[m] = host;
          messages.birth[m] = clock;
          events.push(clock, ACCEPT, m);
          sink.attempt(m, node, t, clock, A_RELAYED, host, NaN);
        } else {
          // Not in the host's rcpthosts (553), or looping between relays (554): permanent.
          sink.connection(host, clock, C_REJECTED);
          bounce(m, node, t, clock, how === RELAY ? "too-many-hops" : "not-accepted");
          sink.attempt(m, node, t, clock, A_BOUNCED, host, NaN);
        }
        return;
      }
      sink.connection(host, clock, CONNECTION_RESULTS.indexOf(FAILURE_MODES[mode]!));
      if (FAILURE_MODES[mode] === "timeout") clock += connectTimeout(profile);
      if (!failsOverOn(profile, FAILURE_MODES[mode]!)) break;
    }
    // Every host failed (or one answered 421 and this MTA does not move on): a deferral.
    if (last) {
      bounce(m, node, t, clock, "lifetime");
      sink.attempt(m, node, t, clock, A_BOUNCED, lastHost, NaN);
      return;
    }
    if (!messages.waiting[m]) {
      messages.waiting[m] = 1;
      queues.change(node, t, +1);
    }
    const due = Math.max(next, clock);
    if (due < duration) events.push(due, RETRY, m);
    sink.attempt(m, node, t, clock, A_DEFERRED, lastHost, due);
  };

  let processed = 0;
  while (events.size > 0 && events.peekTime() < duration) {
    const t = events.pop();
    const kind = events.kind;
    const id = events.id;
    processed++;
    switch (kind) {
      case ARRIVAL: {
        const m = messages.add(t, id, nServers + id);
        scheduleArrival(id, senders[id]!.arrivals.kind === "poisson" ? nextExact[id]! : t);
        attempt(m, nServers + id, t);
        break;
      }
      case RETRY:
      case ACCEPT:
        attempt(id, messages.holder[id]!, t);
        break;
      case OUTAGE_END:
        queues.watchDrain(id, t);
        break;
    }
  }
  queues.finish();

  let delivered = 0;
  let bounced = 0;
  for (let m = 0; m < messages.count; m++) {
    if (messages.outcome[m] === DELIVERED) delivered++;
    else if (messages.outcome[m] === BOUNCED) bounced++;
  }
  let queued = 0;
  for (let i = 0; i < nodes.length; i++) queued += queues.nodeDepth[i]!;
  let inTransit = 0;
  for (let m = 0; m < messages.count; m++) {
    if (messages.outcome[m] === 0 && !messages.waiting[m]) inTransit++;
  }
  if (delivered + bounced + queued + inTransit !== messages.count) {
    throw new Error(
      `conservation violated: ${messages.count} created, ${delivered} delivered + ${bounced} bounced + ` +
        `${queued} queued + ${inTransit} in transit`,
    );
  }

  return { model, seed, run, nodes, messages, attempts: log, queues, drainWindows, events: processed };
}
