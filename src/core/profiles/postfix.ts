/**
 * Postfix 2.4+ (3.x): qmgr's backoff and deferred-queue scans, and the smtp
 * client's MX walk. Facts from mta-facts.md §2 and §8.2.
 */
import { bool, count, dur, type FailoverTable, long, NoMemory, type MtaRules, noTimer, type Walk } from "../mta-rules.js";
import { FAIL, MOVE_ON, runAtOrAfter } from "./common.js";

export interface PostfixProfile {
  mta: "postfix";
  /** Default 300 s (= queue_run_delay), mail_params.h line 804 (§2.1). */
  minimal_backoff_time: number;
  /** Default 4000 s, mail_params.h line 808 (§2.1). */
  maximal_backoff_time: number;
  /** How often the deferred queue is scanned. Default 300 s, mail_params.h line 801 (§2.1). */
  queue_run_delay: number;
  /** When the scan grid starts (qmgr's start-up time), seconds; mxsim's own knob, default 0 (§8.2 P3). */
  queue_run_phase: number;
  /** Default 5d, mail_params.h line 812 (§2.1). Checked only after a failed attempt (§2.3). */
  maximal_queue_lifetime: number;
  /** Default 0 = no delay warnings, mail_params.h line 824 (§2.1, §2.3). */
  delay_warning_time: number;
  /** Default 30 s, mail_params.h line 1103 (§2.1). */
  smtp_connect_timeout: number;
  /** Default 300 s: the wait for the greeting (and the EHLO reply), mail_params.h (smtp_proto.c smtp_helo()). */
  smtp_helo_timeout: number;
  /** Default yes: a 5xx greeting is treated as 4xx and the next MX is tried (§2.4). */
  smtp_skip_5xx_greeting: boolean;
  /** Default 5 addresses per delivery attempt, mail_params.h line 299 (§2.1). */
  smtp_mx_address_limit: number;
}

export const POSTFIX_DEFAULTS: PostfixProfile = {
  mta: "postfix",
  minimal_backoff_time: 300,
  maximal_backoff_time: 4000,
  queue_run_delay: 300,
  queue_run_phase: 0,
  maximal_queue_lifetime: 432000,
  delay_warning_time: 0,
  smtp_connect_timeout: 30,
  smtp_helo_timeout: 300,
  smtp_skip_5xx_greeting: true,
  smtp_mx_address_limit: 5,
};

/**
 * qmgr_active_done_3_generic() (qmgr_active.c 543–571, §2.2): the message is
 * eligible again at t_done + clamp(age, minimal, maximal backoff), where age
 * is measured at t_done; it is then picked up by the first deferred-queue
 * scan at or after eligible − 1 (qmgr_active.c line 206 skips files with
 * mtime > now + 1).
 */
export function postfixNextAttempt(p: PostfixProfile, birth: number, done: number): number {
  const age = done - birth;
  const delay = Math.min(Math.max(age, p.minimal_backoff_time), p.maximal_backoff_time);
  return runAtOrAfter(done + delay - 1, p.queue_run_delay, p.queue_run_phase);
}

/** Expiry is checked after a deferred attempt: event_time ≥ create_time + lifetime (§2.3). */
export function postfixExpired(p: PostfixProfile, birth: number, done: number): boolean {
  return done >= birth + p.maximal_queue_lifetime;
}

/**
 * qmgr's dead destinations for one node (qmgr_queue.c, §2.2): after an attempt
 * in which every MX host failed at connect or greeting, the destination is
 * dead for minimal_backoff_time, and other messages to it are deferred without
 * a connection ("delivery temporarily suspended"). A flush (postqueue -f)
 * revives them. The row is made at the node's first dead destination.
 */
export class PostfixDestinations extends NoMemory {
  private deadUntil: Float64Array | undefined;

  constructor(
    private readonly p: PostfixProfile,
    private readonly domains: number,
  ) {
    super();
  }

  isDead(domain: number, now: number): boolean {
    return this.deadUntil !== undefined && now < this.deadUntil[domain]!;
  }

  markDead(domain: number, until: number): void {
    (this.deadUntil ??= new Float64Array(this.domains))[domain] = until;
  }

  /** A flush ignores dead destinations, as postqueue -f does. */
  suspended(domain: number, now: number, forced: boolean): boolean {
    return !forced && this.isDead(domain, now);
  }

  deferred(domain: number, now: number, walk: Walk): void {
    if (walk.tried > 0 && walk.siteFailure) this.markDead(domain, now + this.p.minimal_backoff_time);
  }

