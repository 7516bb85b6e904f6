/**
 * Sendmail 8.18 with an m4-generated sendmail.cf: no per-message backoff,
 * every queue run retries every queued message. Described in
 * docs/model.md#sendmail.
 */
import { type CachedSession, count, dur, type FailoverTable, LOAD, long, type MtaRules, SESSIONS, NoMemory, noLimit, noTimer, STORE, type Walk } from "../mta-rules.js";
import { FAILURE_INFO, type FailureMode } from "../failure-modes.js";
import { FAIL, MOVE_ON, MOVE_ON_THEN_FAIL, runAfter } from "./common.js";

export interface SendmailProfile {
  mta: "sendmail";
  /** The daemon's -q interval (no built-in default); mxsim uses 30m, a common choice. */
  queue_run_interval: number;
  /** When the queue-run grid starts, seconds; mxsim's own knob, default 0. */
  queue_run_phase: number;
  /** Timeout.queuereturn, default 5d (cf/m4/proto.m4). */
  queuereturn: number;
  /** Timeout.queuewarn, 4h from the m4 template; 0 = no warning. */
  queuewarn: number;
  /**
   * Timeout.connect: 0 in sendmail (readcf.c inittimeouts(), cf/README), so no
   * alarm is set and connect() runs until the kernel gives up. mxsim assumes
   * Linux's default, about 127 s (tcp_syn_retries = 6): an assumption about the host.
   */
  connect_timeout: number;
  /** Timeout.initial: the wait for the greeting; default 5m (usersmtp.c smtpinit(), readcf.c inittimeouts()). */
  initial_timeout: number;
  /** ConnectionCacheSize: open connections a queue run keeps for later messages; 0 = none. 2 in the m4 template (cfhead.m4 confMCI_CACHE_SIZE). */
  connection_cache_size: number;
}

export const SENDMAIL_DEFAULTS: SendmailProfile = {
  mta: "sendmail",
  queue_run_interval: 1800,
  queue_run_phase: 0,
  queuereturn: 432000,
  queuewarn: 14400,
  connect_timeout: 127,
  initial_timeout: 300,
  connection_cache_size: 2,
};

/** The next queue run after the attempt (every run retries every queued message). */
export function sendmailNextAttempt(p: SendmailProfile, done: number): number {
  return runAfter(done, p.queue_run_interval, p.queue_run_phase);
}

/** dropenvelope() (envelope.c line 232): after an attempt, now ≥ ctime + queuereturn returns the message. */
export function sendmailExpired(p: SendmailProfile, birth: number, done: number): boolean {
  return done >= birth + p.queuereturn;
}

/**
 * What one queue-run process remembers (mci.c): the status of each host it
 * tried, and its open connections. A host that failed at connect or greeting
 * (EX_TEMPFAIL) is skipped by the run's later messages (Timeout.hoststatus,
 * 30 min, is longer than a run takes in mxsim, where a run's messages are all
 * tried at its time); a connection that carried a message stays open for the
 * run's later messages to the same host (mci_cache, mci_get with an RSET
 * probe), at most ConnectionCacheSize of them, the least recently used closed
 * first (mci_scan). A message's first attempt, at submission, is its own
 * process and remembers nothing; so is each queue run, so the memory starts
 * afresh at each run (HostStatusDirectory, which would keep host status
 * across processes, is unset by default).
 */
export class SendmailRun extends NoMemory {
  override readonly features = SESSIONS;
  private runAt = NaN;
  private inRun = false;
  private readonly failedHosts = new Set<number>();
  /** Open connections, the most recently used last. */
  private readonly open: CachedSession[] = [];

  constructor(private readonly p: SendmailProfile) {
    super();
  }

  sessionFlags(retry: boolean, now: number): number {
    this.inRun = retry;
    if (!retry) return 0;
    if (now !== this.runAt) {
      this.runAt = now;
      this.failedHosts.clear();
      this.open.length = 0;
    }
    return this.p.connection_cache_size > 0 ? LOAD | STORE : 0;
  }

  skips(host: number, _now: number, _forced: boolean, _walk: Walk): boolean {
    return this.inRun && this.failedHosts.has(host);
  }

  failed(host: number, mode: FailureMode, _now: number, _walk: Walk): void {
    if (this.inRun && FAILURE_INFO[mode].site) this.failedHosts.add(host);
  }

