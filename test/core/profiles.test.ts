import { describe, expect, it } from "vitest";
import { BOUNCED, DELIVERED } from "../../src/core/message-table.js";
import { ATTEMPT_RESULTS, BOUNCE_REASONS, CONNECTION_RESULTS, NOTIFICATION_KINDS } from "../../src/core/outcomes.js";
import { failsOverOnConnectOnly, MTA_NAMES, PROFILE_DEFAULTS } from "../../src/core/profile.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { model } from "../helpers.js";

/**
 * A sender running `mta` mails example.com, whose MX hosts are given as
 * "name:mode" pairs ("up" for a healthy mailbox server); a mode applies for
 * the whole run. Messages are sent at the given offsets.
 */
function run(mta: string, hosts: string[], at: string[], duration = "8d"): RunResult {
  const servers = hosts.map((h, i) => {
    const [name, mode] = h.split(":") as [string, string];
    const outages = mode === "up" ? "[]" : `[{ start: 0s, duration: 30d, mode: ${mode} }]`;
    return `  ${name}.example.com: { role: mailbox, domains: [example.com], outages: ${outages} }`;
  });
  const mx = hosts.map((h, i) => `{ preference: ${(i + 1) * 10}, host: ${h.split(":")[0]}.example.com }`);
  return simulate(
    model(`
name: t
duration: ${duration}
dns:
  example.com: { mx: [${mx.join(", ")}] }
servers:
${servers.join("\n")}
senders:
  a.test: { to: example.com, at: [${at.join(", ")}], mta: ${mta} }
`),
  );
}

/** Attempts of message `m`: start times, results and connections. */
function attempts(r: RunResult, m = 0) {
  const a = r.attempts!;
  const out: { start: number; end: number; result: string; conns: string[] }[] = [];
  for (let i = 0; i < a.count; i++) {
    if (a.message[i] !== m) continue;
    const conns: string[] = [];
    for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) {
      conns.push(`${r.nodes[a.connHost[k]!]!.name.split(".")[0]} ${CONNECTION_RESULTS[a.connResult[k]!]}`);
    }
    out.push({ start: a.start[i]!, end: a.end[i]!, result: ATTEMPT_RESULTS[a.result[i]!]!, conns });
  }
  return out;
}

const starts = (r: RunResult, m = 0) => attempts(r, m).map((a) => a.start);
const reason = (r: RunResult, m = 0) => BOUNCE_REASONS[r.messages.reason[m]!];
function warnings(r: RunResult, m = 0): number[] {
  const a = r.attempts!;
  const out: number[] = [];
  for (let i = 0; i < a.noteCount; i++) {
    if (a.noteMessage[i] === m && NOTIFICATION_KINDS[a.noteKind[i]!] === "delayed") out.push(a.noteAt[i]!);
  }
  return out;
}

describe("qmail tcpto (docs/model.md#qmail)", () => {
  it("Q8: after two timeouts 120 s apart the primary is skipped and the secondary tried with no 60 s wait", () => {
    const r = run("qmail", ["p:timeout", "s:up"], ["0s", "200s", "400s"]);
    expect(attempts(r, 0)[0]).toMatchObject({ end: 60, conns: ["p timeout", "s accepted"] });
    expect(attempts(r, 1)[0]).toMatchObject({ end: 260, conns: ["p timeout", "s accepted"] });
    expect(attempts(r, 2)[0]).toMatchObject({ end: 400, conns: ["p skipped", "s accepted"] });
  });

  it("Q8: a second timeout within 120 s of the first does not count", () => {
    const r = run("qmail", ["p:timeout", "s:up"], ["0s", "100s", "130s"]);
    // Timeouts end at 60 and 160 (100 s apart: not counted), so the third message still waits on p.
    expect(attempts(r, 2)[0]!.conns).toEqual(["p timeout", "s accepted"]);
  });

  it("Q8: a refused connection never makes a host skipped", () => {
    const r = run("qmail", ["p:refused", "s:up"], ["0s", "200s", "400s", "600s"]);
    for (let m = 0; m < 4; m++) expect(attempts(r, m)[0]!.conns).toEqual(["p refused", "s accepted"]);
  });

  it("tcpto can be turned off", () => {
    const r = run("{ name: qmail, tcpto: false }", ["p:timeout", "s:up"], ["0s", "200s", "400s"]);
    expect(attempts(r, 2)[0]!.conns).toEqual(["p timeout", "s accepted"]);
  });
});

