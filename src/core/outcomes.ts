/**
 * What can happen to a message and to one delivery attempt. Each kind has an
 * entry in an info registry, so a new kind does not compile until it is
 * described.
 */

/** Where a message ended. Every message ends in exactly one of these. */
export type Outcome = "delivered" | "bounced" | "queued";
export const OUTCOMES: readonly Outcome[] = ["delivered", "bounced", "queued"];
export const OUTCOME_CODE: Record<Outcome, number> = { queued: 0, delivered: 1, bounced: 2 };

/** How a delivered message reached its mailbox. */
export type Path = "direct" | "via-secondary" | "sender-retry";
export const PATHS: readonly Path[] = ["direct", "via-secondary", "sender-retry"];

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

/** The result of one delivery attempt (one row of attempts.csv). */
export type AttemptResult =
  /** Reached the mailbox server: the message is delivered. */
  | "delivered"
  /** Handed to a relay (backup MX), which now holds it. */
  | "relayed"
  /** Temporary failure: the message stays queued for a later attempt. */
  | "deferred"
  /** Permanent failure, or a deferral after the queue lifetime: bounced to the sender. */
  | "bounced";
export const ATTEMPT_RESULTS: readonly AttemptResult[] = ["delivered", "relayed", "deferred", "bounced"];

/** The result of one TCP connection within an attempt. */
export type ConnectionResult = "accepted" | "refused" | "timeout" | "greeting-4xx" | "rejected";
export const CONNECTION_RESULTS: readonly ConnectionResult[] = [
  "accepted",
  "refused",
  "timeout",
  "greeting-4xx",
  "rejected",
];

/** Why a message bounced. */
export type BounceReason = "lifetime" | "no-relay-host" | "not-accepted" | "too-many-hops";
export const BOUNCE_REASONS: readonly BounceReason[] = ["lifetime", "no-relay-host", "not-accepted", "too-many-hops"];

export const BOUNCE_INFO: Record<BounceReason, { text: string; source: string }> = {
  lifetime: {
    text: "I'm not going to try again; this message has been in the queue too long.",
    source: "qmail-send.c del_dochan(), mta-facts.md §1.2",
  },
  "no-relay-host": {
    text: "Although I'm listed as a best-preference MX for that host, it isn't in my control/locals file (#5.4.6)",
    source: "qmail-remote.c perm_ambigmx(), mta-facts.md §1.4",
  },
  "not-accepted": {
    text: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
    source: "qmail-smtpd.c, mta-facts.md §1.5",
  },
  "too-many-hops": {
    text: "554 too many hops, this message is looping (#5.4.6)",
    source: "qmail-smtpd.c MAXHOPS (100 Received lines): relays that route to each other",
  },
};
