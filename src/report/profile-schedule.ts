/**
 * The retry schedule of an MTA profile, the way Life with qmail prints
 * qmail's: a message that can never be delivered (its only MX refuses every
 * connection), sent at t = 0, run through the simulator itself, so the table
 * is what the simulation does, not a second implementation of it. The
 * terminal table is cli/text/schedule-table.ts.
 */
import { NO_GREYLISTING, type Model } from "../core/model.js";
import type { MtaName, Profile } from "../core/profile.js";
import { attemptsOf, messageRecord, notificationsOf } from "../core/records.js";
import { simulate } from "../core/simulate.js";

export interface Schedule {
  mta: MtaName;
  /** Start of each attempt that made a connection, seconds after the message was queued. */
  attempts: number[];
  /** Deliveries started without any connection (Exim queue runs inside a host's retry wait, Postfix dead destinations). */
  withoutConnection: number;
  /** Delay warnings (RFC 3464 Action: delayed). */
  warnings: number[];
  bounceAt: number | null;
  bounceReason: string | null;
}

/** How long the never-deliverable message's only MX refuses connections, and the run lasts. */
export const DOWN_FOR = 60 * 86400;

/**
 * A run of `duration` seconds with one message, sent at 0 to a domain whose
 * only MX refuses every connection, under `profile`.
 */
export function neverDeliverableModel(profile: Profile, duration = DOWN_FOR): Model {
  return {
    name: `profile-${profile.mta}`,
    description: "",
    seed: 1,
    startEpochMs: 0,
    duration,
    domains: [{ name: "example.com", mx: [{ preference: 10, server: 0 }], nullMx: false, implicit: false }],
    servers: [
      {
        name: "mx.example.com",
        role: "mailbox",
        members: [],
        domains: [0],
        relayDomains: [],
        routes: new Map(),
        outages: [{ start: 0, end: duration, mode: "refused" }],
        profile,
        capacity: Infinity,
        sessionTime: 2,
        recipientValidation: true,
        greylisting: NO_GREYLISTING,
      },
    ],
    senders: [
      {
        name: "sender",
        until: Infinity,
        domain: 0,
        arrivals: { kind: "list", times: [0] },
        profile,
        forged: false,
        invalidRecipients: 0,
        target: "mx-order",
        retries: true,
      },
    ],
    actions: [],
  };
}

/** Simulates one never-deliverable message under `profile`. */
export function neverDeliverable(profile: Profile): Schedule {
  const r = simulate(neverDeliverableModel(profile));
  const attempts: number[] = [];
  let withoutConnection = 0;
  for (const a of attemptsOf(r, 0)) {
    // A delivery whose every host was skipped (Exim's retry wait) made no connection either.
    if (a.connections.some((c) => c.result !== "skipped")) attempts.push(a.start);
    else withoutConnection++;
  }
  const message = messageRecord(r, 0);
  return {
    mta: profile.mta,
    attempts,
    withoutConnection,
    warnings: notificationsOf(r, 0).flatMap((n) => (n.kind === "delayed" ? [n.at] : [])),
    bounceAt: message.outcome === "bounced" ? message.done : null,
    bounceReason: message.outcome === "bounced" ? message.bounceReason : null,
  };
}
