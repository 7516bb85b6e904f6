/**
 * What every MTA profile answers: one object per MTA (in profiles/<name>.ts),
 * collected in the registry of profile.ts. The delivery code asks these
 * questions at its decision points and never branches on the MTA's name for
 * them.
 */
import type { FailureMode } from "./failure-modes.js";
import type { FailoverCell } from "./profiles/common.js";

export interface ProfileInfo {
  /** The MTA's name in running text ("Postfix", "Exchange"). */
  name: string;
  title: string;
  description: string;
  /** Where the numbers come from (a section of docs/mta-facts.md and the source it cites). */
  source: string;
}

export interface MtaRules<P> {
  /** The profile with every setting at its default. */
  defaults: P;
  info: ProfileInfo;
  /** Seconds the MTA waits for a TCP connection before giving up on that host. */
  connectTimeout(p: P): number;
  /** How many hosts one attempt may try (Infinity: no limit). */
  addressLimit(p: P): number;
  /** What the MTA does after each kind of failure at one host: the failover rules, as data. */
  failover: FailoverTable<P>;
  /**
   * True when a deferral of the attempt that started at `start` and ended at
   * `done` returns the message to its sender (a queue lifetime checked at an attempt).
   */
  expiresAfterDeferral(p: P, birth: number, start: number, done: number): boolean;
  /** When a queued message expires without a further attempt (Infinity: only at an attempt). */
  expiresAt(p: P, birth: number): number;
  /**
   * When the next attempt of a deferred message is due. `tries` counts the
   * attempts this queue has made (1 after the first). NaN: the caller takes
   * the earliest host hint (Exim without a queue runner).
   */
  nextAttempt(p: P, birth: number, start: number, done: number, tries: number): number;
  /**
   * When a delay warning (RFC 3464 Action: delayed) is sent after a deferral
   * that ended at `done`, with the next attempt due at `next`; NaN for none.
   * `warned` counts the warnings already sent for this message by this queue.
   */
  delayWarningAt(p: P, birth: number, done: number, next: number, warned: number): number;
}

/**
 * MTA × failure mode → what happens at a host that is not the last MX and at the
 * last; a cell that depends on a setting is a function of the profile. Every
 * mode must have a cell (a new mode does not compile until each MTA answers it).
 */
export type FailoverTable<P> = Record<FailureMode, FailoverCell | ((p: P) => FailoverCell)>;

/** For MTAs that check no lifetime at an attempt, or expire by no timer. */
export const never = (): false => false;
export const noTimer = (): number => Infinity;
export const noLimit = (): number => Infinity;
