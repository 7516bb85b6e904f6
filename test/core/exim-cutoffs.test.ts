/**
 * Exim's cutoffs as its source has them (issue 12, item 2; the reading is
 * /work/analysis/issue12-exim.md §2.5, §3, §7.0, §7a, §7b):
 * - the ultimate address timeout: a host whose record is not expired is tried
 *   despite its retry time once the message is older than the last cutoff
 *   (retry.c retry_check_address() → retry_ultimate_address_timeout(), strict
 *   ">"), and the failed try times the item out with next_try = now when the
 *   message is no younger than the record (retry.c retry_update() 838–862);
 *   hosts_max_try stops counting then (smtp.c smtp_transport_entry());
 * - the retry timeout: every tried host timed out, and no host skipped while
 *   not expired nor cut off by hosts_max_try (af_retry_skipped, smtp.c);
 * - delay_after_cutoff false: a second pass tries each expired host last tried
 *   no later than the message's arrival, whatever its retry time (smtp.c).
 *
 * Every number below is worked out from those rules by hand (in the comments),
 * not by calling the code under test. Default rule F,2h,15m; G,16h,1h,1.5;
 * F,4d,6h: the last cutoff is 4d = 345600 s.
 */
import { describe, expect, it } from "vitest";
import { attemptsOf, notificationsOf, type AttemptRecord } from "../../src/core/records.js";
import { BOUNCE_REASONS } from "../../src/core/outcomes.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { EXIM, EXIM_DEFAULTS, EximHints, eximUpdateHint, type HostHint } from "../../src/core/profiles/exim.js";
import type { Walk } from "../../src/core/mta-rules.js";
import { model } from "../helpers.js";

const reason = (r: RunResult, m: number) => BOUNCE_REASONS[r.messages.reason[m]!];
const real = (a: AttemptRecord) => a.connections.some((c) => c.result !== "skipped");
/** Connections really made (not skipped) by message m over all its attempts. */
const connections = (r: RunResult, m: number) => attemptsOf(r, m).flatMap((a) => a.connections.filter((c) => c.result !== "skipped")).length;
const realStarts = (r: RunResult, m: number) => attemptsOf(r, m).filter(real).map((a) => a.start);
const conns = (a: AttemptRecord) => a.connections.map((c) => `${c.host.split(".")[0]} ${c.result}`);

/** Messages at `at` to example.com, whose only MX p refuses during `outages` (default: always), sent by `mta`. */
function onlyP(mta: string, at: string[], opts: { days?: number; outages?: string } = {}): RunResult {
  const days = opts.days ?? 5;
  return simulate(
    model(`
name: t
duration: ${days}d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: ${opts.outages ?? `[{ start: 0s, duration: ${days + 1}d, mode: refused }]`} }
senders:
  a.test: { to: example.com, at: [${at.join(", ")}], mta: ${mta} }
`),
  );
}

const walk = (birth: number): Walk => ({ birth, tried: 0, skipped: 0, skippedExpired: 0, triedExpired: 0, siteFailure: true, cut: false, pass: 0 });