describe("Postfix (docs/model.md#postfix)", () => {
  it("P3: under a 300 s scan grid of phase 0 attempts fall at 0, 300, 600, 1200, 2400, 4800, 9000, … and it bounces at 433200", () => {
    const r = run("postfix", ["p:refused"], ["0s"]);
    const t = starts(r);
    expect(t.slice(0, 9)).toEqual([0, 300, 600, 1200, 2400, 4800, 9000, 13200, 17400]);
    expect(t.length).toBe(108);
    expect(r.messages.done[0]).toBe(433200);
    expect(reason(r)).toBe("lifetime");
  });

  it("P3: phase 100 gives 0, 400, 1000, 2200, 4600, 8800, 13000, … and a bounce at 433000", () => {
    const r = run("{ name: postfix, queue_run_phase: 100s }", ["p:refused"], ["0s"]);
    expect(starts(r).slice(0, 7)).toEqual([0, 400, 1000, 2200, 4600, 8800, 13000]);
    expect(r.messages.done[0]).toBe(433000);
  });

  it("P3: phase 299 gives 0, 299, 599, … (the 1 s pick-up slack) and a bounce at 433199", () => {
    const r = run("{ name: postfix, queue_run_phase: 299s }", ["p:refused"], ["0s"]);
    expect(starts(r).slice(0, 3)).toEqual([0, 299, 599]);
    expect(r.messages.done[0]).toBe(433199);
  });

  it("P4: attempts that take 60 s (two blackholed MX, 30 s each) shift the schedule; bounce at 435360", () => {
    const r = run("postfix", ["p:timeout", "q:timeout"], ["0s"]);
    expect(starts(r).slice(0, 6)).toEqual([0, 600, 1500, 3300, 6900, 11100]);
    expect(r.messages.done[0]).toBe(435360);
  });

  it("P5: with delay_warning_time 4h one warning is sent, at the deferred attempt at 17400", () => {
    expect(warnings(run("{ name: postfix, delay_warning_time: 4h }", ["p:refused"], ["0s"]))).toEqual([17400]);
    expect(warnings(run("postfix", ["p:refused"], ["0s"]))).toEqual([]);
  });

  it("P6: maximal_queue_lifetime 0 bounces after the first failed attempt; 1d bounces at 88800", () => {
    const zero = run("{ name: postfix, maximal_queue_lifetime: 0 }", ["p:refused"], ["0s"]);
    expect(starts(zero)).toEqual([0]);
    expect(zero.messages.outcome[0]).toBe(BOUNCED);
    expect(run("{ name: postfix, maximal_queue_lifetime: 1d }", ["p:refused"], ["0s"]).messages.done[0]).toBe(88800);
  });

  it.each([
    ["greeting-4xx", "p greeting-4xx"],
    ["greeting-5xx", "p greeting-5xx"],
    ["rcpt-4xx", "p rcpt-4xx"],
  ])("P7: a primary answering %s → delivered via the secondary in the same attempt", (mode, first) => {
    const r = run("postfix", [`p:${mode}`, "s:up"], ["0s"]);
    expect(attempts(r)[0]!.conns).toEqual([first, "s accepted"]);
    expect(r.messages.outcome[0]).toBe(DELIVERED);
  });

  it("P7: RCPT 550 bounces at once and the secondary is not tried", () => {
    const r = run("postfix", ["p:reject-5xx", "s:up"], ["0s"]);
    expect(attempts(r)[0]!.conns).toEqual(["p reject-5xx"]);
    expect(r.messages.outcome[0]).toBe(BOUNCED);
  });

  it("P7 (corrected): a lone message whose MX all refuse never makes the destination dead: the next message connects", () => {
    const r = run("postfix", ["p:refused", "s:refused"], ["0s", "100s"]);
    expect(attempts(r, 0)[0]!.conns).toEqual(["p refused", "s refused"]);
    // qmgr deleted the in-core queue with its counts when m0 was done (qmgr_entry_done): m1 meets a fresh one.
    expect(attempts(r, 1)[0]).toMatchObject({ start: 100, result: "deferred", conns: ["p refused", "s refused"] });
    expect(attempts(r, 0)[1]).toMatchObject({ start: 300, conns: ["p refused", "s refused"] });
  });

  it("P7 (corrected): a batch of 12 due at the same scan: 5 real attempts (the window), dead at the 3rd failure, 7 suspended", () => {
    const r = run("postfix", ["p:refused", "s:refused"], Array(12).fill("0s"));
    const round = (k: number) => Array.from({ length: 12 }, (_, m) => attempts(r, m)[k]!);
    // Sent at 0 s, one after another, each attempted as it arrives while the earlier ones report back: the third site
    // failure kills the destination, and the rest are deferred without a connection.
    expect(round(0).slice(0, 3).every((a) => a.conns.length === 2)).toBe(true);
    expect(round(0).slice(-7).every((a) => a.conns.length === 0 && a.result === "deferred")).toBe(true);
    // All due at the scan of 300 s (dead until floor(0) + 300, so the queue is fresh): the whole batch enters the active
    // queue before any delivery reports, 5 go out (initial_destination_concurrency), 5 → 3 → 2 → dead, 7 suspended.
    for (const k of [1, 2]) {
      expect(round(k).map((a) => a.start)).toEqual(Array(12).fill(k * 300));
      expect(round(k).map((a) => a.conns.length)).toEqual([2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0]);
    }
  });

  it("P7: smtp_mx_session_limit (2): with 3 MX answering RCPT 450 only 2 sessions are used; handshake errors do not count", () => {
    const three = run("postfix", ["a:rcpt-4xx", "b:rcpt-4xx", "c:rcpt-4xx"], ["0s"]);
    expect(attempts(three)[0]).toMatchObject({ result: "deferred", conns: ["a rcpt-4xx", "b rcpt-4xx"] });
    const more = run("{ name: postfix, smtp_mx_session_limit: 3 }", ["a:rcpt-4xx", "b:rcpt-4xx", "c:rcpt-4xx"], ["0s"]);
    expect(attempts(more)[0]!.conns).toEqual(["a rcpt-4xx", "b rcpt-4xx", "c rcpt-4xx"]);
    // A refusal and a 421 greeting are handshake errors: the two sessions are c's and d's, and e is never reached.
    const mixed = run("postfix", ["a:refused", "b:greeting-4xx", "c:rcpt-4xx", "d:rcpt-4xx", "e:up"], ["0s"]);
    expect(attempts(mixed)[0]).toMatchObject({ result: "deferred", conns: ["a refused", "b greeting-4xx", "c rcpt-4xx", "d rcpt-4xx"] });
  });

  it("P7: with 6 MX hosts all refusing only 5 are tried (smtp_mx_address_limit)", () => {
    const r = run("postfix", ["a:refused", "b:refused", "c:refused", "d:refused", "e:refused", "f:refused"], ["0s"]);
    expect(attempts(r)[0]!.conns).toHaveLength(5);
  });
});