  /** postqueue -f also flushes the dead destinations ("A F D" trigger, §2.2). */
  flushed(): void {
    this.deadUntil?.fill(0);
  }
}

/** Postfix tries the next MX on any temporary error (smtp_connect.c, smtp_trouble.c, §2.4). */
const POSTFIX_FAILOVER = {
  refused: MOVE_ON,
  timeout: MOVE_ON,
  // smtp_helo_timeout runs out: a soft failure of the session, and the client tries the next address (smtp_connect.c).
  silent: MOVE_ON,
  "greeting-4xx": MOVE_ON,
  // smtp_skip_5xx_greeting (default yes): a 5xx greeting is treated as a temporary error at that host.
  "greeting-5xx": (p) => (p.smtp_skip_5xx_greeting ? MOVE_ON : FAIL),
  "rcpt-4xx": MOVE_ON,
  "reject-5xx": FAIL,
} as const satisfies FailoverTable<PostfixProfile>;

/** postfix's answers to the delivery's questions (mta-rules.ts). */
export const POSTFIX: MtaRules<PostfixProfile> = {
  defaults: POSTFIX_DEFAULTS,
  /** The settings a scenario may override, under the names the MTA's own configuration uses. */
  settings: [
    { key: "minimal_backoff_time", kind: dur(), description: "shortest wait between attempts (default 300s)", example: "300s" },
    { key: "maximal_backoff_time", kind: dur(), description: "longest wait between attempts (default 4000s)", example: "4000s" },
    { key: "queue_run_delay", kind: dur(), description: "how often the deferred queue is scanned (default 300s)", example: "300s" },
    { key: "queue_run_phase", kind: dur(0), description: "mxsim: when the first scan happens after the start (default 0s)", example: "0s" },
    { key: "maximal_queue_lifetime", kind: long("d", 0), description: "bounce after this long, at the next failed attempt (default 5d)", example: "5d" },
    { key: "delay_warning_time", kind: long("h", 0), description: "send one delay warning after this long; 0 = never (default 0)", example: "4h" },
    { key: "smtp_connect_timeout", kind: dur(), description: "wait for a TCP connection (default 30s)", example: "30s" },
    { key: "smtp_helo_timeout", kind: dur(), description: "wait for the greeting and the EHLO reply (default 300s)", example: "300s" },
    { key: "smtp_skip_5xx_greeting", kind: bool, description: "treat a 5xx greeting as 4xx and try the next MX (default true)", example: true },
    { key: "smtp_mx_address_limit", kind: count(), description: "addresses tried per attempt (default 5)", example: 5 },
  ],
  // qmgr clamps a deferred message's delay between the two (docs/mta-facts.md §2.2, qmgr_active.c): a minimum above the maximum is no range.
  check: (p) =>
    p.minimal_backoff_time > p.maximal_backoff_time
      ? [{ key: "minimal_backoff_time", message: "minimal_backoff_time is longer than maximal_backoff_time; make it shorter or equal" }]
      : [],
  info: {
    name: "Postfix",
    title: "Postfix 2.4+ / 3.x",
    description:
      "Next eligible at t_done + clamp(age, 300 s, 4000 s), picked up by the deferred-queue scan every 300 s; " +
      "maximal_queue_lifetime 5 days, checked after a failed attempt. Tries the next MX on any temporary error, " +
      "including 4xx and (by default) 5xx greetings. A destination whose MX hosts all failed is dead for 300 s: other " +
      "messages to it are deferred without a connection. Delay warnings off unless delay_warning_time is set.",
    source: "mta-facts.md §2, §8.2 (qmgr_active.c, qmgr.c, smtp_connect.c, smtp_trouble.c)",
    suspends: 'the destination is marked dead after the last failures ("delivery temporarily suspended")',
  },
  connectTimeout: (p) => p.smtp_connect_timeout,
  greetingTimeout: (p) => p.smtp_helo_timeout,
  addressLimit: (p) => p.smtp_mx_address_limit,
  failover: POSTFIX_FAILOVER,
  givesUp: (p, _walk, birth, _start, done) => (postfixExpired(p, birth, done) ? "lifetime" : undefined),
  expiresAt: noTimer,
  nextAttempt: (p, birth, _start, done) => postfixNextAttempt(p, birth, done),
  // The first deferred attempt with event_time ≥ warn_time − 1; one warning only (§2.3, P5).
  delayWarningAt: (p, _walk, birth, done, _next, warned) =>
    p.delay_warning_time > 0 && warned === 0 && done - birth >= p.delay_warning_time - 1 ? done : NaN,
  memory: (p, node) => new PostfixDestinations(p, node.domains),
  memoryBytes: (node) => 8 * node.domains,
};
