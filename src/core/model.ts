/**
 * The model the simulator runs: a validated scenario with every name resolved
 * to an index. All times are integer seconds of simulated time since the
 * scenario's start (t = 0).
 */
import type { Profile } from "./profile.js";

/** How a server behaves during an outage window. */
export type FailureMode =
  /** TCP connection refused (host or service down): the sender tries the next MX at once. */
  | "refused"
  /** Blackholed: the sender waits its connect timeout, then tries the next MX. */
  | "timeout"
  /** Reachable but answering `421` (saturated): the connection succeeds, so a qmail sender does not fail over. */
  | "greeting-4xx";

export const FAILURE_MODES: readonly FailureMode[] = ["refused", "timeout", "greeting-4xx"];

/** One outage window: the server is down in [start, end). */
export interface Outage {
  start: number;
  end: number;
  mode: FailureMode;
}

export interface MxRecord {
  preference: number;
  /** Index into `Model.servers`. */
  server: number;
}

export interface Domain {
  name: string;
  mx: MxRecord[];
}

export interface Server {
  name: string;
  /**
   * mailbox: holds the mailboxes of `domains` (final delivery).
   * relay: queue-only backup for `relayDomains` (qmail: control/rcpthosts), forwarding by `routes`.
   */
  role: "mailbox" | "relay";
  /** Domain indices this server delivers to local mailboxes. */
  domains: number[];
  /** Domain indices this server accepts and queues for relaying. */
  relayDomains: number[];
  /** Static routes, domain index → server index (qmail: control/smtproutes `domain:relay`). */
  routes: Map<number, number>;
  /** Outage windows, sorted by start and not overlapping. */
  outages: Outage[];
  /** The MTA whose queue this server imitates. */
  profile: Profile;
}

export type Arrivals =
  /** A Poisson process: `rate` messages per second on average. */
  | { kind: "poisson"; rate: number }
  /** Messages sent at these times (sorted, seconds). */
  | { kind: "list"; times: number[] };

export interface Sender {
  name: string;
  /** Destination domain index. */
  domain: number;
  arrivals: Arrivals;
  /** The MTA whose queue the sender's own mail waits in when every MX fails. */
  profile: Profile;
}

export interface Model {
  name: string;
  description: string;
  seed: number;
  /** Wall-clock time of t = 0, as milliseconds since the Unix epoch (only for display). */
  startEpochMs: number;
  /** Simulated horizon in seconds: events at or after it are not run. */
  duration: number;
  domains: Domain[];
  servers: Server[];
  senders: Sender[];
}