describe("Exim (docs/model.md#exim)", () => {
  const E1 = [
    0, 900, 1800, 2700, 3600, 4500, 5400, 6300, 7200, 8100, 11700, 17100, 25200, 37350, 55575, 82912, 104512, 126112, 147712,
    169312, 190912, 212512, 234112, 255712, 277312, 298912, 320512, 342112, 363712,
  ];

  it("E1: with a delivery at each retry hint the default rule gives 29 attempts and a bounce at 363712", () => {
    const r = run("{ name: exim, queue_run_interval: 0 }", ["p:refused"], ["0s"]);
    expect(starts(r)).toEqual(E1);
    expect(r.messages.done[0]).toBe(363712);
    expect(reason(r)).toBe("retry-timeout");
  });

  // E2 as corrected from the source (retry.c retry_check_address() and retry_update() step 4; the old fact sheet said 361800 and 365400): at the run of
  // 347400 the message is older than the 4d cutoff (347400 > 345600) and the record is not expired (last updated at
  // 340200, failing 340200 ≤ 345600), so retry.c retry_check_address() lets it try despite the hint (next_try 361800);
  // the try fails, failing 347400 > 345600, the item times out: "retry timeout exceeded" on the 25th real attempt.
  it("E2: a queue runner every 30 min (phase 0) tries at 0, 1800, …, 81000, 102600, … and bounces at 347400", () => {
    const r = run("exim", ["p:refused"], ["0s"]);
    // Queue runs where the host is still in its retry wait are deliveries without a connection.
    const connected = attempts(r).filter((a) => !a.conns.includes("p skipped"));
    expect(connected.slice(0, 13).map((a) => a.start)).toEqual([
      0, 1800, 3600, 5400, 7200, 9000, 12600, 18000, 27000, 39600, 59400, 81000, 102600,
    ]);
    expect(connected).toHaveLength(25);
    expect(attempts(r).find((a) => a.start === 10800)!.conns).toEqual(["p skipped"]);
    expect(connected.at(-1)!.start).toBe(347400);
    expect(r.messages.done[0]).toBe(347400);
    expect(reason(r)).toBe("retry-timeout");
  });

  it.each([
    // -q15m: the last try by the hint is at 340200 as well (the G/F hints fall on the 15-minute grid), the first run
    // past 345600 is 346500. -q1h: the first run past 345600 is 349200.
    ["15m", 346500],
    ["1h", 349200],
  ])("E2: with -q%s it bounces at %i", (q, bounce) => {
    expect(run(`{ name: exim, queue_run_interval: ${q} }`, ["p:refused"], ["0s"]).messages.done[0]).toBe(bounce);
  });

  it("E3: a message arriving mid-outage skips the failing host, and bounces when the host's cutoff passes, not 4 days later", () => {
    const r = run("{ name: exim, queue_run_interval: 0 }", ["p:refused"], ["0s", "100000s", "370000s", "390000s"]);
    expect(attempts(r, 1)[0]!.conns).toEqual(["p skipped"]); // no attempt at receipt
    expect(r.messages.done[1]).toBe(363712); // about 3 days after it arrived
    // After the cutoff and before the post-cutoff retry time (385312): bounced at once, no connection.
    expect(attempts(r, 2)).toEqual([{ start: 370000, end: 370000, result: "bounced", conns: ["p skipped"] }]);
    expect(reason(r, 2)).toBe("failing-too-long");
    // After it: one attempt, and a bounce when it fails.
    expect(attempts(r, 3)).toEqual([{ start: 390000, end: 390000, result: "bounced", conns: ["p refused"] }]);
    expect(reason(r, 3)).toBe("retry-timeout");
  });

  it("E4: a message reaching an Exim sender mid-outage goes straight to the secondary", () => {
    const r = run("exim", ["p:refused", "s:up"], ["0s", "300s", "1000s"]);
    expect(attempts(r, 0)[0]!.conns).toEqual(["p refused", "s accepted"]);
    expect(attempts(r, 1)[0]!.conns).toEqual(["p skipped", "s accepted"]);
    expect(attempts(r, 2)[0]!.conns).toEqual(["p refused", "s accepted"]);
  });

  it("E5: a 554 greeting defers for that host and the message goes to the secondary; on the only MX it bounces", () => {
    expect(attempts(run("exim", ["p:greeting-5xx", "s:up"], ["0s"]))[0]!.conns).toEqual(["p greeting-5xx", "s accepted"]);
    const only = run("exim", ["p:greeting-5xx"], ["0s"]);
    expect(only.messages.outcome[0]).toBe(BOUNCED);
    expect(reason(only)).toBe("rejected");
  });

  it("E6 (corrected): with idealised hint times the first failed attempt past 86400 is at 104512, and it brings the warning", () => {
    // docs/model.md#exim against a real Exim 4.96: queue runs that merely skip the host send nothing.
    expect(warnings(run("{ name: exim, queue_run_interval: 0s }", ["p:refused"], ["0s"]))[0]).toBe(104512);
  });

  it("E6 with -q30m: each warning comes at the end of the first attempt that really tried the host past a multiple of 24 h", () => {
    const r = run("exim", ["p:refused"], ["0s"]);
    const real = attempts(r, 0).filter((a) => a.conns.some((c) => !c.endsWith(" skipped")));
    const expected = [1, 2, 3, 4].flatMap((k) => {
      const first = real.find((a) => a.end >= k * 86400);
      return first && first.end < r.messages.done[0]! ? [first.end] : [];
    });
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(warnings(r)).toEqual(expected);
  });
});

