/**
 * The per-run state of a simulation, built once from a model: the tables the
 * run writes, its event queue, each node's profile and memory of hosts, the
 * servers' session slots, and the random streams drawn while it runs. The
 * delivery code reads everything from here; simulate.ts owns the clock.
 */
import type { AttemptSink } from "./attempt-log.js";
import { EventQueue } from "./event-queue.js";
import { runOutages } from "./failures.js";
import { MessageTable } from "./message-table.js";
import type { Model, Outage } from "./model.js";
import type { HostMemory } from "./mta-rules.js";
import { relayPlan, senderPlan, type HostPlan } from "./mx-lookup.js";
import { hostMemory, type Profile } from "./profile.js";
import { QueueTracker, type SeriesSpec } from "./queue-tracker.js";
import type { Stream, Streams } from "./rng.js";
import { SessionSlots } from "./session-slots.js";

// How a server treats a domain (accepts[server * nDomains + domain]); 0 = rejects it (553).
export const MAILBOX = 1;
export const RELAY = 2;

/** A node is a server (index < servers.length) or a sender (servers.length + sender index). */
export interface NodeInfo {
  name: string;
  kind: "server" | "sender";
}

export interface World {
  model: Model;
  /** The servers, then the senders. */
  nodes: NodeInfo[];
  /** Each server's outage windows in this run: the scenario's, plus drawn ones for flapping servers. */
  outages: Outage[][];
  messages: MessageTable;
  events: EventQueue;
  queues: QueueTracker;
  /** Receives every attempt, connection and notification. */
  sink: AttemptSink;
  /** Per node: its profile, its memory of hosts, and the stream that shuffles equal MX preferences. */
  profiles: Profile[];
  memories: HostMemory[];
  mxStreams: Stream[];
  /** Per server: its session slots, and the stream a balancer draws its member from. */
  slots: SessionSlots[];
  balancerStreams: Stream[];
  /** How each server treats each domain, accepts[server * nDomains + domain]: MAILBOX, RELAY or 0. */
  accepts: Uint8Array;
  /** The host candidates of `node` for `domain`, computed once. */
  planFor(node: number, domain: number): HostPlan;
}

export interface WorldOptions {
  sink: AttemptSink;
  binWidth: number;
  /** Refuse to draw more outage windows than this for flapping servers (throws WorkLimitExceeded). */
  maxOutageWindows: number;
  /** Room for this many messages before the table grows. */
  expectedMessages: number;
}

/** The nodes of a model: its servers, then its senders. */
export function nodesOf(model: Model): NodeInfo[] {
  return [
    ...model.servers.map((s) => ({ name: s.name, kind: "server" as const })),
    ...model.senders.map((s) => ({ name: s.name, kind: "sender" as const })),
  ];
}

export function buildWorld(model: Model, streams: Streams, options: WorldOptions): World {
  const { servers, senders, domains } = model;
  const nodes = nodesOf(model);
  const profiles: Profile[] = [...servers.map((s) => s.profile), ...senders.map((s) => s.profile)];
  const size = { servers: servers.length, domains: domains.length };
  return {
    model,
    nodes,
    outages: runOutages(model, streams, options.maxOutageWindows),
    messages: new MessageTable(Math.ceil(options.expectedMessages * 1.02) + 64),
    events: new EventQueue(),
    queues: queueTracker(model, nodes.length, options.binWidth),
    sink: options.sink,
    profiles,
    memories: profiles.map((p, i) => hostMemory(p, { ...size, stream: (family) => streams.get(`${family}:${nodes[i]!.name}`) })),
    mxStreams: nodes.map((n) => streams.get(`mx-order:${n.name}`)),
    slots: servers.map((s) => new SessionSlots(s.capacity, s.sessionTime)),
    balancerStreams: servers.map((s) => streams.get(`balancer:${s.name}`)),
    accepts: acceptance(model),
    planFor: plans(model),
  };
}

function acceptance(model: Model): Uint8Array {
  const nDomains = model.domains.length;
  const accepts = new Uint8Array(model.servers.length * nDomains);
  model.servers.forEach((s, i) => {
    for (const d of s.domains) accepts[i * nDomains + d] = MAILBOX;
    for (const d of s.relayDomains) accepts[i * nDomains + d] = RELAY;
  });
  return accepts;
}

/** Host candidates per (node, domain), computed on first use and kept. */
function plans(model: Model): (node: number, domain: number) => HostPlan {
  const nServers = model.servers.length;
  const nDomains = model.domains.length;
  const made = new Map<number, HostPlan>();
  return (node, domain) => {
    const key = node * nDomains + domain;
    let plan = made.get(key);
    if (!plan) {
      plan =
        node < nServers
          ? relayPlan(model, node, domain)
          : senderPlan(model, domain, model.senders[node - nServers]!.target === "lowest-priority");
      made.set(key, plan);
    }
    return plan;
  };
}

/** One queue-depth series per relay, and one for all the senders' own queues. */
function queueTracker(model: Model, nNodes: number, binWidth: number): QueueTracker {
  const nServers = model.servers.length;
  const series: SeriesSpec[] = [];
  const seriesOfNode = new Int32Array(nNodes).fill(-1);
  model.servers.forEach((s, i) => {
    if (s.role === "relay") seriesOfNode[i] = series.push({ name: s.name, kind: "relay" }) - 1;
  });
  if (model.senders.length > 0) {
    const all = series.push({ name: "senders' own queues", kind: "senders" }) - 1;
    for (let i = 0; i < model.senders.length; i++) seriesOfNode[nServers + i] = all;
  }
  return new QueueTracker(series, seriesOfNode, binWidth, model.duration);
}
