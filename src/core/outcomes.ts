/**
 * What can happen to a message and to one delivery attempt. Each kind has an
 * entry in an info registry, so a new kind does not compile until it is
 * described.
 */
import { FAILURE_MODES } from "./failure-modes.js";

/** Where a message ended. Every message ends in exactly one of these. */
export const OUTCOMES = ["delivered", "bounced", "queued"] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Message state codes (the message table's `outcome` column). */
export const QUEUED = 0;
export const DELIVERED = 1;
export const BOUNCED = 2;
export const OUTCOME_CODE: Record<Outcome, number> = { queued: QUEUED, delivered: DELIVERED, bounced: BOUNCED };

/** How a delivered message reached its mailbox. */
export const PATHS = ["direct", "via-secondary", "sender-retry"] as const;
export type Path = (typeof PATHS)[number];
/** Path codes (the message table's `path` column): 0 while not delivered, else 1 + the index in PATHS. */
export const PATH_NONE = 0;
export const PATH_DIRECT = 1;
export const PATH_VIA_SECONDARY = 2;
export const PATH_SENDER_RETRY = 3;
export const PATH_CODE: Record<Path, number> = { direct: PATH_DIRECT, "via-secondary": PATH_VIA_SECONDARY, "sender-retry": PATH_SENDER_RETRY };

export const PATH_INFO: Record<Path, { title: string; description: string }> = {
  direct: {
    title: "delivered directly",
    description: "The sender reached the mailbox server on its first attempt.",
  },
  "via-secondary": {
    title: "delivered via the secondary",
    description: "A relay (backup MX) accepted the message, queued it and later forwarded it to the mailbox server.",
  },
  "sender-retry": {
    title: "delivered after sender retries",
    description: "Every MX failed at first; the message waited in the sender's own queue and a later retry reached the mailbox server.",
  },
};

/**
 * The result of one delivery attempt (one row of attempts.csv):
 * - delivered: reached the mailbox server, the message is delivered;
 * - relayed: handed to a relay (backup MX), which now holds it;
 * - deferred: temporary failure, the message stays queued for a later attempt;
 * - bounced: permanent failure, or a deferral after the queue lifetime: bounced to the sender;
 * - unfinished: still in progress when the run ended (a connection waiting for its timeout).
 */
export const ATTEMPT_RESULTS = ["delivered", "relayed", "deferred", "bounced", "unfinished"] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];
/** The code of each attempt result in the attempt log (its index in ATTEMPT_RESULTS). */
export const ATTEMPT_CODE = codes(ATTEMPT_RESULTS);

/**
 * The result of one connection (or skipped host) within an attempt: accepted,
 * one of the failure modes of an outage window, or a refusal of the server's own.
 */
export const CONNECTION_RESULTS = [
  "accepted",
  ...FAILURE_MODES,
  /** The server was at its session capacity and answered 421. */
  "busy",
  /** 550: the recipient does not exist (a mailbox server, or a relay that validates recipients). */
  "unknown-user",
  /** 553: the server does not accept mail for the domain (not in its rcpthosts / relay_domains). */
  "relay-denied",
  /** 554: too many hops, the message is looping between relays. */
  "loop",
  /** Not contacted: the sender's memory of the host says it is down (qmail tcpto, Exim retry hints). */
  "skipped",
] as const;
export type ConnectionResult = (typeof CONNECTION_RESULTS)[number];
/** The code of each connection result in the attempt log (its index in CONNECTION_RESULTS). */
export const CONNECTION_CODE = codes(CONNECTION_RESULTS);

/** Why a message bounced. */
export const BOUNCE_REASONS = [
  "lifetime",
  "retry-timeout",
  "failing-too-long",
  "rejected",
  "unknown-user",
  "null-mx",
  "no-relay-host",
  "not-accepted",
  "too-many-hops",
  "abandoned",
  "attempts",
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];
/** Each reason's index in BOUNCE_REASONS: the message table's `reason` column. */
export const BOUNCE_CODE = codes(BOUNCE_REASONS);

export const BOUNCE_INFO: Record<BounceReason, { text: string; source: string }> = {
  lifetime: {
    text: "the message stayed queued longer than its queue lifetime",
    source: "qmail-send.c del_dochan() \"I'm not going to try again; this message has been in the queue too long.\"; Postfix status=expired (qmgr_active.c); Sendmail \"Cannot send message for 5 days\" (envelope.c dropenvelope()); OpenSMTPD queue ttl (scheduler.c) and Exchange MessageExpirationTimeout (Microsoft documentation)",
  },
  "retry-timeout": {
    text: "retry timeout exceeded (every host tried has been failing for longer than the last retry rule's cutoff, or the message has been queued longer than it)",
    source: "Exim retry.c retry_update() and retry_check_address() (the ultimate address timeout)",
  },
  "failing-too-long": {
    text: "all hosts have been failing for a long time (and retry time not reached; with delay_after_cutoff false: and were last tried after this message arrived)",
    source: "Exim delay_after_cutoff, transports/smtp.c smtp_transport_entry()",
  },
  rejected: {
    text: "the server answered with a permanent (5xx) error",
    source: "RFC 5321 §4.2.1; each MTA's failover table (docs/model.md#failure-modes)",
  },
  "unknown-user": {
    text: "550 the recipient does not exist",
    source: "RCPT 5xx, RFC 5321 §4.2.1; a backup MX without recipient validation bounces it later (docs/model.md#relays)",
  },
  "null-mx": {
    text: "556 5.1.10 the domain does not accept mail (null MX)",
    source: "RFC 7505 §4.1",
  },
  "no-relay-host": {
    text: "Although I'm listed as a best-preference MX for that host, it isn't in my control/locals file (#5.4.6)",
    source: "qmail-remote.c perm_ambigmx(); Postfix \"loops back to myself\" (smtp_connect.c); RFC 5321 §5.1",
  },
  "not-accepted": {
    text: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
    source: "qmail-smtpd.c (control/rcpthosts)",
  },
  "too-many-hops": {
    text: "554 too many hops, this message is looping (#5.4.6)",
    source: "qmail-smtpd.c MAXHOPS (100 Received lines): relays that route to each other",
  },
  abandoned: {
    text: "dropped by spam software that never retries (no bounce is sent)",
    source: "spam software that does not retry or fail over, unlike an MTA following RFC 5321 §4.5.4 (docs/model.md#spam-software)",
  },
  attempts: {
    text: "the sender gave up after its last allowed attempt",
    source: "a provider's measured limit on attempts (AOL, QQ: Pagani et al. 2016; docs/model.md#provider-senders)",
  },
};

/** A delivery status notification sent to the envelope sender (RFC 3464 §2.3.3). */
export const NOTIFICATION_KINDS = ["delayed", "failed"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/** The code of each notification kind in the attempt log (its index in NOTIFICATION_KINDS). */
export const NOTIFICATION_CODE = codes(NOTIFICATION_KINDS);

/** name → code (its index in `names`) for a code table. */
function codes<N extends string>(names: readonly N[]): Record<N, number> {
  return Object.fromEntries(names.map((n, i) => [n, i])) as Record<N, number>;
}
