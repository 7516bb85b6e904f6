/**
 * The model the simulator runs: a validated scenario with every name resolved
 * to an index. All times are integer seconds of simulated time since the
 * scenario's start (t = 0).
 */
import type { Profile } from "./profile.js";
import type { StoryPick } from "./story-picks.js";

// The failure modes and what each means are defined in failure-modes.ts; what each MTA does
// on each one is the failover table in its profile (profiles/*.ts).
export { FAILURE_MODES, type FailureMode } from "./failure-modes.js";
import type { FailureMode } from "./failure-modes.js";

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
  /** MX records; for an implicit MX (no MX records, an address) one record of preference 0 (RFC 5321 §5.1). */
  mx: MxRecord[];
  /** `MX 0 .`: the domain accepts no mail; senders bounce at once (RFC 7505). */
  nullMx: boolean;
  /** True when `mx` is the implicit MX made from the domain's address record. */
  implicit: boolean;
}

export interface Server {
  name: string;
  /**
   * mailbox: holds the mailboxes of `domains` (final delivery).
   * relay: queue-only backup for `relayDomains` (qmail: control/rcpthosts), forwarding by `routes`.
   * balancer: a load balancer's virtual address (LVS) in front of `members`, mailbox servers
   * that can all deliver: each connection goes to a member that passes a TCP health check.
   */
  role: "mailbox" | "relay" | "balancer";
  /** A balancer's members (server indices). */
  members: number[];
  /** Domain indices this server delivers to local mailboxes. */
  domains: number[];
  /** Domain indices this server accepts and queues for relaying. */
  relayDomains: number[];
  /** Static routes, domain index → server index (qmail: control/smtproutes `domain:relay`). */
  routes: Map<number, number>;
  /** Outage windows, sorted by start and not overlapping. */
  outages: Outage[];
  /**
   * Random failures on top of the outage windows (a flapping server): up
   * periods with mean `up` seconds, down periods with mean `down` seconds,
   * both exponential, drawn from the run's streams.
   */
  flapping?: { up: number; down: number; mode: FailureMode };
  /** The MTA whose queue this server imitates. */
  profile: Profile;
  /** Concurrent SMTP sessions it accepts; above that it answers 421 (Infinity: no limit). */
  capacity: number;
  /** How long one accepted SMTP session occupies a slot, seconds. */
  sessionTime: number;
  /** A relay that knows the valid recipients rejects unknown ones at RCPT (Postfix relay_recipient_maps). */
  recipientValidation: boolean;
  /** Greylisting (delay 0: off), as postgrey does it (docs/model.md#greylisting). */
  greylisting: Greylisting;
}

/** A server's greylisting policy, in postgrey's terms (src/core/greylist.ts). */
export interface Greylisting {
  /** Seconds a triplet waits from its first sight before an attempt passes (postgrey --delay, 300); 0: off. */
  delay: number;
  /** What identifies the client: its /24 network (postgrey's default, --lookup-by-subnet) or its exact address (--lookup-by-host). */
  key: "subnet" | "ip";
  /** Client nodes (servers, then senders) never greylisted (postgrey_whitelist_clients). */
  whitelist: number[];
  /** A client address whose triplets passed this many times (one counted per hour) is passed at once (--auto-whitelist-clients, 5); 0: off. */
  autoWhitelist: number;
  /** A first retry this long after the first sight starts the wait over (--retry-window, 2 days). */
  retryWindow: number;
}

/** No greylisting. */
export const NO_GREYLISTING: Greylisting = { delay: 0, key: "subnet", whitelist: [], autoWhitelist: 0, retryWindow: Infinity };

export type Arrivals =
  /** A Poisson process: `rate` messages per second on average. */
  | { kind: "poisson"; rate: number }
  /** Messages sent at these times (sorted, seconds). */
  | { kind: "list"; times: number[] };

export interface Sender {
  name: string;
  /** The sender stops creating messages at this time, seconds (Infinity: it sends for the whole run). */
  until: number;
  /** Destination domain index. */
  domain: number;
  arrivals: Arrivals;
  /** The MTA whose queue the sender's own mail waits in when every MX fails. */
  profile: Profile;
  /** The envelope sender is forged (spam): bounces and warnings sent to it by servers are backscatter. */
  forged: boolean;
  /** Share of its messages addressed to recipients that do not exist (0 to 1). */
  invalidRecipients: number;
  /**
   * "mx-order": a normal MTA; "lowest-priority": spam software that connects
   * only to the MX with the highest preference number, the backup, hoping for
   * weaker filtering (docs/model.md#spam-software).
   */
  target: "mx-order" | "lowest-priority";
  /** False for spam software: a message that is not accepted at once is dropped, no retry, no bounce. */
  retries: boolean;
}

/** An administrator's action at a given time. */
export interface AdminAction {
  at: number;
  /** flush: retry every message queued at `node` now (qmailctl flush, postqueue -f, exim -qff, sendmail -q). */
  kind: "flush";
  /** Node index: a server, or servers.length + a sender's index. */
  node: number;
}

export interface Model {
  name: string;
  /** What the scenario shows, in English (or in the one language it was written in): results.json carries this one. */
  description: string;
  /** The description by language code ("en", "es"), when the scenario gives more than one; reports pick the reader's. */
  descriptions?: Readonly<Record<string, string>>;
  seed: number;
  /** Wall-clock time of t = 0, as milliseconds since the Unix epoch (only for display). */
  startEpochMs: number;
  /** Simulated horizon in seconds: events at or after it are not run. */
  duration: number;
  domains: Domain[];
  servers: Server[];
  senders: Sender[];
  /** Sorted by time. */
  actions: AdminAction[];
  /** The story the scenario tells by default (`story:`), for `explain` and story.txt (only for display). */
  story?: StoryPick;
}
