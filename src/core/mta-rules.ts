/**
 * What every MTA profile answers: one object per MTA (in profiles/<name>.ts),
 * collected in the registry of profile.ts. The delivery code asks these
 * questions at its decision points and never branches on the MTA's name:
 * the stateless rules below take the profile, and what an MTA remembers about
 * hosts between attempts lives in one `HostMemory` per node, made by its rules.
 */
import type { FailureMode } from "./failure-modes.js";
import type { BounceReason } from "./outcomes.js";
import type { FailoverCell } from "./profiles/common.js";
import type { Stream } from "./rng.js";

export interface ProfileInfo {
  /** The MTA's name in running text ("Postfix", "Exchange"). */
  name: string;
  title: string;
  description: string;
  /** Where the numbers come from: the files and functions of the MTA's source, or its documentation (docs/model.md has the detail). */
  source: string;
  /** For an MTA whose memory makes it skip hosts: what remembers them ("qmail's tcpto"), for `explain`. */
  skipsHostsBy?: string;
  /** For an MTA whose memory defers without a connection: why, in its own words, for `explain`. */
  suspends?: string;
  /** For an MTA whose memory may hold an attempt until a slot frees: why it waited, for `explain`. */
  holds?: string;
  /** The administrator's command that retries the whole queue now, for `explain`. */
  flush?: string;
  /** How a relay running this MTA writes a static route of `domain` to `host` (qmail's control/smtproutes line), for `explain`. */
  route?: (domain: string, host: string) => string;
  /** A provider's outbound queue (profiles/providers.ts): it can be a sender's MTA, not a server's. */
  sender?: boolean;
}

export interface MtaRules<P> {
  /** The profile with every setting at its default. */
  defaults: P;
  /** The settings a scenario may override (the schema, the compiler and the warnings are built from them). */
  settings: readonly OptionSpec<SettingName<P>>[];
  /** Rules the MTA sets between its settings, checked on a merged profile (defaults plus overrides). */
  check?: (p: P) => OptionProblem[];
  info: ProfileInfo;
  /** Seconds the MTA waits for a TCP connection before giving up on that host. */
  connectTimeout(p: P): number;
  /** Seconds the MTA waits for the server's greeting once connected (a silent host). */
  greetingTimeout(p: P): number;
  /**
   * How many SMTP sessions (hosts that got past the greeting) one attempt may use; the host that reaches
   * the limit is treated as the last MX (Postfix's smtp_mx_session_limit). Absent: no limit.
   */
  sessionLimit?: (p: P) => number;
  /**
   * How many hosts one attempt may try (Infinity: no limit), for a message
   * queued `age` seconds when the attempt starts (Exim stops counting hosts
   * once the message is older than its last retry cutoff).
   */
  addressLimit(p: P, age: number): number;
  /** What the MTA does after each kind of failure at one host: the failover rules, as data. */
  failover: FailoverTable<P>;
  /**
   * Why the attempt that started at `start` and ended at `done` without a
   * delivery returns the message to its sender instead of deferring it (a
   * queue lifetime checked at an attempt, or Exim's retry data past its
   * cutoff, read from `walk`); undefined: it is deferred.
   */
  givesUp(p: P, walk: Walk, birth: number, start: number, done: number): BounceReason | undefined;
  /**
   * About how long after it entered the queue the MTA returns a message it cannot deliver, seconds: its
   * queue lifetime (Exim: its last retry cutoff, counted from the hosts' first failure). For text and
   * verdicts ("gives up within 24 h"); the delivery decides by `givesUp` and `expiresAt`.
   */
  giveUpAfter(p: P): number;
  /** When a queued message expires without a further attempt (Infinity: only at an attempt). */
  expiresAt(p: P, birth: number): number;
  /**
   * When the next attempt of a deferred message is due. `tries` counts the
   * attempts this queue has made (1 after the first). NaN: the caller takes
   * the earliest host hint (Exim without a queue runner).
   */
  nextAttempt(p: P, birth: number, start: number, done: number, tries: number): number;
  /**
   * When a delay warning (RFC 3464 Action: delayed) is sent after a deferral
   * that ended at `done` (`walk`: what its attempt met), with the next attempt
   * due at `next`; NaN for none. `warned` is the message's warning count in
   * this queue (see `warnedAfter`).
   */
  delayWarningAt(p: P, walk: Readonly<Walk>, birth: number, done: number, next: number, warned: number): number;
  /** The message's warning count once a warning has been sent at `done` (default: one more). */
  warnedAfter?: (p: P, birth: number, done: number, warned: number) => number;
  /**
   * How many messages one connection may carry: after a transaction completes on a host, the MTA sends
   * the messages its memory lists as waiting for that host down the same connection (Exim's continued
   * delivery). Absent: one message per connection.
   */
  connectionMessages?: (p: P) => number;
  /**
   * The sending addresses the MTA's attempts rotate through, and the /24 networks they are in (a provider's
   * pool of outbound addresses). Absent: one address.
   */
  clientPool?: (p: P) => { ips: number; subnets: number };
  /** The memory of hosts of one node running this MTA (NO_MEMORY for an MTA that keeps none). */
  memory(p: P, node: NodeContext): HostMemory;
  /** Bytes that memory may take per node at worst, for the CLI's size estimate. */
  memoryBytes(node: Pick<NodeContext, "servers" | "domains">): number;
}