describe("the ultimate address timeout in the hints (retry.c retry_check_address(), retry_update() 838–862)", () => {
  /** P failing since 0, last tried at 340200 by the F,4d,6h set: not expired, next try 361800 (E2's record). */
  const e2Record = (): EximHints => {
    const hints = EXIM.memory(EXIM_DEFAULTS, { servers: 1, domains: 1, stream: () => () => 0 }) as EximHints;
    Object.assign(hints.hint(0), { firstFailed: 0, lastTry: 340200, nextTry: 361800, expired: false } satisfies HostHint);
    return hints;
  };

  it("a message exactly 4d old still skips the host; one second older may try it (now − received_time > cutoff, strictly)", () => {
    const hints = e2Record();
    expect(hints.skips(0, 345600, false, walk(0))).toBe(true);
    expect(hints.skips(0, 345601, false, walk(0))).toBe(false);
    // A younger message at the same instant skips it.
    expect(hints.skips(0, 345601, false, walk(1))).toBe(true);
  });

  it("an expired record never gets the permission (retry.c 263 tests !expired)", () => {
    const hints = e2Record();
    hints.hint(0).expired = true;
    const w = walk(0);
    expect(hints.skips(0, 347400, false, w)).toBe(true);
    expect(w.skippedExpired).toBe(1);
  });

  it("the failed try of a message older than the cutoff and the record times the item out with next_try = now, the record still not expired", () => {
    // Record failing since 27000 (the "record younger than message" case of §7a): failing 320400 ≤ 345600 picks
    // F,4d,6h, so the record is not expired; received 0 ≤ first_failed 27000 and age 347400 > 345600: timed out.
    const h: HostHint = { firstFailed: 27000, lastTry: 345600, nextTry: 367200, expired: false };
    expect(eximUpdateHint(EXIM_DEFAULTS, h, 347400, 0)).toBe(true);
    expect(h).toEqual({ firstFailed: 27000, lastTry: 347400, nextTry: 347400, expired: false });
    // A message received after first_failed: the rule search alone decides (not timed out, next try 6 h on).
    const h2: HostHint = { firstFailed: 27000, lastTry: 345600, nextTry: 367200, expired: false };
    expect(eximUpdateHint(EXIM_DEFAULTS, h2, 347400, 27001)).toBe(false);
    expect(h2).toEqual({ firstFailed: 27000, lastTry: 347400, nextTry: 347400 + 21600, expired: false });
  });
});

describe("E2 corrected (analysis §7.0): one message at 0, its only MX always refusing, -q on the default phase 0", () => {
  // E2's record: tries at 0, 1800, …, 340200 (+21600 from 81000); after 340200 next_try = 361800, not expired.
  // The first queue run past 345600 finds the message older than the cutoff: it tries, fails, and since
  // failing_interval (= now) > 345600 the record expires and the item times out ("retry timeout exceeded").
  it.each([
    // -q30m: 0, 1800, …, 7200 (F), 9000, 12600, 18000, 27000, 39600, 59400 (G), 81000 + k·21600 up to 340200.
    ["30m", 25, 340200, 347400],
    // -q15m: 0, 900, …, 7200, 8100, 11700, 17100, 25200, 37800, 56700, 84600, 106200 + k·21600 up to 343800 (next 365400).
    ["15m", 29, 343800, 346500],
    // -q1h: …, 46800 (G), 68400 + k·21600 up to 327600; the hint itself is due at 349200 (failing 349200 > 4d).
    ["1h", 22, 327600, 349200],
  ])("-q%s: %i real attempts, the one before the bounce at %i, the bounce at %i", (q, count, before, bounce) => {
    const r = onlyP(`{ name: exim, queue_run_interval: ${q} }`, ["0s"]);
    const starts = realStarts(r, 0);
    expect(starts).toHaveLength(count);
    expect(starts.slice(-2)).toEqual([before, bounce]);
    expect(r.messages.done[0]).toBe(bounce);
    expect(reason(r, 0)).toBe("retry-timeout");
  });

  it("the idealised E1 (queue_run_interval 0: deliveries only at the hints) has none between 342112 and 363712: 363712 stands", () => {
    const r = onlyP("{ name: exim, queue_run_interval: 0 }", ["0s"]);
    expect(realStarts(r, 0).slice(-2)).toEqual([342112, 363712]);
    expect(r.messages.done[0]).toBe(363712);
    expect(reason(r, 0)).toBe("retry-timeout");
  });
});