describe("Sendmail (docs/model.md#sendmail)", () => {
  it("S1: every queue run retries; with -q30m at phase 0 the message is returned at exactly 432000", () => {
    const r = run("sendmail", ["p:refused"], ["0s"]);
    expect(starts(r).slice(0, 4)).toEqual([0, 1800, 3600, 5400]);
    expect(r.messages.done[0]).toBe(432000);
    expect(reason(r)).toBe("lifetime");
  });

  it("S2: one delayed DSN at the first queue run at or after 4 hours", () => {
    expect(warnings(run("sendmail", ["p:refused"], ["0s"]))).toEqual([14400]);
  });

  it("moves to the next MX on a 421 greeting", () => {
    expect(attempts(run("sendmail", ["p:greeting-4xx", "s:up"], ["0s"]))[0]!.conns).toEqual(["p greeting-4xx", "s accepted"]);
  });
});

describe("OpenSMTPD (docs/model.md#opensmtpd)", () => {
  it("O1: 30 attempts at 400·n²", () => {
    const r = run("opensmtpd", ["p:refused"], ["0s"]);
    expect(starts(r)).toEqual(Array.from({ length: 30 }, (_, n) => 400 * n * n));
    expect(r.messages.attempts[0]).toBe(30);
  });

  it("O2: expiry at exactly 345600 with no final attempt", () => {
    const r = run("opensmtpd", ["p:refused"], ["0s"]);
    expect(r.messages.done[0]).toBe(345600);
    // The last attempt was at 336400; the expiry is a bounce, not an attempt.
    expect(attempts(r).at(-1)).toMatchObject({ start: 336400, result: "deferred" });
    expect(reason(r)).toBe("lifetime");
  });

  it("O3: one delay warning, stamped at 14400", () => {
    expect(warnings(run("opensmtpd", ["p:refused"], ["0s"]))).toEqual([14400]);
  });
});