/** What a node's memory is made from. */
export interface NodeContext {
  /** Servers and domains of the model: the memory's rows are indexed by them. */
  servers: number;
  domains: number;
  /** The node's own named stream `<family>:<node>` (drawn only by an MTA whose memory needs chance). */
  stream(family: string): Stream;
}

/**
 * What one attempt's walk over the MX hosts has met so far: counted by the
 * delivery (and by the memory's hooks), read by `givesUp` and `deferred`.
 * One object per delivery, reset for each attempt.
 */
export interface Walk {
  /** When the message entered the queue of the node walking (its `birth`), set at the attempt's start. */
  birth: number;
  /** Hosts connected to (or tried and failed). */
  tried: number;
  /** Hosts the memory told the walk to skip. */
  skipped: number;
  /** Skipped hosts whose retry data is past the last cutoff (Exim). */
  skippedExpired: number;
  /**
   * Tried hosts whose retry item timed out at this failure (Exim, retry.c
   * retry_update()'s timedout_count): the host's retry data is past the last
   * cutoff, or the message is older than it.
   */
  triedExpired: number;
  /** Every failure so far was at connect or greeting (FAILURE_INFO's `site`). */
  siteFailure: boolean;
  /** The walk stopped at the address limit with hosts left that it did not look at. */
  cut: boolean;
  /** 0, or 1 in a second pass over the hosts that the memory asked for (`walkAgain`). */
  pass: number;
  /** The attempts this node has made on the message, this one included (1 on the first). */
  tries: number;
}

/** What `HostMemory.admit` answers: the attempt runs now, waits in the memory's queue, or is deferred without a connection. */
export const RUN = 0;
export const WAIT = 1;
export const SUSPEND = 2;

/** HostMemory.features: admit/completed/nextReady/nextSuspended (a destination queue); the session hooks; deferredFor/nextFor. */
export const GATES = 1;
export const SESSIONS = 2;
export const WAITLIST = 4;
/** HostMemory.features: walkAgain may ask for a second pass over the hosts. */
export const PASSES = 8;

/** Connection-cache flags of a selected delivery (Postfix's DEL_REQ_FLAG_CONN_LOAD / _STORE): may take a cached session, may leave its own. */
export const LOAD = 1;
export const STORE = 2;

/** A cached SMTP session: its connection number, the host, when it was opened. */
export interface CachedSession {
  conn: number;
  host: number;
  created: number;
}

/**
 * What a sending MTA remembers about hosts between attempts, shared by all
 * the messages one node sends (qmail's tcpto, Exim's retry hints, Postfix's
 * destination queues). The delivery calls each hook at its decision point;
 * an MTA without such a memory uses NO_MEMORY.
 */
