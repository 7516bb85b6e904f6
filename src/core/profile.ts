/**
 * MTA profiles: the queue and retry behaviour of the software a sender or a
 * server imitates. Each profile is plain data (its numbers are overridable in a
 * scenario); the functions below dispatch on `mta`, so a message carries no
 * per-message closure.
 */
import type { FailureMode } from "./model.js";
import {
  QMAIL_DEFAULTS,
  qmailFailsOverOn,
  qmailIsDying,
  qmailNextRetry,
  type QmailProfile,
} from "./profiles/qmail.js";

export type Profile = QmailProfile;
export type MtaName = Profile["mta"];

export const PROFILE_DEFAULTS: Record<MtaName, Profile> = {
  qmail: QMAIL_DEFAULTS,
};

export interface ProfileInfo {
  title: string;
  description: string;
  /** Where the numbers come from (a section of mta-facts.md and the source it cites). */
  source: string;
}

export const PROFILE_INFO: Record<MtaName, ProfileInfo> = {
  qmail: {
    title: "qmail 1.03 / netqmail / notqmail",
    description:
      "Retries at birth + (floor(sqrt(age)) + 20)^2 (0, 400, 1600, 3600 s, ...); gives up after queuelifetime " +
      "(7 days) with one last attempt; tries the next MX only when the TCP connection fails.",
    source: "mta-facts.md §1 (qmail-send.c nextretry(), qmail-remote.c; Life with qmail appendix)",
  },
};

/** When the next attempt is due, computed at the start of the attempt at `start` (seconds). */
export function nextAttemptTime(p: Profile, birth: number, start: number): number {
  return qmailNextRetry(p, birth, start);
}

/** True when a deferral of the attempt starting at `start` becomes a bounce. */
export function isLastAttempt(p: Profile, birth: number, start: number): boolean {
  return qmailIsDying(p, birth, start);
}

/** True when a connection that fails in this mode makes the sender try the next MX. */
export function failsOverOn(p: Profile, mode: FailureMode): boolean {
  switch (p.mta) {
    case "qmail":
      return qmailFailsOverOn(mode);
  }
}

/** Seconds the MTA waits for a TCP connection before giving up on that host. */
export function connectTimeout(p: Profile): number {
  return p.timeoutconnect;
}
