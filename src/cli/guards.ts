/**
 * Resource guards. Before a run, the work it can do is bounded from the
 * scenario and every profile's real settings: messages (Poisson mean plus a
 * wide margin), delivery attempts per message within the run (each queue's
 * schedule simulated for a never-deliverable message over the run's length),
 * connections per attempt (the MX hosts an MTA may try), outage windows of
 * flapping servers, flushes, replications and sweep points; from those,
 * events, connections, memory and bytes written. Above a limit the run is
 * refused with the estimate and `--allow-large`. While it runs, a watchdog
 * stops it if it does far more work than estimated (see run-simulation.ts).
 */
import { totalmem } from "node:os";
import { NOTIFICATION_CODE } from "../core/outcomes.js";
import type { Model } from "../core/model.js";
import { relayPlan, senderPlan } from "../core/mx-lookup.js";
import { addressLimit, hostMemoryBytes, type Profile } from "../core/profile.js";
import { MAX_HOPS } from "../core/delivery.js";
import { defaultBinWidth, expectedMessages, senderMessages, Simulation } from "../core/simulate.js";
import { neverDeliverableModel } from "../report/profile-schedule.js";
import { UserError } from "./exit-codes.js";
import { int, lang, t } from "../i18n/index.js";
import { FULL_ATTEMPTS_UP_TO, STORY_WINDOW } from "./csv-sink.js";

/** The limits a run may reach without --allow-large. */
export const LIMITS = {
  /** About 1.3 GB in the message columns. */
  messages: 10_000_000,
  /** About five minutes at 2.7 million events a second (npm run bench). */
  events: 800_000_000,
  connections: 800_000_000,
  /** Outage windows of flapping servers (each is an object, a drain measurement per queue, an event). */
  windows: 2_000_000,
  memoryMb: 4096,
  /** Bytes the CSV files of one run may take on disk. */
  diskMb: 2048,
};

/** Even with --allow-large: message ids are 32-bit and the columns must fit in this machine's memory. */
export const HARD_MAX_MESSAGES = 200_000_000;

/**
 * Delivery attempts simulated per queue; beyond, the count is extrapolated
 * from the rate so far. That is an upper bound: every profile's retry
 * intervals grow or stay the same as a message ages, never shrink.
 */
const ATTEMPTS_CAP = 200_000;
/** Events a second and connections a second, measured by npm run bench on this project's 2-core machine. */
const EVENTS_PER_SECOND = 2.7e6;

export interface SizeEstimate {
  /** Messages the senders create on average. */
  expected: number;
  /** Messages with a margin no run will pass (what the limits are checked against). */
  messages: number;
  /** Upper bound of events (a message retried for its whole stay in every queue it can reach). */
  events: number;
  connections: number;
  windows: number;
  memoryMb: number;
  /** Bytes of CSV files written (0 when the command writes none). */
  diskMb: number;
}

interface QueueWork {
  attempts: number;
  warnings: number;
}

const workCache = new Map<string, QueueWork>();
/** Each profile object's settings as a key (profiles are plain data; servers with the same settings share results). */
const profileKeys = new WeakMap<Profile, string>();

/** Attempts and delay warnings of one never-deliverable message under `profile` within `window` seconds (bounded work). */
export function queueWork(profile: Profile, window: number): QueueWork {
  let pk = profileKeys.get(profile);
  if (pk === undefined) profileKeys.set(profile, (pk = JSON.stringify(profile)));
  const key = `${window}:${pk}`;
  const cached = workCache.get(key);
  if (cached) return cached;
  let attempts = 0;
  let warnings = 0;
  const delayed = NOTIFICATION_CODE.delayed;
  const sim = new Simulation(neverDeliverableModel(profile, Math.max(1, window)), {
    sink: {
      connection() {},
      attempt() {
        attempts++;
      },
      notification({ kind }) {
        if (kind === delayed) warnings++;
      },
    },
  });
  while (!sim.step(4096)) {
    if (attempts >= ATTEMPTS_CAP) {
      const scale = window / Math.max(1, sim.now);
      attempts = Math.ceil(attempts * scale);
      warnings = Math.ceil(warnings * scale);
      break;
    }
  }
  // One more: an attempt the horizon cuts (recorded as unfinished).
  const work = { attempts: attempts + 1, warnings };
  workCache.set(key, work);
  return work;
}