  cachedTo(host: number, _now: number, out: CachedSession): boolean {
    if (!this.inRun) return false;
    const k = this.open.findIndex((s) => s.host === host);
    if (k < 0) return false;
    const [s] = this.open.splice(k, 1);
    Object.assign(out, s);
    return true;
  }

  saveSession(_domain: number, session: Readonly<CachedSession>, _now: number): void {
    if (!this.inRun) return;
    const k = this.open.findIndex((s) => s.host === session.host);
    if (k >= 0) this.open.splice(k, 1);
    this.open.push({ ...session });
    if (this.open.length > this.p.connection_cache_size) this.open.shift();
  }
}

/** Sendmail moves to the next MX on any temporary error; a 5xx greeting on the last MX bounces. */
const SENDMAIL_FAILOVER = {
  refused: MOVE_ON,
  timeout: MOVE_ON,
  // "timeout waiting for input during client greeting": deliver() goes on to the next MX host.
  silent: MOVE_ON,
  "greeting-4xx": MOVE_ON,
  "greeting-5xx": MOVE_ON_THEN_FAIL,
  "rcpt-4xx": MOVE_ON,
  "reject-5xx": FAIL,
} as const satisfies FailoverTable<SendmailProfile>;

/** sendmail's answers to the delivery's questions (mta-rules.ts). */
export const SENDMAIL: MtaRules<SendmailProfile> = {
  defaults: SENDMAIL_DEFAULTS,
  /** The settings a scenario may override, under the names the MTA's own configuration uses. */
  settings: [
    { key: "queue_run_interval", kind: dur(), description: "the daemon's -q interval: every run retries every queued message (default 30m)", example: "30m" },
    { key: "queue_run_phase", kind: dur(0), description: "mxsim: when the first queue run happens after the start (default 0s)", example: "0s" },
    { key: "queuereturn", kind: long("d", 0), description: "Timeout.queuereturn: return the message after this long (default 5d)", example: "5d" },
    { key: "queuewarn", kind: long("h", 0), description: "Timeout.queuewarn: send a delay warning after this long; 0 = never (default 4h)", example: "4h" },
    { key: "connect_timeout", kind: dur(), description: "Timeout.connect (default: the OS limit, about 127s on Linux)", example: "127s" },
    { key: "initial_timeout", kind: dur(), description: "Timeout.initial: wait for the greeting (default 5m)", example: "5m" },
    {
      key: "connection_cache_size",
      kind: count(0),
      description: "ConnectionCacheSize: open connections a queue run keeps for its later messages; 0 = none (default 2)",
      example: 2,
    },
  ],
  info: {
    flush: "sendmail -q",
    route: (domain, host) => `mailertable: ${domain} esmtp:[${host}]`,
    name: "Sendmail",
    title: "Sendmail 8.18 (m4-generated sendmail.cf)",
    description:
      "No per-message backoff: every queue run (-q30m here) retries every queued message. Returned after " +
      "Timeout.queuereturn (5 days) at the end of an attempt; a delayed DSN after Timeout.queuewarn (4 hours). " +
      "Moves to the next MX on any temporary error; a 5xx greeting on the last MX bounces. Timeout.connect is 0 " +
      "(the kernel's limit): mxsim assumes Linux's 127 s. Within one queue run a host that failed is skipped by the " +
      "later messages, and up to 2 open connections are kept for them (ConnectionCacheSize).",
    source: "envelope.c dropenvelope(), deliver.c deliver(), cf/README; usersmtp.c smtpinit() and readcf.c inittimeouts(); mci.c mci_cache(), mci_get(), mci_scan()",
    skipsHostsBy: "Sendmail's host status (within one queue run)",
  },
  connectTimeout: (p) => p.connect_timeout,
  greetingTimeout: (p) => p.initial_timeout,
  addressLimit: noLimit,
  failover: SENDMAIL_FAILOVER,
  giveUpAfter: (p) => p.queuereturn,
  givesUp: (p, _walk, birth, _start, done) => (sendmailExpired(p, birth, done) ? "lifetime" : undefined),
  expiresAt: noTimer,
  nextAttempt: (p, _birth, _start, done) => sendmailNextAttempt(p, done),
  delayWarningAt: (p, _walk, birth, done, _next, warned) => (p.queuewarn > 0 && warned === 0 && done - birth >= p.queuewarn ? done : NaN),
  memory: (p) => new SendmailRun(p),
  // The run's host status and its few open connections.
  memoryBytes: (node) => 16 * node.servers + 64,
};