export interface HostMemory {
  /**
   * Before the attempt of message `m` to `domain` at `now`: RUN it, WAIT (the
   * memory keeps it and hands it back through `nextReady` or `nextSuspended`
   * after a `completed`), or SUSPEND it (defer it without a connection, as a
   * Postfix dead destination does). `forced` is an administrator's flush.
   */
  admit(m: number, domain: number, now: number, forced: boolean): number;
  /**
   * Which groups of hooks the memory uses (GATES, SESSIONS, WAITLIST, PASSES): the delivery skips the calls of a
   * group the memory does not use. With GATES it counts the attempts it lets run and wants `completed`
   * at the end of each one.
   */
  readonly features: number;
  /** An attempt to `domain` that `admit` let run ended at `now`; `siteFailure`: it deferred, every host failing at connect or greeting. */
  completed(domain: number, now: number, siteFailure: boolean): void;
  /** After `completed`: a waiting message for `domain` that runs now at `now` (its slot taken), or -1. */
  nextReady(domain: number, now: number): number;
  /**
   * At the start of each attempt that runs at `now` (`retry`: not the message's first attempt at this
   * node, so, for an MTA with queue runs, made by a queue run): its connection-cache flags (LOAD, STORE).
   * Postfix answers for the delivery `admit` or `nextReady` just let run.
   */
  sessionFlags(retry: boolean, now: number): number;
  /** A cached session to `domain`'s hosts that a delivery at `now` may take (filling `out`); false: none. */
  takeSession(domain: number, now: number, out: CachedSession): boolean;
  /** An open connection to `host` that the walk may use instead of connecting (filling `out`); false: none. */
  cachedTo(host: number, now: number, out: CachedSession): boolean;
  /** A delivery to `domain` that ended cleanly at `now` leaves its session in the cache. */
  saveSession(domain: number, session: Readonly<CachedSession>, now: number): void;
  /** After `completed`: a waiting message for `domain` deferred now without a connection, or -1. */
  nextSuspended(domain: number): number;
  /** True when the walk skips `host` now; `forced` is an administrator's flush. */
  skips(host: number, now: number, forced: boolean, walk: Walk): boolean;
  /** A connection to `host` failed with `mode`, known at `now` (after the timeout, for a timeout). */
  failed(host: number, mode: FailureMode, now: number, walk: Walk): void;
  /** `host` accepted a connection. */
  accepted(host: number): void;
  /**
   * The walk ended without an outcome: true to walk the same hosts once more
   * at once, with `walk.pass` set to 1 by the hook so that `skips` answers for
   * that pass (Exim with delay_after_cutoff false, when every host was skipped
   * past its cutoff). The walk's counts carry over into the second pass.
   */
  walkAgain(walk: Walk): boolean;
  /**
   * When the MTA retries after a deferral if `nextAttempt` gives NaN (Exim
   * without a queue runner): from what it remembers of the `n` hosts in `hosts`.
   */
  retryAt(hosts: Int32Array, n: number, now: number): number;
  /** An administrator's flush of the node's queue. */
  flushed(): void;
  /** Message `m` was deferred after an attempt whose candidate hosts were the first `n` of `hosts` (`walk`: what it met). */
  deferredFor(m: number, hosts: Int32Array, n: number, walk: Readonly<Walk>): void;
  /** The next message waiting for `host` to send down a connection to it, among those `queued` accepts; -1: none. */
  nextFor(host: number, queued: (m: number) => boolean): number;
}

/**
 * The memory of an MTA that remembers nothing about hosts: every hook does
 * nothing. An MTA's own memory extends it and overrides only the hooks it needs.
 */
