/**
 * The retry schedule of an MTA profile, the way Life with qmail prints
 * qmail's: a message that can never be delivered (its only MX refuses every
 * connection), sent at t = 0, run through the simulator itself, so the table
 * is what the simulation does, not a second implementation of it. The
 * terminal table is cli/text/schedule-table.ts.
 */
import { BOUNCED } from "../core/message-table.js";
import type { Model } from "../core/model.js";
import { BOUNCE_REASONS, CONNECTION_RESULTS, NOTIFICATION_KINDS } from "../core/outcomes.js";
import type { MtaName, Profile } from "../core/profile.js";
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
        greylisting: 0,
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
  const a = r.attempts!;
  const skipped = CONNECTION_RESULTS.indexOf("skipped");
  const attempts: number[] = [];
  let withoutConnection = 0;
  for (let i = 0; i < a.count; i++) {
    const from = i === 0 ? 0 : a.connEnd[i - 1]!;
    let connected = false;
    for (let k = from; k < a.connEnd[i]!; k++) if (a.connResult[k] !== skipped) connected = true;
    if (connected) attempts.push(a.start[i]!);
    else withoutConnection++;
  }
  const warnings: number[] = [];
  for (let i = 0; i < a.noteCount; i++) if (NOTIFICATION_KINDS[a.noteKind[i]!] === "delayed") warnings.push(a.noteAt[i]!);
  const bounced = r.messages.outcome[0] === BOUNCED;
  return {
    mta: profile.mta,
    attempts,
    withoutConnection,
    warnings,
    bounceAt: bounced ? r.messages.done[0]! : null,
    bounceReason: bounced ? BOUNCE_REASONS[r.messages.reason[0]!]! : null,
  };
}
