/**
 * Exim 4: retry rules counted from a host's first failure, retry hints per
 * host shared by all messages, and a queue runner that starts deliveries
 * periodically, described in docs/model.md#exim.
 */
import { bool, count, dur, type FailoverTable, long, NoMemory, type MtaRules, PASSES, WAITLIST, noTimer, type Walk } from "../mta-rules.js";
import type { FailureMode } from "../failure-modes.js";
import { FAIL, MOVE_ON, MOVE_ON_THEN_FAIL, runAfter } from "./common.js";
import { EximWaitDb } from "./exim-wait.js";

/** One parameter set of a retry rule: F (fixed interval) or G (geometric). */
export interface RetryRule {
  kind: "F" | "G";
  /** Seconds since the host's first failure up to which this set applies. */
  cutoff: number;
  /** F: the interval; G: the starting interval (seconds). */
  p1: number;
  /** G: the multiplier × 1000, in integer arithmetic as retry.c does (1.5 → 1500). */
  p2: number;
}

export interface EximProfile {
  mta: "exim";
  /** The retry rule, default `F,2h,15m; G,16h,1h,1.5; F,4d,6h` (configure.default line 943). */
  retry: RetryRule[];
  /** The queue runner's interval (-q30m), seconds; 0 = a delivery at each retry hint (the idealised E1). */
  queue_run_interval: number;
  /** When the queue runner's grid starts, seconds; mxsim's own knob, default 0. */
  queue_run_phase: number;
  /** Caps every retry interval; default and maximum 24h (the Exim spec: it "cannot be set greater than 24h"). */
  retry_interval_max: number;
  /**
   * Default true: when every host is past its cutoff and in its retry wait, bounce at once; false: first try
   * each such host not tried since the message arrived (smtp.c smtp_transport_entry(), the second pass).
   */
  delay_after_cutoff: boolean;
  /** Hints not updated for this long are ignored; default 7d (retry.c retry_update()). */
  retry_data_expire: number;
  /** Interval of delay warnings; default 24h, 0 = none (deliver.c deliver_message()). */
  delay_warning: number;
  /** The smtp transport's connect_timeout; default 5m (smtp.c line 191). */
  connect_timeout: number;
  /** The smtp transport's command_timeout, also the wait for the banner; default 5m (smtp.c, smtp_reap_banner()). */
  command_timeout: number;
  /** hosts_max_try: addresses tried per delivery; default 5 (smtp.c line 195). */
  hosts_max_try: number;
  /** Messages one connection carries (continued delivery); 0 = no limit. Default 500 (globals.c transport_defaults). */
  connection_max_messages: number;
}

export const EXIM_DEFAULT_RETRY = "F,2h,15m; G,16h,1h,1.5; F,4d,6h";

export const EXIM_DEFAULTS: EximProfile = {
  mta: "exim",
  retry: [
    { kind: "F", cutoff: 7200, p1: 900, p2: 0 },
    { kind: "G", cutoff: 57600, p1: 3600, p2: 1500 },
    { kind: "F", cutoff: 345600, p1: 21600, p2: 0 },
  ],
  // The queue runner interval is a daemon argument, not an Exim default; 30m is the
  // value commonly shipped (Debian's QUEUEINTERVAL, unverified).
  queue_run_interval: 1800,
  queue_run_phase: 0,
  retry_interval_max: 86400,
  delay_after_cutoff: true,
  retry_data_expire: 604800,
  delay_warning: 86400,
  connect_timeout: 300,
  command_timeout: 300,
  hosts_max_try: 5,
  connection_max_messages: 500,
};

/**
 * A host's retry hint, as retry.c keeps it in its hints database: when the
 * host first failed, when it was last tried, when it may be tried again, and
 * whether it is past the last rule's cutoff.
 */
export interface HostHint {
  firstFailed: number;
  lastTry: number;
  nextTry: number;
  expired: boolean;
}

/**
 * retry_update() (retry.c from line 579) after a host error at
 * `now`, updating `hint` in place: start a new record if there is none
 * (firstFailed NaN) or it is older than retry_data_expire, pick the first rule
 * whose cutoff covers the failing interval (none: expired, use the last), and
 * compute the next try. True when the retry item timed out: the record is
 * expired, or (step 4, retry.c 838–862) the message, born at `birth` no later
 * than the record's first failure, is older than the last cutoff although the
 * record is not expired; then the next try is now, "so that any subsequent
 * messages in the same condition also get tried", and the record stays not
 * expired. `birth` NaN: no message (step 4 never applies).
 */