describe("§7a Case 1: a message M arriving 3 days into the outage while A0, which started it, is still queued (-q30m)", () => {
  // mxsim runs the messages of one queue run in the order their events were scheduled (event-queue.ts: (time, seq),
  // FIFO at one time). A sender's next arrival is scheduled when its previous one happens, so M's arrival at 259200
  // (a queue-run time) was scheduled at 0, before A0's retry at 259200 (scheduled at 257400): M goes first, and its
  // next retry is then scheduled before A0's, at every later run. Arriving at 259201, off the grid, M is scheduled
  // after A0 at every run.

  it("M at 259200, processed before A0: M makes the due runs' one real try, is deferred at 347400, bounces at 349200 without a warning", () => {
    const r = onlyP("exim", ["0s", "259200s"]);
    // 259200: P not due (275400): skipped. 275400, 297000, 318600, 340200: M is first, tries P and fails, so A0 skips.
    expect(realStarts(r, 1)).toEqual([275400, 297000, 318600, 340200]);
    expect(realStarts(r, 0).filter((t) => t >= 259200)).toEqual([347400]);
    // 347400: M (age 88200) skips P, not expired and not due: deferred. A0 (age 347400 > 345600) tries it (the
    // ultimate timeout), fails, and bounces; P is now expired with next_try 369000.
    expect(attemptsOf(r, 1).find((a) => a.start === 347400)).toMatchObject({ result: "deferred", connections: [{ result: "skipped" }] });
    expect([r.messages.done[0], reason(r, 0)]).toEqual([347400, "retry-timeout"]);
    // 349200: P expired and not due: M fails at once, no connection ("failing for a long time").
    expect(attemptsOf(r, 1).at(-1)).toMatchObject({ start: 349200, end: 349200, result: "bounced", connections: [{ result: "skipped" }] });
    expect(reason(r, 1)).toBe("failing-too-long");
    // M's real tries were all before it was 24 h old (340200 − 259200 = 81000): no delay warning, only the bounce.
    expect(notificationsOf(r, 1).map((n) => [n.kind, n.at])).toEqual([["failed", 349200]]);
  });

  it("M at 259201, processed after A0: A0 makes every real try, and M bounces in A0's run, at 347400, having never connected", () => {
    const r = onlyP("exim", ["0s", "259201s"]);
    expect(connections(r, 1)).toBe(0);
    expect([r.messages.done[0], reason(r, 0)]).toEqual([347400, "retry-timeout"]);
    expect(attemptsOf(r, 1).at(-1)).toMatchObject({ start: 347400, end: 347400, result: "bounced", connections: [{ result: "skipped" }] });
    expect(reason(r, 1)).toBe("failing-too-long");
    expect(notificationsOf(r, 1).map((n) => [n.kind, n.at])).toEqual([["failed", 347400]]);
  });
});

describe("§7a, the record younger than the message: A0 times out at 4d of its own age; a younger message does not", () => {
  // P refuses from 0 except in [26400, 26600). A0 at 0; N at 26500 finds P due (the hint after 18000 is 26100) and up:
  // delivered, P's record deleted. At the 27000 run A0 makes a new record (first_failed 27000). A1 arrives at 100000.
  // connection_max_messages 1: otherwise A0, listed as waiting for P, would follow N down its connection at 26500
  // (continued delivery, transport_check_waiting) and the record would never be younger than A0.
  const outages = "[{ start: 0s, duration: 26400s, mode: refused }, { start: 26600s, duration: 10d, mode: refused }]";
  const run = () => onlyP("{ name: exim, connection_max_messages: 1 }", ["0s", "26500s", "100000s"], { outages });

  it("with continued delivery (the default) A0 follows N down its connection at 26500 instead", () => {
    const r = onlyP("exim", ["0s", "26500s", "100000s"], { outages });
    expect(attemptsOf(r, 0).at(-1)).toMatchObject({ start: 26500, result: "delivered" });
  });

  it("N is delivered on arrival and A0 starts a new record at 27000", () => {
    const r = run();
    expect(attemptsOf(r, 1)).toMatchObject([{ start: 26500, result: "delivered" }]);
    expect(realStarts(r, 0).filter((t) => t > 18000 && t <= 27000)).toEqual([27000]);
  });

  it("run 347400: A0 tries despite its hint (due 367200), bounces; P stays due, so A1 tries next in the same run and is only deferred", () => {
    const r = run();
    // A0's try at 345600 (failing 318600, F,6h) set next_try 367200; at 347400 A0 is older than 4d: tried anyway.
    expect(realStarts(r, 0).slice(-2)).toEqual([345600, 347400]);
    expect([r.messages.done[0], reason(r, 0)]).toEqual([347400, "retry-timeout"]);
    // Step 4 set next_try = 347400 (= now), not expired: A1, after A0 in that run, finds P due and tries. A1 is 247400 s
    // old: failing 320400 picks F,4d,6h, next_try 369000; nothing times out.
    expect(attemptsOf(r, 2).find((a) => a.start === 347400)).toMatchObject({ result: "deferred", connections: [{ result: "refused" }] });
    // 369000: failing 342000, next 390600. 390600: failing 363600 > 345600: expired, A1 bounces.
    expect(realStarts(r, 2).filter((t) => t >= 347400)).toEqual([347400, 369000, 390600]);
    expect([r.messages.done[2], reason(r, 2)]).toEqual([390600, "retry-timeout"]);
  });
});

