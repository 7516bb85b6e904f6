/**
 * MTA profiles: the queue and retry behaviour of the software a sender or a
 * server imitates. Each profile is plain data (its numbers are overridable in
 * a scenario); the functions below dispatch on `mta`, so a message carries no
 * per-message closure.
 */
import type { FailureMode } from "./model.js";
import { EXCHANGE_DEFAULTS, exchangeNextAttempt, exchangeOnFailure, type ExchangeProfile } from "./profiles/exchange.js";
import { EXIM_DEFAULTS, eximOnFailure, type EximProfile } from "./profiles/exim.js";
import { runAfter } from "./profiles/common.js";
import { OPENSMTPD_DEFAULTS, opensmtpdNextAttempt, opensmtpdOnFailure, type OpensmtpdProfile } from "./profiles/opensmtpd.js";
import { POSTFIX_DEFAULTS, postfixExpired, postfixNextAttempt, postfixOnFailure, type PostfixProfile } from "./profiles/postfix.js";
import { QMAIL_DEFAULTS, qmailIsDying, qmailNextRetry, qmailOnFailure, type QmailProfile } from "./profiles/qmail.js";
import { SENDMAIL_DEFAULTS, sendmailExpired, sendmailNextAttempt, sendmailOnFailure, type SendmailProfile } from "./profiles/sendmail.js";

export type Profile = QmailProfile | PostfixProfile | EximProfile | SendmailProfile | OpensmtpdProfile | ExchangeProfile;
export type MtaName = Profile["mta"];
export const MTA_NAMES: readonly MtaName[] = ["qmail", "postfix", "exim", "sendmail", "opensmtpd", "exchange"];

export const PROFILE_DEFAULTS: { [K in MtaName]: Extract<Profile, { mta: K }> } = {
  qmail: QMAIL_DEFAULTS,
  postfix: POSTFIX_DEFAULTS,
  exim: EXIM_DEFAULTS,
  sendmail: SENDMAIL_DEFAULTS,
  opensmtpd: OPENSMTPD_DEFAULTS,
  exchange: EXCHANGE_DEFAULTS,
};

export interface ProfileInfo {
  title: string;
  description: string;
  /** Where the numbers come from (a section of docs/mta-facts.md and the source it cites). */
  source: string;
}

export const PROFILE_INFO: Record<MtaName, ProfileInfo> = {
  qmail: {
    title: "qmail 1.03 / netqmail / notqmail",
    description:
      "Retries at birth + (floor(sqrt(age)) + 20)^2 (0, 400, 1600, 3600 s, ...); after queuelifetime (7 days) one last " +
      "attempt, then a bounce. Tries the next MX only when the TCP connection fails: a 421 greeting defers. tcpto skips a " +
      "host that timed out twice for about an hour. No delay warnings.",
    source: "mta-facts.md §1, §8.1 (qmail-send.c nextretry(), qmail-remote.c, tcpto.c; Life with qmail)",
  },
  postfix: {
    title: "Postfix 2.4+ / 3.x",
    description:
      "Next eligible at t_done + clamp(age, 300 s, 4000 s), picked up by the deferred-queue scan every 300 s; " +
      "maximal_queue_lifetime 5 days, checked after a failed attempt. Tries the next MX on any temporary error, " +
      "including 4xx and (by default) 5xx greetings. A destination whose MX hosts all failed is dead for 300 s: other " +
      "messages to it are deferred without a connection. Delay warnings off unless delay_warning_time is set.",
    source: "mta-facts.md §2, §8.2 (qmgr_active.c, qmgr.c, smtp_connect.c, smtp_trouble.c)",
  },
  exim: {
    title: "Exim 4",
    description:
      "Retry rule F,2h,15m; G,16h,1h,1.5; F,4d,6h counted from the host's first failure; retry hints per host shared " +
      "by all messages, so a host in its retry wait is skipped and the next MX is used. A queue runner every 30 minutes " +
      "starts deliveries. Past the 4-day cutoff the address bounces. Delay warning every 24 hours.",
    source: "mta-facts.md §3, §8.3 (retry.c, transports/smtp.c, the Exim spec)",
  },
  sendmail: {
    title: "Sendmail 8.18 (m4-generated sendmail.cf)",
    description:
      "No per-message backoff: every queue run (-q30m here) retries every queued message. Returned after " +
      "Timeout.queuereturn (5 days) at the end of an attempt; a delayed DSN after Timeout.queuewarn (4 hours). " +
      "Moves to the next MX on any temporary error; a 5xx greeting on the last MX bounces. Timeout.connect is 0 " +
      "(the kernel's limit): mxsim assumes Linux's 127 s.",
    source: "mta-facts.md §4.1, §8.5 (envelope.c, deliver.c, cf/README); usersmtp.c smtpinit() and readcf.c inittimeouts()",
  },
  opensmtpd: {
    title: "OpenSMTPD 7.8",
    description:
      "Retries on a 400·n² grid (0, 400, 1600, 3600 s, ...); expires at exactly 4 days with no final attempt; one delay " +
      "warning at 4 hours. Tries the next MX after a failed connection or a 4xx/5xx banner; a 4xx to RCPT " +
      "(greylisting) is retried later, not on another MX. Connect timeout 300 s.",
    source: "mta-facts.md §4.2, §8.4 (scheduler_ramqueue.c, scheduler.c); mta_session.c and mta.c read for mxsim",
  },
  exchange: {
    title: "Microsoft Exchange 2007-2019 (documented defaults only)",
    description:
      "Closed source: only documented numbers. Returned after MessageExpirationTimeout (2 days); delay DSN after 4 " +
      "hours. The attempt timeline (4 retries 1 min apart, 6 retries 5 min apart, then every 10 min) follows a " +
      "third-party flowchart and is unverified; so are the failover rules (next MX on temporary errors).",
    source: "mta-facts.md §4.3, §8.6 (Microsoft documentation; flowchart marked UNVERIFIED)",
  },
};