export function eximUpdateHint(p: EximProfile, hint: HostHint, now: number, birth = NaN): boolean {
  if (Number.isNaN(hint.firstFailed) || now - hint.lastTry > p.retry_data_expire) {
    hint.firstFailed = now;
    hint.lastTry = now;
    hint.nextTry = now;
  }
  const failing = now - hint.firstFailed;
  let rule = p.retry.find((r) => failing <= r.cutoff);
  hint.expired = rule === undefined;
  rule ??= p.retry[p.retry.length - 1]!;
  let interval: number;
  if (rule.kind === "F") interval = rule.p1;
  else {
    // G: lastgap = min(previous next_try − previous last_try, now − previous last_try).
    const lastgap = Math.min(hint.nextTry - hint.lastTry, now - hint.lastTry);
    interval = lastgap < rule.p1 ? rule.p1 : Math.floor((lastgap * rule.p2) / 1000);
  }
  hint.lastTry = now;
  if (!hint.expired && birth <= hint.firstFailed && eximPastLastCutoff(p, birth, now)) {
    hint.nextTry = now;
    return true;
  }
  hint.nextTry = now + Math.min(interval, p.retry_interval_max);
  return hint.expired;
}

/**
 * The "ultimate address timeout": the message, born at `birth`, has been queued
 * longer than the last rule's cutoff at `now` (retry.c
 * retry_ultimate_address_timeout(): now − received_time > last_rule->timeout,
 * strictly; smtp.c uses the same test for hosts_max_try).
 */
export function eximPastLastCutoff(p: EximProfile, birth: number, now: number): boolean {
  return now - birth > p.retry[p.retry.length - 1]!.cutoff;
}

/**
 * smtp.c smtp_transport_entry()'s `expired` after a pass over the hosts: no
 * host was tried and every one was skipped as past its cutoff (status
 * hstatus_unusable_expired). A walk cut at the address limit did not look at
 * them all.
 */
function allExpired(walk: Readonly<Walk>): boolean {
  return !walk.cut && walk.tried === 0 && walk.skipped > 0 && walk.skippedExpired === walk.skipped;
}

/** A hint for a host that has not failed. */
export function emptyHint(): HostHint {
  return { firstFailed: NaN, lastTry: NaN, nextTry: NaN, expired: false };
}

/** True while the hint tells a delivery to skip the host (retry time not reached, retry.c retry_check_address()). */
export function eximSkips(p: EximProfile, hint: HostHint, now: number): boolean {
  if (Number.isNaN(hint.firstFailed) || now - hint.lastTry > p.retry_data_expire) return false;
  return now < hint.nextTry;
}

/** Exim: host errors and temporary errors move on; a 5xx greeting bounces on the last host (transports/smtp.c). */
const EXIM_FAILOVER = {
  refused: MOVE_ON,
  timeout: MOVE_ON,
  // "SMTP timeout after initial connection": a host error, the next host is tried (smtp.c smtp_reap_banner()).
  silent: MOVE_ON,
  "greeting-4xx": MOVE_ON,
  "greeting-5xx": MOVE_ON_THEN_FAIL,
  "rcpt-4xx": MOVE_ON,
  "reject-5xx": FAIL,
} as const satisfies FailoverTable<EximProfile>;

/** Host errors create retry hints; a 4xx or 5xx to RCPT is a recipient error and does not (retry.c, the Exim spec's retry configuration). */
const HOST_ERROR = {
  refused: true,
  timeout: true,
  silent: true,
  "greeting-4xx": true,
  "greeting-5xx": true,
  "rcpt-4xx": false,
  "reject-5xx": false,
} as const satisfies Record<FailureMode, boolean>;

export function eximIsHostError(mode: FailureMode): boolean {
  return HOST_ERROR[mode];
}

/**
 * One node's retry hints (its hints database, retry.c), one per host that
 * has failed, shared by all the messages the node sends; a success deletes
 * the host's record.
 */
export class EximHints extends NoMemory {
  override readonly features = WAITLIST | PASSES;
  private readonly hints = new Map<number, HostHint>();
  /** The wait-remote_smtp database: messages deferred per host name, for continued deliveries. */
  readonly waiting = new EximWaitDb();

  constructor(private readonly p: EximProfile) {
    super();
  }

  /** The hint of `host`, made empty on first use. */
  hint(host: number): HostHint {
    let h = this.hints.get(host);
    if (h === undefined) this.hints.set(host, (h = emptyHint()));
    return h;
  }