/**
 * The factor from the mean number of Poisson messages to a count no run will
 * pass: mean + 6 standard deviations (+10). The senders' arrivals together are
 * one Poisson process, so the margin is taken on their total.
 */
function poissonMargin(mean: number): number {
  return mean > 0 ? (mean + 6 * Math.sqrt(mean) + 10) / mean : 1;
}

/** Hosts one attempt connects to at most, for a plan of `n` candidates. */
const perAttempt = (n: number, p: Profile) => Math.max(1, Math.min(n, addressLimit(p)));

/**
 * The work of one run of `model`. `files`: it writes the per-message CSV
 * files (mxsim run); `story`: it keeps every attempt of the first
 * STORY_WINDOW messages in memory to tell one's story (run, explain).
 */
export function estimateRun(model: Model, opts: { files: boolean; story: boolean }): SizeEstimate {
  const { files, story } = opts;
  const W = model.duration;
  const m = messageWork(model, story);
  const windows = outageWindows(model);
  const events = m.events + windows;
  const queues = model.servers.filter((s) => s.role === "relay").length + 1;
  const bytes =
    100e6 +
    structureBytes(model, queues) +
    m.messages * 110 +
    m.messages * 26 + // the event heap's pending events
    windows * (80 + 48 * queues) +
    m.storyRecords * (60 + 13 * m.connectionCells);
  // attempts.csv keeps whole histories of about FULL_ATTEMPTS_UP_TO messages in a large run.
  const sampled = m.messages <= FULL_ATTEMPTS_UP_TO ? 1 : FULL_ATTEMPTS_UP_TO / m.messages;
  // queue.csv: a row per chart bin and queue.
  const queueRows = queues * Math.ceil(W / defaultBinWidth(W));
  const disk = files ? m.messages * 170 + m.attemptRows * sampled * (150 + 40 * m.connectionCells) + m.noteRows * 140 + queueRows * 100 + 4e6 : 0;
  return {
    expected: expectedMessages(model),
    messages: m.messages,
    events,
    connections: m.connections,
    windows,
    memoryMb: Math.ceil(bytes / 1e6),
    diskMb: Math.ceil(disk / 1e6),
  };
}

/** What the backups that accept a domain add to each of its messages. */
interface RelayWork {
  events: number;
  connections: number;
  attempts: number;
  notes: number;
  maxConns: number;
}

/**
 * The relay work of domain `d`. A message passes at most MAX_HOPS relays (the
 * hop limit), so at most the MAX_HOPS busiest of them count.
 */
function relayWork(model: Model, d: number): RelayWork {
  const each: { a: number; c: number; w: number }[] = [];
  model.servers.forEach((r, i) => {
    if (r.role !== "relay" || !r.relayDomains.includes(d)) return;
    const w = queueWork(r.profile, model.duration);
    each.push({ a: w.attempts, c: perAttempt(relayPlan(model, i, d).hosts.length, r.profile), w: w.warnings });
  });
  each.sort((x, y) => y.a * y.c - x.a * x.c || y.a - x.a);
  const sum = { events: 0, connections: 0, attempts: 0, notes: 0, maxConns: 0 };
  for (const r of each.slice(0, MAX_HOPS)) {
    sum.events += 1 + r.a;
    sum.connections += r.a * r.c;
    sum.attempts += r.a;
    sum.notes += r.w + 1;
    sum.maxConns = Math.max(sum.maxConns, r.c);
  }
  return sum;
}

/** The senders' messages (with the Poisson margin) and the work they cause: events, connections, kept and written records. */
interface MessageWork {
  messages: number;
  events: number;
  connections: number;
  /** Attempt records kept in memory for the story. */
  storyRecords: number;
  attemptRows: number;
  noteRows: number;
  /** (host, result) cells of the attempt with the most connections (at most 32 counted). */
  connectionCells: number;
}

