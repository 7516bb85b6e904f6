/**
 * The vocabulary every MTA's failover table is written in (what an MTA does
 * after a failure at one host, as plain numbers), and the queue-run grids
 * several MTAs share.
 */

/** What a sender does after a failed connection or a refusal at one host. */
export const NEXT = 0; // try the next MX host now
export const DEFER = 1; // stop; keep the message queued for a later attempt
export const BOUNCE = 2; // permanent failure: return the message to its sender
export type FailoverAction = typeof NEXT | typeof DEFER | typeof BOUNCE;

/** What an MTA does after one kind of failure at a host that is not the last MX, and at the last. */
export interface FailoverCell {
  notLast: FailoverAction;
  last: FailoverAction;
}
/** Tries the next MX; on the last one, keeps the message for a later attempt. */
export const MOVE_ON: FailoverCell = { notLast: NEXT, last: DEFER };
/** Keeps the message for a later attempt without trying another MX. */
export const STAY: FailoverCell = { notLast: DEFER, last: DEFER };
/** Returns the message to its sender at once. */
export const FAIL: FailoverCell = { notLast: BOUNCE, last: BOUNCE };
/** Tries the next MX; on the last one, returns the message to its sender. */
export const MOVE_ON_THEN_FAIL: FailoverCell = { notLast: NEXT, last: BOUNCE };

/**
 * The failover of an MTA that documents none (Exchange, the providers' senders): mxsim assumes the common
 * behaviour RFC 5321 §5.1 suggests, the next MX on any temporary failure and a return on a 5xx.
 */
export const NEXT_MX_ON_TEMPORARY_FAILURE = {
  refused: MOVE_ON,
  timeout: MOVE_ON,
  silent: MOVE_ON,
  "greeting-4xx": MOVE_ON,
  "greeting-5xx": MOVE_ON,
  "rcpt-4xx": MOVE_ON,
  "reject-5xx": FAIL,
} as const;

/** The first queue run at or after `t` on a grid `phase + k·interval`. */
export function runAtOrAfter(t: number, interval: number, phase: number): number {
  return phase + Math.ceil((t - phase) / interval) * interval;
}

/** The first queue run strictly after `t` on a grid `phase + k·interval`. */
export function runAfter(t: number, interval: number, phase: number): number {
  return phase + (Math.floor((t - phase) / interval) + 1) * interval;
}