  /**
   * A host in its retry wait is skipped, except by a forced delivery (exim
   * -qff) and, while its record is not expired, for a message older
   * than the last cutoff (retry.c retry_check_address(): the ultimate address
   * timeout "allowing delivery"). In the second pass (delay_after_cutoff
   * false) every host is expired and in its wait; one last tried no later
   * than the message's arrival is tried (smtp.c smtp_transport_entry(): skip
   * if status != hstatus_unusable_expired || host->last_try > received_time).
   */
  skips(host: number, now: number, forced: boolean, walk: Walk): boolean {
    if (forced) return false;
    const h = this.hints.get(host);
    if (h === undefined || !eximSkips(this.p, h, now)) return false;
    if (walk.pass > 0) {
      if (h.expired && h.lastTry <= walk.birth) return false;
    } else if (!h.expired && eximPastLastCutoff(this.p, walk.birth, now)) return false;
    if (h.expired) walk.skippedExpired++;
    return true;
  }

  failed(host: number, mode: FailureMode, now: number, walk: Walk): void {
    if (!HOST_ERROR[mode]) return;
    if (eximUpdateHint(this.p, this.hint(host), now, walk.birth)) walk.triedExpired++;
  }

  /**
   * smtp.c smtp_transport_entry(): with delay_after_cutoff false, a pass that
   * ended with every host expired (`expired` still TRUE) is followed by a
   * second one (for cutoff_retry < 2).
   */
  walkAgain(walk: Walk): boolean {
    if (this.p.delay_after_cutoff || walk.pass > 0 || !allExpired(walk)) return false;
    walk.pass = 1;
    return true;
  }

  accepted(host: number): void {
    this.hints.delete(host);
  }

  /**
   * smtp.c calls transport_update_waiting() when the host loop ends without a complete success (failures
   * and retry-time skips alike), listing the message for every host of its list; not after a RCPT 4xx
   * (update_waiting is cleared there, smtp.c), nor when connection_max_messages is 1.
   */
  deferredFor(m: number, hosts: Int32Array, n: number, walk: Readonly<Walk>): void {
    if (this.p.connection_max_messages !== 1 && walk.siteFailure) this.waiting.add(m, hosts, n);
  }

  nextFor(host: number, queued: (m: number) => boolean): number {
    return this.waiting.next(host, queued);
  }

  /** Without a queue runner (the idealised E1): a delivery at the earliest retry time of the hosts. */
  retryAt(hosts: Int32Array, n: number, now: number): number {
    let next = Infinity;
    for (let i = 0; i < n; i++) {
      const h = this.hints.get(hosts[i]!);
      if (h !== undefined && !Number.isNaN(h.firstFailed) && h.nextTry > now) next = Math.min(next, h.nextTry);
    }
    return Number.isFinite(next) ? next : now + this.p.retry[0]!.p1;
  }

}

/**
 * Exim decides from its host hints whether a failed delivery bounces.
 * "failing-too-long": no host was tried and every one was skipped past its
 * cutoff, after the second pass too when delay_after_cutoff is false (smtp.c
 * smtp_transport_entry(): `expired` still TRUE → FAIL, "all hosts … have been
 * failing for a long time"). "retry-timeout": some host was tried, every
 * tried host's retry item timed out, and no host was skipped while not
 * expired nor cut off by hosts_max_try (retry.c retry_update(): update_count
 * == timedout_count and not af_retry_skipped, which smtp.c sets only for
 * hstatus_unusable and for the hosts_max_try cut).
 */
function eximGivesUp(walk: Walk): "failing-too-long" | "retry-timeout" | undefined {
  if (allExpired(walk)) return "failing-too-long";
  if (walk.tried > 0 && !walk.cut && walk.skippedExpired === walk.skipped && walk.triedExpired === walk.tried) return "retry-timeout";
  return undefined;
}