function messageWork(model: Model, story: boolean): MessageWork {
  // Per domain (and kind of sender target), computed once.
  const relaysOf = new Map<number, RelayWork>();
  const hostsOf = new Map<string, number>();
  const senderHosts = (d: number, lowest: boolean) => {
    const key = `${d}:${lowest}`;
    let n = hostsOf.get(key);
    if (n === undefined) hostsOf.set(key, (n = senderPlan(model, d, lowest).hosts.length));
    return n;
  };
  const t: MessageWork = { messages: 0, events: 0, connections: 0, storyRecords: 0, attemptRows: 0, noteRows: 0, connectionCells: 0 };
  const poissonMean = model.senders.reduce((n, s) => n + (s.arrivals.kind === "poisson" ? senderMessages(model, s) : 0), 0);
  const margin = poissonMargin(poissonMean);
  for (const s of model.senders) {
    const n = senderMessages(model, s) * (s.arrivals.kind === "poisson" ? margin : 1);
    t.messages += n;
    const mine = queueWork(s.profile, model.duration);
    const hosts = senderHosts(s.domain, s.target === "lowest-priority");
    // Every backup that accepts the domain may hold the message once (routes cannot loop, MX relaying only moves to better MX).
    let relays = relaysOf.get(s.domain);
    if (!relays) relaysOf.set(s.domain, (relays = relayWork(model, s.domain)));
    const perMessageEvents = 1 + mine.attempts + model.actions.length + relays.events;
    const perMessageConns = mine.attempts * perAttempt(hosts, s.profile) + relays.connections;
    const perMessageAttempts = mine.attempts + relays.attempts;
    const perMessageNotes = mine.warnings + 1 + relays.notes;
    const perAttemptConns = Math.max(perAttempt(hosts, s.profile), relays.maxConns);
    t.events += n * perMessageEvents;
    t.connections += n * perMessageConns;
    if (story) t.storyRecords += Math.min(n, STORY_WINDOW) * perMessageAttempts;
    t.noteRows += n * perMessageNotes;
    t.attemptRows += n * perMessageAttempts;
    t.connectionCells = Math.max(t.connectionCells, Math.min(32, perAttemptConns));
  }
  return t;
}

/** Outage windows: the scheduled ones, and a bound on a flapping server's. */
function outageWindows(model: Model): number {
  const W = model.duration;
  let windows = 0;
  for (const s of model.servers) {
    windows += s.outages.length;
    if (s.flapping) windows += (1.5 * W) / (s.flapping.up + Math.max(1, s.flapping.down)) + 50;
  }
  return windows;
}

/**
 * Bytes of what grows with the scenario's size rather than its messages: queue-depth bins per queue, the
 * servers × domains table, each node's memory of the hosts (tcpto rows, retry hints, dead
 * destinations) and each node's host plan per domain, at worst.
 */
function structureBytes(model: Model, queues: number): number {
  const W = model.duration;
  const nServers = model.servers.length;
  const nodes = [...model.servers.map((s) => s.profile), ...model.senders.map((s) => s.profile)];
  const hostsPerDomain = Math.max(1, ...model.domains.map((d) => d.mx.length));
  // Each node's memory of hosts, as its MTA sizes it (qmail's tcpto rows, Exim's hints, Postfix's dead destinations).
  const size = { servers: nServers, domains: model.domains.length };
  const perNode = (p: Profile) => hostMemoryBytes(p, size);
  return (
    queues * 2 * Math.ceil(W / defaultBinWidth(W)) * 4 +
    nServers * model.domains.length +
    nodes.reduce((n, p) => n + perNode(p), 0) +
    (model.senders.length + model.servers.reduce((n, s) => n + s.relayDomains.length, 0)) * (64 + 8 * hostsPerDomain)
  );
}

/** The sum of several runs' work (replications, sweep points, compared scenarios); memory is the largest single run's. */
export function combine(parts: { estimate: SizeEstimate; times: number }[]): SizeEstimate {
  const out: SizeEstimate = { expected: 0, messages: 0, events: 0, connections: 0, windows: 0, memoryMb: 0, diskMb: 0 };
  for (const { estimate: e, times } of parts) {
    out.expected += e.expected * times;
    out.messages += e.messages * times;
    out.events += e.events * times;
    out.connections += e.connections * times;
    out.windows += e.windows * times;
    out.memoryMb = Math.max(out.memoryMb, e.memoryMb);
    out.diskMb += e.diskMb;
  }
  return out;
}

