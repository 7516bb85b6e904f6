/**
 * The settings a scenario may override in each MTA profile, under the names
 * the MTA's own configuration uses (qmail control files, Postfix main.cf,
 * Exim's configure, sendmail.cf options, smtpd.conf, Exchange cmdlets). The
 * scenario schema, the compiler and the warnings are all built from this
 * table, and each MTA's own checks of a merged profile sit beside it.
 */
import type { MtaName, Profile } from "../core/profile.js";

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
  | { type: "retry" };

export interface OptionSpec {
  key: string;
  kind: OptionKind;
  description: string;
  example: string | number | boolean;
}

const dur = (min = 1) => ({ type: "duration" as const, min });
/** A duration long by nature (see OptionKind). */
const long = (unit: LongUnit, min: number) => ({ type: "duration" as const, min, long: unit });
const count = (min = 1) => ({ type: "count" as const, min });
const bool = { type: "boolean" as const };

export const MTA_OPTIONS: Record<MtaName, OptionSpec[]> = {
  qmail: [
    { key: "queuelifetime", kind: long("d", 0), description: "control/queuelifetime: how long a message may stay queued (default 7d)", example: "7d" },
    { key: "timeoutconnect", kind: dur(), description: "control/timeoutconnect: wait for a TCP connection (default 60s)", example: "60s" },
    { key: "tcpto", kind: bool, description: "skip a host that timed out twice for about an hour (qmail-tcpto; default true)", example: true },
  ],
  postfix: [
    { key: "minimal_backoff_time", kind: dur(), description: "shortest wait between attempts (default 300s)", example: "300s" },
    { key: "maximal_backoff_time", kind: dur(), description: "longest wait between attempts (default 4000s)", example: "4000s" },
    { key: "queue_run_delay", kind: dur(), description: "how often the deferred queue is scanned (default 300s)", example: "300s" },
    { key: "queue_run_phase", kind: dur(0), description: "mxsim: when the first scan happens after the start (default 0s)", example: "0s" },
    { key: "maximal_queue_lifetime", kind: long("d", 0), description: "bounce after this long, at the next failed attempt (default 5d)", example: "5d" },
    { key: "delay_warning_time", kind: long("h", 0), description: "send one delay warning after this long; 0 = never (default 0)", example: "4h" },
    { key: "smtp_connect_timeout", kind: dur(), description: "wait for a TCP connection (default 30s)", example: "30s" },
    { key: "smtp_skip_5xx_greeting", kind: bool, description: "treat a 5xx greeting as 4xx and try the next MX (default true)", example: true },
    { key: "smtp_mx_address_limit", kind: count(), description: "addresses tried per attempt (default 5)", example: 5 },
  ],
  exim: [
    { key: "retry", kind: { type: "retry" }, description: "the retry rule (default F,2h,15m; G,16h,1h,1.5; F,4d,6h)", example: "F,2h,15m; G,16h,1h,1.5; F,4d,6h" },
    { key: "queue_run_interval", kind: dur(0), description: "the queue runner's -q interval; 0 = a delivery at each retry hint (default 30m)", example: "30m" },
    { key: "queue_run_phase", kind: dur(0), description: "mxsim: when the first queue run happens after the start (default 0s)", example: "0s" },
    { key: "retry_interval_max", kind: dur(), description: "cap on every retry interval (default and maximum 24h)", example: "24h" },
    { key: "delay_after_cutoff", kind: bool, description: "past the cutoff, bounce at once until the post-cutoff retry time (default true)", example: true },
    { key: "retry_data_expire", kind: long("d", 1), description: "ignore retry hints not updated for this long (default 7d)", example: "7d" },
    { key: "delay_warning", kind: long("h", 0), description: "send a delay warning every this long; 0 = never (default 24h)", example: "24h" },
    { key: "connect_timeout", kind: dur(), description: "the smtp transport's connect_timeout (default 5m)", example: "5m" },
    { key: "hosts_max_try", kind: count(), description: "addresses tried per delivery (default 5)", example: 5 },
  ],
  sendmail: [
    { key: "queue_run_interval", kind: dur(), description: "the daemon's -q interval: every run retries every queued message (default 30m)", example: "30m" },
    { key: "queue_run_phase", kind: dur(0), description: "mxsim: when the first queue run happens after the start (default 0s)", example: "0s" },
    { key: "queuereturn", kind: long("d", 0), description: "Timeout.queuereturn: return the message after this long (default 5d)", example: "5d" },
    { key: "queuewarn", kind: long("h", 0), description: "Timeout.queuewarn: send a delay warning after this long; 0 = never (default 4h)", example: "4h" },
    { key: "connect_timeout", kind: dur(), description: "Timeout.connect (default: the OS limit, about 127s on Linux)", example: "127s" },
  ],
  opensmtpd: [
    { key: "queue_ttl", kind: long("d", 1), description: "queue ttl: expire after exactly this long, with no last attempt (default 4d)", example: "4d" },
    { key: "backoff_transfer", kind: dur(), description: "the retry grid's base: attempts at base·n² (default 400s)", example: "400s" },
    { key: "bounce_warn_interval", kind: long("h", 0), description: "bounce warn-interval: one delay warning after this long; 0 = never (default 4h)", example: "4h" },
    { key: "connect_timeout", kind: dur(), description: "wait for a TCP connection (default 300s, mta_session.c)", example: "300s" },
  ],
  exchange: [
    { key: "message_expiration_timeout", kind: long("d", 1), description: "MessageExpirationTimeout: return after this long (default 2d)", example: "2d" },
    { key: "delay_notification_timeout", kind: long("h", 0), description: "DelayNotificationTimeout: delay DSN after this long; 0 = never (default 4h)", example: "4h" },
    { key: "queue_glitch_retry_count", kind: count(0), description: "QueueGlitchRetryCount (default 4)", example: 4 },
    { key: "queue_glitch_retry_interval", kind: dur(), description: "QueueGlitchRetryInterval (default 1m)", example: "1m" },
    { key: "transient_failure_retry_count", kind: count(0), description: "TransientFailureRetryCount (default 6)", example: 6 },
    { key: "transient_failure_retry_interval", kind: dur(), description: "TransientFailureRetryInterval (default 5m)", example: "5m" },
    { key: "outbound_connection_failure_retry_interval", kind: dur(), description: "OutboundConnectionFailureRetryInterval (default 10m)", example: "10m" },
    { key: "connect_timeout", kind: dur(), description: "wait for a TCP connection (mxsim's assumption: 60s)", example: "60s" },
  ],
};