/** exim's answers to the delivery's questions (mta-rules.ts). */
export const EXIM: MtaRules<EximProfile> = {
  defaults: EXIM_DEFAULTS,
  /** The settings a scenario may override, under the names the MTA's own configuration uses. */
  settings: [
    { key: "retry", kind: { type: "retry" }, description: "the retry rule (default F,2h,15m; G,16h,1h,1.5; F,4d,6h)", example: "F,2h,15m; G,16h,1h,1.5; F,4d,6h" },
    { key: "queue_run_interval", kind: dur(0), description: "the queue runner's -q interval; 0 = a delivery at each retry hint (default 30m)", example: "30m" },
    { key: "queue_run_phase", kind: dur(0), description: "mxsim: when the first queue run happens after the start (default 0s)", example: "0s" },
    { key: "retry_interval_max", kind: dur(), description: "cap on every retry interval (default and maximum 24h)", example: "24h" },
    { key: "delay_after_cutoff", kind: bool, description: "with every host past its cutoff and in its retry wait: true, bounce at once; false, first try each host not tried since the message arrived (default true)", example: true },
    { key: "retry_data_expire", kind: long("d", 1), description: "ignore retry hints not updated for this long (default 7d)", example: "7d" },
    { key: "delay_warning", kind: long("h", 0), description: "send a delay warning every this long; 0 = never (default 24h)", example: "24h" },
    { key: "connect_timeout", kind: dur(), description: "the smtp transport's connect_timeout (default 5m)", example: "5m" },
    { key: "command_timeout", kind: dur(), description: "the smtp transport's command_timeout, also the wait for the banner (default 5m)", example: "5m" },
    { key: "hosts_max_try", kind: count(), description: "addresses tried per delivery (default 5)", example: 5 },
    {
      key: "connection_max_messages",
      kind: count(0),
      description: "messages sent down one connection, the rest of those waiting for the host following the first; 0 = no limit (default 500)",
      example: 500,
    },
  ],
  // Exim's spec: retry_interval_max "cannot be set greater than 24h" (the Exim spec, retry_interval_max).
  check: (p) =>
    p.retry_interval_max > 86400
      ? [{ key: "retry_interval_max", message: "Exim does not allow retry_interval_max above 24h; write e.g. retry_interval_max: 24h" }]
      : [],
  info: {
    flush: "exim -qff",
    route: (domain, host) => `a manualroute router: route_list = ${domain} ${host}`,
    name: "Exim",
    title: "Exim 4",
    description:
      "Retry rule F,2h,15m; G,16h,1h,1.5; F,4d,6h counted from the host's first failure; retry hints per host shared " +
      "by all messages, so a host in its retry wait is skipped and the next MX is used. A queue runner every 30 minutes " +
      "starts deliveries. The address bounces at a failed try once its hosts have been failing for longer than the 4-day cutoff, " +
      "or once the message is older than that (its hosts are then tried whatever their retry time); while every host is past " +
      "the cutoff and in its retry wait, a new message bounces at once. A delay warning for every 24 hours queued, sent at a " +
      "queue run that really tried a host (never at one that only skipped it).",
    source: "retry.c retry_update() and retry_check_address(), transports/smtp.c, transport.c, deliver.c, the Exim spec",
    skipsHostsBy: "Exim's retry hint",
  },
  connectTimeout: (p) => p.connect_timeout,
  greetingTimeout: (p) => p.command_timeout,
  // smtp.c smtp_transport_entry(): a deferred host does not count towards hosts_max_try once the message is older
  // than the last cutoff ("we may try all hosts … if we don't try all hosts, the address will never time out"),
  // checked here at the attempt's start. Not modelled: hosts_max_try_hardlimit (50), that skipped and expired hosts
  // do not count either (mxsim's walk counts every host it looks at), and the "higher MX host exists" exception.
  addressLimit: (p, age) => (eximPastLastCutoff(p, 0, age) ? Infinity : p.hosts_max_try),
  failover: EXIM_FAILOVER,
  // Roughly: the last rule's cutoff, counted from the first failure of the hosts (docs/model.md#exim).
  giveUpAfter: (p) => p.retry[p.retry.length - 1]?.cutoff ?? 0,
  givesUp: (_p, walk) => eximGivesUp(walk),
  expiresAt: noTimer,
  nextAttempt: (p, _birth, _start, done) => (p.queue_run_interval > 0 ? runAfter(done, p.queue_run_interval, p.queue_run_phase) : NaN),
  // deliver.c deliver_message(): a single delay_warning value repeats; a warning goes out at a deferral once the
  // message has been queued past the next multiple, and the count jumps to the multiples passed (no catch-up
  // warnings after a long gap). A run in which every host was in its retry wait (ERRNO_HRETRY) sends none:
  // "It will get sent at the next real delivery attempt."
  delayWarningAt: (p, walk, birth, done, _next, warned) =>
    p.delay_warning > 0 && walk.tried > 0 && Math.floor((done - birth) / p.delay_warning) > warned ? done : NaN,
  warnedAfter: (p, birth, done) => Math.floor((done - birth) / p.delay_warning),
  // transport_check_waiting(): a connection carries at most connection_max_messages (0: no limit).
  connectionMessages: (p) => (p.connection_max_messages === 0 ? Infinity : p.connection_max_messages),
  memory: (p) => new EximHints(p),
  memoryBytes: (node) => 80 * node.servers,
};
