import { describe, expect, it } from "vitest";
import { ATTEMPT_RESULTS, BOUNCE_REASONS } from "../../src/core/outcomes.js";
import { qmailIsDying, qmailNextRetry, QMAIL_DEFAULTS } from "../../src/core/profiles/qmail.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { BOUNCED, DELIVERED } from "../../src/core/message-table.js";
import { twoMx } from "../helpers.js";

// docs/model.md#qmail (= Life with qmail's table): attempt k starts at (20k)^2 s after birth.
const Q1 = [
  0, 400, 1600, 3600, 6400, 10000, 14400, 19600, 25600, 32400, 40000, 48400, 57600, 67600, 78400, 90000, 102400,
  115600, 129600, 144400, 160000, 176400, 193600, 211600, 230400, 250000, 270400, 291600, 313600, 336400, 360000,
  384400, 409600, 435600, 462400, 490000, 518400, 547600, 577600, 608400,
];

/** Attempts of message `m`: [start, result] pairs. */
function attemptsOf(r: RunResult, m: number): [number, string][] {
  const a = r.attempts!;
  const out: [number, string][] = [];
  for (let i = 0; i < a.count; i++) if (a.message[i] === m) out.push([a.start[i]!, ATTEMPT_RESULTS[a.result[i]!]!]);
  return out;
}

describe("qmail remote retry schedule (docs/model.md#qmail)", () => {
  it("Q2: next = birth + (floor(sqrt(start - birth)) + 20)^2, computed at the attempt's start", () => {
    expect(qmailNextRetry(QMAIL_DEFAULTS, 0, 0)).toBe(400);
    expect(qmailNextRetry(QMAIL_DEFAULTS, 0, 1600)).toBe(3600);
    expect(qmailNextRetry(QMAIL_DEFAULTS, 0, 500)).toBe(1764); // a late attempt
    expect(qmailNextRetry(QMAIL_DEFAULTS, 1000, 1400)).toBe(2600); // counted from birth, not from 0
  });

  it("docs/model.md#qmail: the dying flag is strict: start > birth + queuelifetime", () => {
    expect(qmailIsDying(QMAIL_DEFAULTS, 0, 604800)).toBe(false);
    expect(qmailIsDying(QMAIL_DEFAULTS, 0, 604801)).toBe(true);
  });

  it("Q1: a never-deliverable message is tried 40 times at (20k)^2 and bounces at 608400 s", () => {
    const r = simulate(
      twoMx({ secondary: false, primaryOutages: "[{ start: 0s, duration: 30d }]", senders: "  a.test: { to: example.com, at: [0s] }" }),
    );
    const attempts = attemptsOf(r, 0);
    expect(attempts.map(([t]) => t)).toEqual(Q1);
    expect(attempts.slice(0, 39).every(([, res]) => res === "deferred")).toBe(true);
    expect(attempts[39]![1]).toBe("bounced");
    expect(r.messages.outcome[0]).toBe(BOUNCED);
    expect(r.messages.done[0]).toBe(608400);
    expect(BOUNCE_REASONS[r.messages.reason[0]!]).toBe("lifetime");
  });

  it.each([
    [3600, 6400, 5],
    [86400, 90000, 16],
    [432000, 435600, 34],
  ])("Q4: queuelifetime %i s bounces at %i s after %i attempts", (lifetime, bounceAt, attempts) => {
    const r = simulate(
      twoMx({
        secondary: false,
        primaryOutages: "[{ start: 0s, duration: 30d }]",
        senders: `  a.test: { to: example.com, at: [0s], mta: { name: qmail, queuelifetime: ${lifetime} } }`,
      }),
    );
    expect(r.messages.done[0]).toBe(bounceAt);
    expect(r.messages.attempts[0]).toBe(attempts);
  });

  it("Q5: when the dying attempt succeeds the message is delivered, not bounced", () => {
    // The primary is back exactly at 608400, the time of the dying attempt.
    const r = simulate(
      twoMx({ secondary: false, primaryOutages: "[{ start: 0s, end: 608400s }]", senders: "  a.test: { to: example.com, at: [0s] }" }),
    );
    expect(r.messages.outcome[0]).toBe(DELIVERED);
    expect(r.messages.done[0]).toBe(608400);
    expect(r.messages.attempts[0]).toBe(40);
  });

  it("docs/model.md#relays: a qmail secondary retries on the same schedule counted from when *it* accepted the message", () => {
    // The message is sent at 1000 s; the primary refuses, the secondary takes it at 1000 s.
    const r = simulate(
      twoMx({ primaryOutages: "[{ start: 0s, duration: 30d }]", senders: "  a.test: { to: example.com, at: [1000s] }" }),
    );
    const attempts = attemptsOf(r, 0);
    expect(attempts[0]).toEqual([1000, "relayed"]);
    // The secondary's attempts: 1000 + (20k)^2, and the bounce at 1000 + 608400.
    expect(attempts.slice(1).map(([t]) => t)).toEqual(Q1.map((t) => 1000 + t));
    expect(attempts[attempts.length - 1]![1]).toBe("bounced");
    expect(r.messages.done[0]).toBe(609400);
    expect(r.nodes[r.messages.holder[0]!]!.name).toBe("s.example.com");
  });
});