describe("§7b: delay_after_cutoff true vs false for messages arriving after P's record expired", () => {
  // Case 2 of §7a (no message older than the record is queued): P refuses from 0, so A0 (at 0) makes E2's record;
  // at its try at 340200 P answers 554 instead, which fails A0 ("rejected", profiles E5) and, being a host error,
  // updates the record like E2's: failing 340200 ≤ 4d, F,6h, next 361800, not expired. Y (340300) and W (350000)
  // skip P (not due, not expired, both young). Run 361800: Y (scheduled before W) tries, failing 361800 > 4d: the
  // record expires (last_try 361800, next 383400) and Y bounces. Then B1 370000, B2 375000, B3 390000 arrive.
  const outages =
    "[{ start: 0s, duration: 340200s, mode: refused }, { start: 340200s, duration: 60s, mode: greeting-5xx }, { start: 340260s, duration: 6d, mode: refused }]";
  const run = (dac: boolean) =>
    onlyP(`{ name: exim, delay_after_cutoff: ${dac} }`, ["0s", "340300s", "350000s", "370000s", "375000s", "390000s"], { outages });
  const [A0, Y, W, B1, B2, B3] = [0, 1, 2, 3, 4, 5];
  const outcome = (r: RunResult, m: number) => [r.messages.done[m], reason(r, m), connections(r, m)];

  it("the setup: A0 fails at 340200, Y times the record out at 361800 (both settings)", () => {
    for (const dac of [true, false]) {
      const r = run(dac);
      expect(outcome(r, A0)).toEqual([340200, "rejected", 24]);
      expect(outcome(r, Y)).toEqual([361800, "retry-timeout", 1]);
    }
  });

  it("true (default): W, B1 and B2 fail at once without a connection; B3, after the post-cutoff retry time 383400, tries once", () => {
    const r = run(true);
    expect(outcome(r, W)).toEqual([361800, "failing-too-long", 0]);
    expect(outcome(r, B1)).toEqual([370000, "failing-too-long", 0]);
    expect(outcome(r, B2)).toEqual([375000, "failing-too-long", 0]);
    // B3: due, usable-and-expired (retry.c 279): tried, no rule covers failing 390000: timed out. Next 411600.
    expect(outcome(r, B3)).toEqual([390000, "retry-timeout", 1]);
    expect(attemptsOf(r, B3).map(conns)).toEqual([["p refused"]]);
  });

  it("false: each of B1, B2, B3 arrived after P's last try, so each makes one try (the second pass) and bounces at once", () => {
    const r = run(false);
    // B1: last_try 361800 ≤ 370000: tried, fails, no rule covers failing 370000: timed out. Record next 391600.
    // B2: last_try 370000 ≤ 375000 (next 396600). B3: not due (396600), last_try 375000 ≤ 390000: tried (next 411600).
    expect(outcome(r, B1)).toEqual([370000, "retry-timeout", 1]);
    expect(outcome(r, B2)).toEqual([375000, "retry-timeout", 1]);
    expect(outcome(r, B3)).toEqual([390000, "retry-timeout", 1]);
    for (const m of [B1, B2, B3]) expect(attemptsOf(r, m).map(conns)).toEqual([["p skipped", "p refused"]]);
  });

  it("false: W, queued before the expiry, was received before P's last try (350000 < 361800): no second-pass try, it fails at once", () => {
    const r = run(false);
    expect(outcome(r, W)).toEqual([361800, "failing-too-long", 0]);
    // Both passes skip P: "…have been failing for a long time and were last tried after this message arrived".
    expect(attemptsOf(r, W).at(-1)!.connections.map((c) => c.result)).toEqual(["skipped", "skipped"]);
  });
});