describe("Exchange (documented defaults only, docs/model.md#exchange)", () => {
  it("X1: returned at 172800 (2 days) with a delay DSN at 4 hours", () => {
    const r = run("exchange", ["p:refused"], ["0s"]);
    expect(r.messages.done[0]).toBe(172800);
    expect(warnings(r)).toHaveLength(1);
    expect(warnings(r)[0]).toBeGreaterThanOrEqual(14400);
    // The (unverified) flowchart: 4 retries 1 min apart, 6 retries 5 min apart, then every 10 min.
    expect(starts(r).slice(0, 13)).toEqual([0, 60, 120, 180, 240, 540, 840, 1140, 1440, 1740, 2040, 2640, 3240]);
  });
});

describe("failure modes across MTAs (docs/model.md#failure-modes)", () => {
  it.each(["qmail", "postfix", "exim", "sendmail", "opensmtpd", "exchange"])(
    "%s: RCPT 550 on the primary bounces without trying the secondary",
    (mta) => {
      const r = run(mta, ["p:reject-5xx", "s:up"], ["0s"]);
      expect(attempts(r)[0]!.conns).toEqual(["p reject-5xx"]);
      expect(r.messages.outcome[0]).toBe(BOUNCED);
      expect(reason(r)).toBe("unknown-user");
    },
  );

  it.each([
    ["qmail", ["p greeting-4xx"]],
    ["postfix", ["p greeting-4xx", "s accepted"]],
    ["exim", ["p greeting-4xx", "s accepted"]],
    ["sendmail", ["p greeting-4xx", "s accepted"]],
  ])("%s and a saturated primary (421): %j", (mta, conns) => {
    expect(attempts(run(mta, ["p:greeting-4xx", "s:up"], ["0s"]))[0]!.conns).toEqual(conns);
  });

  it("Q7: qmail with greylisting (RCPT 450) defers and does not try the secondary", () => {
    const r = run("qmail", ["p:rcpt-4xx", "s:up"], ["0s"]);
    expect(attempts(r)[0]).toMatchObject({ result: "deferred", conns: ["p rcpt-4xx"] });
  });

  it("blackholed hosts cost each MTA its own connect timeout (qmail 60 s, Postfix 30 s, Exim 5 min)", () => {
    for (const [mta, wait] of [["qmail", 60], ["postfix", 30], ["exim", 300]] as const) {
      expect(attempts(run(mta, ["p:timeout", "s:up"], ["0s"]))[0]!.end, mta).toBe(wait);
    }
  });
});

describe("OpenSMTPD failover (mta_session.c, mta.c)", () => {
  it("a 421 banner disables that route and the next MX is tried in the same run", () => {
    expect(attempts(run("opensmtpd", ["p:greeting-4xx", "s:up"], ["0s"]))[0]!.conns).toEqual(["p greeting-4xx", "s accepted"]);
  });
  it("a 4xx to RCPT (greylisting) temp-fails the envelope: no other MX in the same run", () => {
    const r = run("opensmtpd", ["p:rcpt-4xx", "s:up"], ["0s"]);
    expect(attempts(r)[0]).toMatchObject({ result: "deferred", conns: ["p rcpt-4xx"] });
  });
  it("a blackholed host costs 300 s (io_set_timeout in mta_connect)", () => {
    expect(attempts(run("opensmtpd", ["p:timeout", "s:up"], ["0s"]))[0]!.end).toBe(300);
  });
});

describe("failsOverOnConnectOnly: read from the failover tables, for explain's wording", () => {
  // qmail-remote moves on only when the TCP connection fails (docs/model.md#qmail); every other MTA also moves on after
  // some SMTP-level temporary error (a 421 greeting at least: the failover tables in docs/model.md).
  it.each(MTA_NAMES.map((n) => [n, n === "qmail"] as const))("%s: %s", (name, expected) => {
    expect(failsOverOnConnectOnly(PROFILE_DEFAULTS[name])).toBe(expected);
  });
});