/** Seconds the MTA waits for a TCP connection before giving up on that host. */
export function connectTimeout(p: Profile): number {
  switch (p.mta) {
    case "qmail":
      return p.timeoutconnect;
    case "postfix":
      return p.smtp_connect_timeout;
    default:
      return p.connect_timeout;
  }
}

/** What the MTA does after a failure of kind `mode` at one host (NEXT, DEFER or BOUNCE from profiles/common.ts). */
export function onFailure(p: Profile, mode: FailureMode, last: boolean): number {
  switch (p.mta) {
    case "qmail":
      return qmailOnFailure(mode);
    case "postfix":
      return postfixOnFailure(p, mode, last);
    case "exim":
      return eximOnFailure(mode, last);
    case "sendmail":
      return sendmailOnFailure(mode, last);
    case "opensmtpd":
      return opensmtpdOnFailure(mode, last);
    case "exchange":
      return exchangeOnFailure(mode, last);
  }
}

/** How many hosts one attempt may try. */
export function addressLimit(p: Profile): number {
  switch (p.mta) {
    case "postfix":
      return p.smtp_mx_address_limit;
    case "exim":
      return p.hosts_max_try;
    default:
      return Infinity;
  }
}

/**
 * True when a deferral of the attempt that started at `start` and ended at
 * `done` returns the message to its sender (a queue lifetime checked at an
 * attempt). Exim decides from its host hints instead; OpenSMTPD and Exchange
 * expire by timer (`expiresAt`).
 */
export function expiresAfterDeferral(p: Profile, birth: number, start: number, done: number): boolean {
  switch (p.mta) {
    case "qmail":
      return qmailIsDying(p, birth, start);
    case "postfix":
      return postfixExpired(p, birth, done);
    case "sendmail":
      return sendmailExpired(p, birth, done);
    default:
      return false;
  }
}

/** When a queued message expires without a further attempt (Infinity: only at an attempt). */
export function expiresAt(p: Profile, birth: number): number {
  switch (p.mta) {
    case "opensmtpd":
      return birth + p.queue_ttl;
    case "exchange":
      return birth + p.message_expiration_timeout;
    default:
      return Infinity;
  }
}

/**
 * When the next attempt of a deferred message is due. `tries` counts the
 * attempts this queue has made (1 after the first). NaN for Exim without a
 * queue runner: the caller takes the earliest host hint.
 */
export function nextAttempt(p: Profile, birth: number, start: number, done: number, tries: number): number {
  switch (p.mta) {
    case "qmail":
      return qmailNextRetry(p, birth, start);
    case "postfix":
      return postfixNextAttempt(p, birth, done);
    case "exim":
      return p.queue_run_interval > 0 ? runAfter(done, p.queue_run_interval, p.queue_run_phase) : NaN;
    case "sendmail":
      return sendmailNextAttempt(p, done);
    case "opensmtpd":
      return opensmtpdNextAttempt(p, birth, done);
    case "exchange":
      return exchangeNextAttempt(p, tries, done);
  }
}

/**
 * When a delay warning (RFC 3464 Action: delayed) is sent after a deferral
 * that ended at `done`, with the next attempt due at `next`; NaN for none.
 * `warned` counts the warnings already sent for this message by this queue.
 */
export function delayWarningAt(p: Profile, birth: number, done: number, next: number, warned: number): number {
  const age = done - birth;
  switch (p.mta) {
    case "qmail":
      return NaN; // qmail never sends deferral notices (Life with qmail, §1.2)
    case "postfix":
      // The first deferred attempt with event_time ≥ warn_time − 1; one warning only (§2.3, P5).
      return p.delay_warning_time > 0 && warned === 0 && age >= p.delay_warning_time - 1 ? done : NaN;
    case "exim":
      // A single delay_warning value repeats: at the first deferral past each multiple (§3.4).
      return p.delay_warning > 0 && age >= (warned + 1) * p.delay_warning ? done : NaN;
    case "sendmail":
      return p.queuewarn > 0 && warned === 0 && age >= p.queuewarn ? done : NaN;
    case "opensmtpd":
      // A tempfail whose next try is at or after creation + 4h; timestamp creation + 4h (scheduler.c 206–214, O3).
      return p.bounce_warn_interval > 0 && warned === 0 && next >= birth + p.bounce_warn_interval ? birth + p.bounce_warn_interval : NaN;
    case "exchange":
      return p.delay_notification_timeout > 0 && warned === 0 && age >= p.delay_notification_timeout ? done : NaN;
  }
}