describe("the retry timeout needs no unexpired skip and no hosts_max_try cut, not no skip at all (smtp.c af_retry_skipped)", () => {
  // Retry rule F,1h,1h (cutoff 3600, interval 3600); queue runs once a day, so within 3 h each message makes one
  // attempt, when it is sent. MX p (10) always refuses; s (20) accepts until 100 s, then refuses.
  const run = (extra = "", at = "[0s, 200s, 3700s, 3900s, 7400s]") =>
    simulate(
      model(`
name: t
duration: 3h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1d, mode: refused }] }
  s.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 100s, duration: 1d, mode: refused }] }
senders:
  a.test: { to: example.com, at: ${at}, mta: { name: exim, retry: "F,1h,1h", queue_run_interval: 1d${extra} } }
`),
    );

  it("p tried and expired with s skipped as expired bounces (and the mirror case); with s skipped unexpired it defers", () => {
    const r = run();
    // 0: p fails (first 0, next 3600), s delivers. 200: p skipped, s fails (first 200, next 3800).
    expect(attemptsOf(r, 1).map(conns)).toEqual([["p skipped", "s refused"]]);
    // 3700: p due, failing 3700 > 3600: expired (next 7300); s not due and not expired: af_retry_skipped → deferred.
    expect(attemptsOf(r, 2)).toMatchObject([{ result: "deferred" }]);
    expect(attemptsOf(r, 2).map(conns)).toEqual([["p refused", "s skipped"]]);
    // 3900: p skipped as expired; s due, failing 3700 > 3600: expired (next 7500): every tried item timed out.
    expect(attemptsOf(r, 3).map(conns)).toEqual([["p skipped", "s refused"]]);
    expect([r.messages.done[3], reason(r, 3)]).toEqual([3900, "retry-timeout"]);
    // 7400: p due, tried, expired again; s expired and not due (7500): skipped as expired. Bounces.
    expect(attemptsOf(r, 4).map(conns)).toEqual([["p refused", "s skipped"]]);
    expect([r.messages.done[4], reason(r, 4)]).toEqual([7400, "retry-timeout"]);
  });

  it("hosts_max_try 1: a young message whose one tried host expires is deferred (the cut sets af_retry_skipped)", () => {
    const r = run(", hosts_max_try: 1", "[0s, 3700s]");
    // 0: p fails (next 3600); s is cut off. 3700: p due, failing 3700 > 3600: expired; s cut off again: deferred.
    expect(attemptsOf(r, 1)).toMatchObject([{ result: "deferred" }]);
    expect(attemptsOf(r, 1).map(conns)).toEqual([["p refused"]]);
  });

  it("hosts_max_try 1 is lifted once the message is older than the cutoff: both hosts tried, both items timed out", () => {
    // Queue runs every 30 min. 0: p fails (next 3600), s cut off (it accepts until 100 s; it is never reached).
    // 1800: p skipped. 3600: p due, failing 3600 ≤ 3600: not expired, next 7200; s cut off. 5400: the message is
    // 5400 s old > 3600: p (not expired, not due) is tried by the ultimate timeout, failing 5400: expired; the limit
    // does not count, so s is tried too: a new record (first_failed 5400 ≥ received 0), not expired, but the message
    // is older than the cutoff: timed out with next_try = now. Both items timed out: "retry timeout exceeded".
    const r = simulate(
      model(`
name: t
duration: 3h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1d, mode: refused }] }
  s.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 100s, duration: 1d, mode: refused }] }
senders:
  a.test: { to: example.com, at: [0s], mta: { name: exim, retry: "F,1h,1h", queue_run_interval: 30m, hosts_max_try: 1 } }
`),
    );
    expect(attemptsOf(r, 0).map((a) => [a.start, ...conns(a)])).toEqual([
      [0, "p refused"],
      [1800, "p skipped"],
      [3600, "p refused"],
      [5400, "p refused", "s refused"],
    ]);
    expect([r.messages.done[0], reason(r, 0)]).toEqual([5400, "retry-timeout"]);
  });
});
