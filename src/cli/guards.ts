/**
 * Resource guards: a scenario whose expected size would take more memory or
 * time than a laptop should give it is refused before it starts, with the
 * estimate and the flag that lets a user proceed.
 */
import type { Model } from "../core/model.js";
import { expectedMessages } from "../core/simulate.js";
import { neverDeliverable } from "../report/profile-schedule.js";
import { UserError } from "./exit-codes.js";

/** About 1.3 GB: 110 bytes a message in the columns, plus the process. */
export const MAX_MESSAGES = 10_000_000;
/** About five minutes at 2.7 million events a second (npm run bench). */
export const MAX_EVENTS = 800_000_000;

export interface SizeEstimate {
  messages: number;
  /** Events if every message were retried for its whole lifetime (an upper bound). */
  events: number;
  memoryMb: number;
}

export function estimateSize(model: Model): SizeEstimate {
  const attemptsCache = new Map<string, number>();
  // A never-deliverable message's attempts under a profile (its deliveries without connection count too).
  const attempts = (p: Model["senders"][number]["profile"]) => {
    const key = JSON.stringify(p);
    let n = attemptsCache.get(key);
    if (n === undefined) {
      const s = neverDeliverable(p);
      n = s.attempts.length + s.withoutConnection;
      attemptsCache.set(key, n);
    }
    return n;
  };
  const relayAttempts = Math.max(0, ...model.servers.filter((s) => s.role === "relay").map((s) => attempts(s.profile)));
  let events = 0;
  for (const s of model.senders) {
    const a = s.arrivals;
    const m = a.kind === "poisson" ? a.rate * Math.min(model.duration, s.until) : a.times.length;
    events += m * (1 + attempts(s.profile) + relayAttempts);
  }
  const messages = expectedMessages(model);
  return { messages, events, memoryMb: Math.round(100 + (messages * 110) / 1e6) };
}

export function guardSize(model: Model, file: string, allowLarge: boolean): void {
  if (allowLarge) return;
  const e = estimateSize(model);
  if (e.messages > MAX_MESSAGES || e.events > MAX_EVENTS) {
    const minutes = Math.ceil(e.events / 2.7e6 / 60);
    throw new UserError(
      `${file}: about ${Math.round(e.messages).toLocaleString("en-US")} messages and up to ${e.events.toExponential(1)} events ` +
        `(about ${e.memoryMb} MB of memory, at worst ${minutes} minutes); add --allow-large to run it anyway`,
    );
  }
}