export class NoMemory implements HostMemory {
  readonly features: number = 0;
  admit(_m: number, _domain: number, _now: number, _forced: boolean): number {
    return RUN;
  }
  completed(_domain: number, _now: number, _siteFailure: boolean): void {}
  nextReady(_domain: number, _now: number): number {
    return -1;
  }
  sessionFlags(_retry: boolean, _now: number): number {
    return 0;
  }
  cachedTo(_host: number, _now: number, _out: CachedSession): boolean {
    return false;
  }
  takeSession(_domain: number, _now: number, _out: CachedSession): boolean {
    return false;
  }
  saveSession(_domain: number, _session: Readonly<CachedSession>, _now: number): void {}
  nextSuspended(_domain: number): number {
    return -1;
  }
  skips(_host: number, _now: number, _forced: boolean, _walk: Walk): boolean {
    return false;
  }
  failed(_host: number, _mode: FailureMode, _now: number, _walk: Walk): void {}
  accepted(_host: number): void {}
  walkAgain(_walk: Walk): boolean {
    return false;
  }
  retryAt(_hosts: Int32Array, _n: number, _now: number): number {
    return NaN;
  }
  flushed(): void {}
  deferredFor(_m: number, _hosts: Int32Array, _n: number, _walk: Readonly<Walk>): void {}
  nextFor(_host: number, _queued: (m: number) => boolean): number {
    return -1;
  }
}

/** One NoMemory serves every node of the MTAs that keep none. */
export const NO_MEMORY: HostMemory = new NoMemory();
export const noMemory = (): HostMemory => NO_MEMORY;
export const noMemoryBytes = (): number => 0;

/** The unit a long duration is most likely meant in, when written as a small bare number. */
export type LongUnit = "h" | "d";

export type OptionKind =
  /**
   * A duration in seconds; `min` is the least allowed value. `long`: a duration long by nature
   * (lifetimes, warnings), so a bare number below 100 is flagged as likely meant in this unit.
   */
  | { type: "duration"; min: number; long?: LongUnit }
  /** A whole number of at least `min`. */
  | { type: "count"; min: number }
  | { type: "boolean" }
  /** Exim's retry rule syntax. */
  | { type: "retry" }
  /** A list of durations, `10m, 15m, 30m, 1h*3` (`*n`: n times), or `none` for an empty list. */
  | { type: "intervals" };

/**
 * The kind of source a profile's number comes from: the software's code, its operator's documentation,
 * a published measurement, a public bug report, a third party's page, or mxsim's assumption where
 * nothing is published.
 */
export type SourceKind = "code" | "documented" | "measured" | "issue" | "third-party" | "assumed";

/** Where one number of a profile comes from. */
export interface Source {
  kind: SourceKind;
  text: string;
}

/** One setting of a profile, under the name the MTA's own configuration gives it. */
export interface OptionSpec<K extends string = string> {
  key: K;
  kind: OptionKind;
  description: string;
  example: string | number | boolean;
  /** Where its default comes from, for a profile whose numbers come from different kinds of source (the providers'). */
  source?: Source;
}

/** The names of a profile's settings: its fields but `mta`. */
export type SettingName<P> = Exclude<keyof P, "mta"> & string;

/** A problem with a merged profile, at the option to fix (a key of that MTA's settings). */
export interface OptionProblem {
  key: string;
  message: string;
}

export const dur = (min = 1) => ({ type: "duration" as const, min });
/** A duration long by nature (see OptionKind). */
export const long = (unit: LongUnit, min: number) => ({ type: "duration" as const, min, long: unit });
export const count = (min = 1) => ({ type: "count" as const, min });
export const bool = { type: "boolean" as const };

/**
 * MTA × failure mode → what happens at a host that is not the last MX and at the
 * last; a cell that depends on a setting is a function of the profile. Every
 * mode must have a cell (a new mode does not compile until each MTA answers it).
 */
export type FailoverTable<P> = Record<FailureMode, FailoverCell | ((p: P) => FailoverCell)>;

/** For MTAs that check no lifetime at an attempt, or expire by no timer. */
export const neverGivesUp = (): undefined => undefined;
export const noTimer = (): number => Infinity;
export const noLimit = (): number => Infinity;