/** A problem with a merged profile, at the option to fix (a key of that MTA's options). */
export interface OptionProblem {
  key: string;
  message: string;
}

type ProfileOf<M extends MtaName> = Extract<Profile, { mta: M }>;

/**
 * Checks of one MTA's merged profile (defaults plus overrides) that no single option's
 * bounds can express: the rules the MTA itself sets between its settings.
 */
const MTA_CHECKS: { [M in MtaName]?: (p: ProfileOf<M>) => OptionProblem[] } = {
  // qmgr clamps a deferred message's delay between the two (docs/mta-facts.md §2.2, qmgr_active.c): a minimum above the maximum is no range.
  postfix: (p) =>
    p.minimal_backoff_time > p.maximal_backoff_time
      ? [{ key: "minimal_backoff_time", message: "minimal_backoff_time is longer than maximal_backoff_time; make it shorter or equal" }]
      : [],
  // Exim's spec: retry_interval_max "cannot be set greater than 24h" (docs/mta-facts.md §3).
  exim: (p) =>
    p.retry_interval_max > 86400
      ? [{ key: "retry_interval_max", message: "Exim does not allow retry_interval_max above 24h; write e.g. retry_interval_max: 24h" }]
      : [],
};

/** The problems of a merged profile, by its MTA's own rules (none for an MTA without checks). */
export function profileProblems(p: Profile): OptionProblem[] {
  const check = MTA_CHECKS[p.mta] as ((p: Profile) => OptionProblem[]) | undefined;
  return check ? check(p) : [];
}
