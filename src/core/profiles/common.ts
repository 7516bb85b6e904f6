/**
 * What every MTA profile answers, in plain numbers, so the simulator can
 * dispatch on `profile.mta` without per-message closures.
 */

/** What a sender does after a failed connection or a refusal at one host. */
export const NEXT = 0; // try the next MX host now
export const DEFER = 1; // stop; keep the message queued for a later attempt
export const BOUNCE = 2; // permanent failure: return the message to its sender

/** The first queue run at or after `t` on a grid `phase + k·interval`. */
export function runAtOrAfter(t: number, interval: number, phase: number): number {
  return phase + Math.ceil((t - phase) / interval) * interval;
}

/** The first queue run strictly after `t` on a grid `phase + k·interval`. */
export function runAfter(t: number, interval: number, phase: number): number {
  return phase + (Math.floor((t - phase) / interval) + 1) * interval;
}
