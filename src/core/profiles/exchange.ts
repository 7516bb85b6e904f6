/**
 * Microsoft Exchange 2007–2019, from its documented defaults only (the code
 * is closed): expiry after 2 days, a delay DSN after 4 hours. How the retry
 * timers combine is not documented precisely; mxsim follows a third-party
 * flowchart, unverified (docs/model.md#exchange): 4 glitch
 * retries 1 min apart, 6 transient retries 5 min apart, then every 10 min.
 */
import { count, dur, type FailoverTable, long, type MtaRules, neverGivesUp, noLimit, noMemory, noMemoryBytes } from "../mta-rules.js";
import { NEXT_MX_ON_TEMPORARY_FAILURE } from "./common.js";

export interface ExchangeProfile {
  mta: "exchange";
  /** MessageExpirationTimeout, 2d. */
  message_expiration_timeout: number;
  /** DelayNotificationTimeout, 4h. */
  delay_notification_timeout: number;
  /** QueueGlitchRetryCount 4 and QueueGlitchRetryInterval 1 min. */
  queue_glitch_retry_count: number;
  queue_glitch_retry_interval: number;
  /** TransientFailureRetryCount 6 and TransientFailureRetryInterval 5 min. */
  transient_failure_retry_count: number;
  transient_failure_retry_interval: number;
  /** OutboundConnectionFailureRetryInterval, 10 min on a Hub server. */
  outbound_connection_failure_retry_interval: number;
  /** Connect timeout: not documented for Exchange; mxsim assumes 60 s. */
  connect_timeout: number;
  /** ConnectionInactivityTimeOut, applied by mxsim to a server that never greets (undocumented for that case); default 10 min. */
  connection_inactivity_timeout: number;
}

export const EXCHANGE_DEFAULTS: ExchangeProfile = {
  mta: "exchange",
  message_expiration_timeout: 172800,
  delay_notification_timeout: 14400,
  queue_glitch_retry_count: 4,
  queue_glitch_retry_interval: 60,
  transient_failure_retry_count: 6,
  transient_failure_retry_interval: 300,
  outbound_connection_failure_retry_interval: 600,
  connect_timeout: 60,
  connection_inactivity_timeout: 600,
};

/** The next attempt after the `tries`-th failed one (1 = the first attempt). */
export function exchangeNextAttempt(p: ExchangeProfile, tries: number, done: number): number {
  if (tries <= p.queue_glitch_retry_count) return done + p.queue_glitch_retry_interval;
  if (tries <= p.queue_glitch_retry_count + p.transient_failure_retry_count) return done + p.transient_failure_retry_interval;
  return done + p.outbound_connection_failure_retry_interval;
}

/** Not documented: mxsim assumes the common behaviour, the next MX on any temporary error (a silent host too, like its other connection failures). */
const EXCHANGE_FAILOVER = NEXT_MX_ON_TEMPORARY_FAILURE satisfies FailoverTable<ExchangeProfile>;

/** exchange's answers to the delivery's questions (mta-rules.ts). */
export const EXCHANGE: MtaRules<ExchangeProfile> = {
  defaults: EXCHANGE_DEFAULTS,
  /** The settings a scenario may override, under the names the MTA's own configuration uses. */
  settings: [
    { key: "message_expiration_timeout", kind: long("d", 1), description: "MessageExpirationTimeout: return after this long (default 2d)", example: "2d" },
    { key: "delay_notification_timeout", kind: long("h", 0), description: "DelayNotificationTimeout: delay DSN after this long; 0 = never (default 4h)", example: "4h" },
    { key: "queue_glitch_retry_count", kind: count(0), description: "QueueGlitchRetryCount (default 4)", example: 4 },
    { key: "queue_glitch_retry_interval", kind: dur(), description: "QueueGlitchRetryInterval (default 1m)", example: "1m" },
    { key: "transient_failure_retry_count", kind: count(0), description: "TransientFailureRetryCount (default 6)", example: 6 },
    { key: "transient_failure_retry_interval", kind: dur(), description: "TransientFailureRetryInterval (default 5m)", example: "5m" },
    { key: "outbound_connection_failure_retry_interval", kind: dur(), description: "OutboundConnectionFailureRetryInterval (default 10m)", example: "10m" },
    { key: "connect_timeout", kind: dur(), description: "wait for a TCP connection (mxsim's assumption: 60s)", example: "60s" },
    { key: "connection_inactivity_timeout", kind: dur(), description: "ConnectionInactivityTimeOut: mxsim waits this long for a greeting that never comes (default 10m; undocumented for that case)", example: "10m" },
  ],
  info: {
    flush: "Retry-Queue",
    route: (domain, host) => `a Send connector for ${domain} with the smart host ${host}`,
    name: "Exchange",
    title: "Microsoft Exchange 2007-2019 (documented defaults only)",
    description:
      "Closed source: only documented numbers. Returned after MessageExpirationTimeout (2 days); delay DSN after 4 " +
      "hours. The attempt timeline (4 retries 1 min apart, 6 retries 5 min apart, then every 10 min) follows a " +
      "third-party flowchart and is unverified; so are the failover rules (next MX on temporary errors).",
    source: "Microsoft documentation (Set-TransportService); the timers' order from a third-party flowchart, unverified",
  },
  connectTimeout: (p) => p.connect_timeout,
  greetingTimeout: (p) => p.connection_inactivity_timeout,
  addressLimit: noLimit,
  failover: EXCHANGE_FAILOVER,
  // Expires by timer, with no final attempt.
  giveUpAfter: (p) => p.message_expiration_timeout,
  givesUp: neverGivesUp,
  expiresAt: (p, birth) => birth + p.message_expiration_timeout,
  nextAttempt: (p, _birth, _start, done, tries) => exchangeNextAttempt(p, tries, done),
  delayWarningAt: (p, _walk, birth, done, _next, warned) =>
    p.delay_notification_timeout > 0 && warned === 0 && done - birth >= p.delay_notification_timeout ? done : NaN,
  memory: noMemory,
  memoryBytes: noMemoryBytes,
};