const fmtMb = (mb: number) => (mb >= 10_000 ? `${fmt(mb / 1000)} GB` : `${mb} MB`);
// (int: "12,345" in English, "12.345" in Spanish; a huge number as "1.2e+9" / "1,2e+9")
const fmt = (n: number) => (n >= 1e9 ? (lang() === "es" ? n.toExponential(1).replace(".", ",") : n.toExponential(1)) : int(Math.round(n)));

/** Refuses work above the limits (exit 2) unless `allowLarge`; refuses what mxsim cannot represent at all. */
export function guardWork(e: SizeEstimate, what: string, allowLarge: boolean, single: SizeEstimate = e): void {
  if (single.messages > HARD_MAX_MESSAGES) {
    throw new UserError(
      t("cli:guard.tooMany", { what, expected: fmt(single.expected), max: fmt(HARD_MAX_MESSAGES) }),
    );
  }
  const machine = Math.floor(totalmem() / 1e6);
  if (single.memoryMb > machine) {
    throw new UserError(
      t("cli:guard.memory", { what, need: fmtMb(single.memoryMb), machine: fmtMb(machine) }),
    );
  }
  if (allowLarge) return;
  const over: string[] = [];
  if (e.messages > LIMITS.messages) over.push(t("cli:guard.over.messages", { n: fmt(LIMITS.messages) }));
  if (e.events > LIMITS.events) over.push(t("cli:guard.over.events", { n: fmt(LIMITS.events) }));
  if (e.connections > LIMITS.connections) over.push(t("cli:guard.over.connections", { n: fmt(LIMITS.connections) }));
  if (e.windows > LIMITS.windows) over.push(t("cli:guard.over.windows", { n: fmt(LIMITS.windows) }));
  if (e.memoryMb > LIMITS.memoryMb) over.push(t("cli:guard.over.memory", { n: fmtMb(LIMITS.memoryMb) }));
  if (e.diskMb > LIMITS.diskMb) over.push(t("cli:guard.over.disk", { n: fmtMb(LIMITS.diskMb) }));
  if (over.length === 0) return;
  const minutes = Math.ceil((e.events + e.connections / 4) / EVENTS_PER_SECOND / 60);
  const time =
    minutes < 120
      ? t("cli:guard.minutes", { count: minutes })
      : minutes < 2880
        ? t("cli:guard.hours", { n: Math.ceil(minutes / 60) })
        : t("cli:guard.days", { n: Math.ceil(minutes / 1440) });
  throw new UserError(
    t("cli:guard.estimate", { what, expected: fmt(e.expected), events: fmt(e.events), connections: fmt(e.connections) }) +
      (e.windows > 1000 ? t("cli:guard.estimateWindows", { windows: fmt(e.windows) }) : "") +
      t("cli:guard.estimateMemory", { memory: fmtMb(e.memoryMb) }) +
      (e.diskMb > 0 ? t("cli:guard.estimateDisk", { disk: fmtMb(e.diskMb) }) : "") +
      t("cli:guard.estimateTime", { time }) +
      t("cli:guard.overLimit", { over: over.join(", ") }),
  );
}

/**
 * How much more than estimated a run may do before the watchdog stops it.
 * MXSIM_WATCHDOG_FACTOR overrides it: the tests set it below 1 to see the watchdog act.
 */
export const WATCHDOG_FACTOR = Number(process.env.MXSIM_WATCHDOG_FACTOR) > 0 ? Number(process.env.MXSIM_WATCHDOG_FACTOR) : 4;

export interface WorkLimits {
  events: number;
  connections: number;
  windows: number;
  bytes: number;
}

/** The watchdog's limits for one run: far above the estimate (which is an upper bound), so only a runaway reaches them. */
export function watchdogFor(e: SizeEstimate): WorkLimits {
  const slackScale = Math.min(1, WATCHDOG_FACTOR);
  const far = (x: number, slack: number) => WATCHDOG_FACTOR * x + slack * slackScale;
  return {
    events: far(e.events, 1e6),
    connections: far(e.connections, 1e6),
    windows: far(e.windows, 1000),
    // Only the CSV files are streamed during the run; other commands write no more than their small files.
    bytes: e.diskMb > 0 ? far(e.diskMb * 1e6, 64e6) : Infinity,
  };
}
