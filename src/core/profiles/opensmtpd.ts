/**
 * OpenSMTPD 7.8: retries on a 400·n² grid, expiry by timer with no final
 * attempt. Facts from mta-facts.md §4.2 and §8.4.
 */
import type { FailureMode } from "../model.js";
import { BOUNCE, DEFER, NEXT } from "./common.js";

export interface OpensmtpdProfile {
  mta: "opensmtpd";
  /** `queue ttl`, default 4d (smtpd.h line 62, §4.2). */
  queue_ttl: number;
  /** BACKOFF_TRANSFER, 400 s (scheduler_ramqueue.c line 161, §4.2). */
  backoff_transfer: number;
  /** `bounce warn-interval`, default one warning at 4h; 0 = none (config.c line 76, §4.2). */
  bounce_warn_interval: number;
  /** Connect timeout; an assumption (300 s, the RFC 5321 §4.5.3.2 minimum for the greeting), see the profile notes. */
  connect_timeout: number;
}

export const OPENSMTPD_DEFAULTS: OpensmtpdProfile = {
  mta: "opensmtpd",
  queue_ttl: 345600,
  backoff_transfer: 400,
  bounce_warn_interval: 14400,
  connect_timeout: 300,
};

/**
 * scheduler_next() (scheduler_ramqueue.c 161–181): the first point of
 * birth + base·n² that lies after `now`.
 */
export function opensmtpdNextAttempt(p: OpensmtpdProfile, birth: number, now: number): number {
  let n = Math.max(1, Math.floor(Math.sqrt(Math.max(0, now - birth) / p.backoff_transfer)));
  while (birth + p.backoff_transfer * n * n <= now) n++;
  return birth + p.backoff_transfer * n * n;
}

/**
 * mta.c only moves to a worse MX level when no route at the current level is
 * usable (§4.2); mxsim treats every temporary error at one host as making
 * that route unusable, so the next MX is tried, and the last one defers.
 */
export function opensmtpdOnFailure(mode: FailureMode, last: boolean): number {
  if (mode === "reject-5xx") return BOUNCE;
  return last ? DEFER : NEXT;
}
