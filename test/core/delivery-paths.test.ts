/**
 * The less-travelled paths of one delivery attempt (src/core/delivery.ts):
 * attempts that contact no host, Exim's two cutoff bounces, Postfix's dead
 * destinations, the horizon cutting a timeout, load-balancer member choice,
 * greylisting triplets, unknown users at a relay, Exim without a queue runner,
 * and delay warnings at the end of the run. Every expected value is worked out
 * here from the rules cited (docs/model.md, the sources named in
 * src/core/profiles/*), never by asking the simulator.
 */
import { describe, expect, it } from "vitest";
import { BOUNCED, DELIVERED, QUEUED } from "../../src/core/message-table.js";
import { ATTEMPT_RESULTS, BOUNCE_REASONS, CONNECTION_RESULTS, NOTIFICATION_KINDS } from "../../src/core/outcomes.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { model } from "../helpers.js";

interface Row {
  message: number;
  by: string;
  start: number;
  end: number;
  result: string;
  /** The host recorded for the attempt ("-" for -1: no host answered). */
  host: string;
  next: number;
  conns: string[];
}

const nameOf = (r: RunResult, i: number) => (i === -1 ? "-" : (r.nodes[i]?.name ?? `#${i}`));

function rows(r: RunResult): Row[] {
  const a = r.attempts!;
  const out: Row[] = [];
  for (let i = 0; i < a.count; i++) {
    const conns: string[] = [];
    for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) conns.push(`${nameOf(r, a.connHost[k]!)} ${CONNECTION_RESULTS[a.connResult[k]!]}`);
    out.push({
      message: a.message[i]!,
      by: nameOf(r, a.node[i]!),
      start: a.start[i]!,
      end: a.end[i]!,
      result: ATTEMPT_RESULTS[a.result[i]!]!,
      host: nameOf(r, a.host[i]!),
      next: a.next[i]!,
      conns,
    });
  }
  return out;
}
const attemptsOf = (r: RunResult, m: number) => rows(r).filter((x) => x.message === m);
const firstOf = (r: RunResult, m: number) => attemptsOf(r, m)[0]!;
const reasonOf = (r: RunResult, m: number) => BOUNCE_REASONS[r.messages.reason[m]!];

interface Note {
  message: number;
  by: string;
  at: number;
  kind: string;
  reason: string | undefined;
}
function notes(r: RunResult): Note[] {
  const a = r.attempts!;
  const out: Note[] = [];
  for (let i = 0; i < a.noteCount; i++) {
    out.push({
      message: a.noteMessage[i]!,
      by: nameOf(r, a.noteNode[i]!),
      at: a.noteAt[i]!,
      kind: NOTIFICATION_KINDS[a.noteKind[i]!]!,
      reason: a.noteReason[i]! >= 0 ? BOUNCE_REASONS[a.noteReason[i]!] : undefined,
    });
  }
  return out;
}

/** Mailbox hosts h0…hn-1 as MX 10, 20, … of example.com, with the given outage lists (YAML), and the senders. */
function hosts(outages: string[], senders: string, duration = "3h"): RunResult {
  return simulate(
    model(`
name: t
duration: ${duration}
dns:
  example.com: { mx: [${outages.map((_, i) => `{ preference: ${10 * (i + 1)}, host: h${i}.example.com }`).join(", ")}] }
servers:
${outages.map((o, i) => `  h${i}.example.com: { role: mailbox, domains: [example.com], outages: ${o} }`).join("\n")}
senders:
${senders}
`),
  );
}
const ALWAYS = (mode: string) => `[{ start: 0s, duration: 30d, mode: ${mode} }]`;
const FROM = (start: string, mode = "refused") => `[{ start: ${start}, duration: 30d, mode: ${mode} }]`;

describe("attempts that contact no host record host -1 (attempt-log.ts: -1 if none answered)", () => {
  it("a null MX bounces at the first attempt with no host (RFC 7505, docs/model.md#the-walk-over-the-mx-hosts)", () => {
    const r = simulate(
      model(`
name: t
duration: 1d
dns:
  example.net: { mx: [{ preference: 0, host: "." }] }
servers:
  other.test: { role: mailbox, domains: [example.net] }
senders:
  a.test: { to: example.net, at: [50s], mta: postfix }
`),
    );
    expect(rows(r)).toEqual([{ message: 0, by: "a.test", start: 50, end: 50, result: "bounced", host: "-", next: NaN, conns: [] }]);
    expect(notes(r)).toEqual([{ message: 0, by: "a.test", at: 50, kind: "failed", reason: "null-mx" }]);
  });

  it("a relay that is the best MX itself and has no route bounces with no host (perm_ambigmx, RFC 5321 §5.1)", () => {
    const r = simulate(
      model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com] }
  s.example.com: { role: relay, relay_domains: [example.com] }
senders:
  a.test: { to: example.com, at: [10s], mta: qmail }
`),
    );
    expect(rows(r)).toEqual([
      { message: 0, by: "a.test", start: 10, end: 10, result: "relayed", host: "s.example.com", next: NaN, conns: ["s.example.com accepted"] },
      { message: 0, by: "s.example.com", start: 10, end: 10, result: "bounced", host: "-", next: NaN, conns: [] },
    ]);
    expect(reasonOf(r, 0)).toBe("no-relay-host");
  });

  it("Postfix: a message to a dead destination is deferred without a connection, host -1, next at the scan after the minimal backoff (docs/model.md#postfix)", () => {
    // With initial_destination_concurrency 1 one site failure is a whole cohort (1/1): dead at once (qmgr_queue_throttle).
    const r = hosts([ALWAYS("refused")], "  a.test: { to: example.com, at: [0s, 100s], mta: { name: postfix, initial_destination_concurrency: 1 } }", "1h");
    // Message 0 fails at 0 s: the destination is dead until 0 + 300 s. Message 1 (born 100 s) finds it dead:
    // age 0 → backoff clamp(0, 300, 4000) = 300 → eligible at 400 → picked up by the first 300 s scan at or after 399: 600.
    expect(firstOf(r, 1)).toEqual({ message: 1, by: "a.test", start: 100, end: 100, result: "deferred", host: "-", next: 600, conns: [] });
  });

  it("Postfix: a dead destination past maximal_queue_lifetime bounces without a connection, host -1 (docs/model.md#postfix)", () => {
    const mta = "{ name: postfix, minimal_backoff_time: 1000s, maximal_backoff_time: 4000s, maximal_queue_lifetime: 1000s, initial_destination_concurrency: 1 }";
    const r = hosts([ALWAYS("refused")], `  a.test: { to: example.com, at: [0s, 1100s], mta: ${mta} }`);
    // Message 0 fails at 0: eligible at 0 + 1000, first scan at or after 999 on the 300 s grid: 1200.
    expect(firstOf(r, 0)).toMatchObject({ result: "deferred", host: "h0.example.com", next: 1200 });
    // Message 1 fails at 1100 (the dead mark of message 0 ended at 1000) and marks it dead until 2100.
    expect(firstOf(r, 1)).toMatchObject({ start: 1100, result: "deferred", conns: ["h0.example.com refused"] });
    // At 1200 message 0 meets the dead destination; 1200 ≥ birth 0 + 1000: returned to the sender, no host contacted.
    expect(attemptsOf(r, 0)[1]).toEqual({ message: 0, by: "a.test", start: 1200, end: 1200, result: "bounced", host: "-", next: NaN, conns: [] });
    expect(r.messages.outcome[0]).toBe(BOUNCED);
    expect(r.messages.done[0]).toBe(1200);
    expect(notes(r).filter((n) => n.message === 0)).toEqual([{ message: 0, by: "a.test", at: 1200, kind: "failed", reason: "lifetime" }]);
  });

  it("spam software (retries: false) drops a message to a dead destination silently, host -1 (README 'retries: false')", () => {
    const r = hosts(
      [ALWAYS("refused")],
      "  spam.test: { to: example.com, at: [0s, 100s], mta: { name: postfix, initial_destination_concurrency: 1 }, retries: false }",
      "1h",
    );
    // The first message tries h0 and is dropped; its site failure kills the destination (window 1), so the second never connects.
    expect(rows(r)).toEqual([
      { message: 0, by: "spam.test", start: 0, end: 0, result: "bounced", host: "h0.example.com", next: NaN, conns: ["h0.example.com refused"] },
      { message: 1, by: "spam.test", start: 100, end: 100, result: "bounced", host: "-", next: NaN, conns: [] },
    ]);
    expect(reasonOf(r, 0)).toBe("abandoned");
    expect(reasonOf(r, 1)).toBe("abandoned");
    expect(r.messages.outcome[1]).toBe(BOUNCED);
    // Nobody is told.
    expect(notes(r)).toEqual([]);
    expect(r.notices.failed).toBe(0);
  });

  it("an attempt still waiting for a timeout at the end of the run is unfinished, host -1, no outcome (simulate.ts 'the horizon is a wall')", () => {
    // qmail waits 60 s (control/timeoutconnect, docs/model.md#qmail); sent 30 s before the end, the timeout would end after it.
    const r = hosts([ALWAYS("timeout"), "[]"], "  a.test: { to: example.com, at: [3570s], mta: qmail }", "1h");
    expect(rows(r)).toEqual([{ message: 0, by: "a.test", start: 3570, end: NaN, result: "unfinished", host: "-", next: NaN, conns: [] }]);
    expect(r.messages.outcome[0]).toBe(QUEUED);
  });

  it("a timeout that would end exactly at the horizon is cut too: unfinished, its connection not recorded", () => {
    // Sent 60 s before the end: the 60 s timeout would expire at the horizon itself, where nothing happens.
    const r = hosts([ALWAYS("timeout")], "  a.test: { to: example.com, at: [3540s], mta: qmail }", "1h");
    expect(rows(r)).toEqual([{ message: 0, by: "a.test", start: 3540, end: NaN, result: "unfinished", host: "-", next: NaN, conns: [] }]);
    expect(r.attempts!.connCount).toBe(0);
    // One second earlier the timeout ends before the horizon: a deferral at 3599 s.
    const r2 = hosts([ALWAYS("timeout")], "  a.test: { to: example.com, at: [3539s], mta: qmail }", "1h");
    expect(firstOf(r2, 0)).toMatchObject({ start: 3539, end: 3599, result: "deferred", host: "h0.example.com", conns: ["h0.example.com timeout"] });
  });

  it("a timeout on the first MX that would end at the horizon stops the attempt before the next MX", () => {
    const r = hosts([ALWAYS("timeout"), "[]"], "  a.test: { to: example.com, at: [3540s], mta: qmail }", "1h");
    expect(rows(r)).toEqual([{ message: 0, by: "a.test", start: 3540, end: NaN, result: "unfinished", host: "-", next: NaN, conns: [] }]);
  });
});

describe("Exim's cutoff bounces (retry.c; docs/model.md#exim)", () => {
  // Retry rule F,1h,15m: a host that fails is retried 900 s on; once it has failed for more than 1 h it is past the
  // cutoff ("expired") and, with the last rule, retried 900 s after that try. The queue runner (1d) never runs within 3h,
  // so each message below makes exactly one attempt, when it is sent.
  const exim = (extra = "") => `{ name: exim, retry: "F,1h,15m", queue_run_interval: 1d${extra} }`;

  it("one host past its cutoff: the try times out the address ('retry timeout exceeded'); a later message that must skip it fails at once ('failing for too long')", () => {
    const r = hosts([ALWAYS("refused")], `  a.test: { to: example.com, at: [0s, 100s, 4000s, 4100s], mta: ${exim()} }`);
    // 0 s: first failure, next try 900. The queue runner grid of 1d: next run at 86400 (reported as the next attempt).
    expect(firstOf(r, 0)).toMatchObject({ result: "deferred", host: "h0.example.com", next: 86400 });
    // 100 s: h0 waits for 900 s and is not past its cutoff: deferred without contacting any host.
    expect(firstOf(r, 1)).toEqual({ message: 1, by: "a.test", start: 100, end: 100, result: "deferred", host: "-", next: 86400, conns: ["h0.example.com skipped"] });
    // 4000 s: failing for 4000 s > 1 h: every host tried is past its cutoff and none was skipped.
    expect(firstOf(r, 2)).toMatchObject({ start: 4000, end: 4000, result: "bounced", host: "h0.example.com", conns: ["h0.example.com refused"] });
    expect(reasonOf(r, 2)).toBe("retry-timeout");
    // 4100 s: h0 is past its cutoff and waits until 4900: with delay_after_cutoff, bounced at once, no host contacted.
    expect(firstOf(r, 3)).toEqual({ message: 3, by: "a.test", start: 4100, end: 4100, result: "bounced", host: "-", next: NaN, conns: ["h0.example.com skipped"] });
    expect(reasonOf(r, 3)).toBe("failing-too-long");
    expect(notes(r).filter((n) => n.kind === "failed").map((n) => [n.message, n.at, n.reason])).toEqual([
      [2, 4000, "retry-timeout"],
      [3, 4100, "failing-too-long"],
    ]);
  });

  it("delay_after_cutoff false: an expired host last tried before the message arrived gets one more try, then the bounce (smtp.c second pass)", () => {
    const r = hosts([ALWAYS("refused")], `  a.test: { to: example.com, at: [0s, 4000s, 4100s], mta: ${exim(", delay_after_cutoff: false")} }`);
    expect(reasonOf(r, 1)).toBe("retry-timeout");
    // 4100 s: h0 is expired and waits until 4900, so the first pass skips it; it was last tried at 4000 ≤ 4100, so the
    // second pass tries it; the failure times the item out: "retry timeout exceeded".
    expect(firstOf(r, 2)).toMatchObject({ start: 4100, end: 4100, result: "bounced", host: "h0.example.com", conns: ["h0.example.com skipped", "h0.example.com refused"] });
    expect(reasonOf(r, 2)).toBe("retry-timeout");
  });

  it("'failing for too long' needs every host skipped: an expired host skipped while another is tried defers", () => {
    // h0 always refuses; h1 accepts until 4050 s.
    const r = hosts([ALWAYS("refused"), FROM("4050s")], `  a.test: { to: example.com, at: [0s, 4000s, 4100s], mta: ${exim()} }`);
    expect(firstOf(r, 0)).toMatchObject({ result: "delivered", conns: ["h0.example.com refused", "h1.example.com accepted"] });
    // 4000 s: h0 is tried past its cutoff (retry at 4900), h1 takes the message.
    expect(firstOf(r, 1)).toMatchObject({ result: "delivered", conns: ["h0.example.com refused", "h1.example.com accepted"] });
    // 4100 s: h0 skipped (past its cutoff), h1 tried and refusing for the first time: a plain deferral.
    expect(firstOf(r, 2)).toMatchObject({ result: "deferred", host: "h1.example.com", conns: ["h0.example.com skipped", "h1.example.com refused"] });
    expect(r.messages.outcome[2]).toBe(QUEUED);
  });

  it("'retry timeout' needs none skipped: a host tried past its cutoff while another waits for its retry time defers", () => {
    // h0 always refuses; h1 accepts until 3400 s.
    const r = hosts([ALWAYS("refused"), FROM("3400s")], `  a.test: { to: example.com, at: [0s, 3000s, 3500s, 4000s], mta: ${exim()} }`);
    // 0: h0 fails (first failure 0, retry 900). 3000: h0 tried (failing 3000 s ≤ 1 h, retry 3900), h1 delivers.
    expect(firstOf(r, 1)).toMatchObject({ result: "delivered", conns: ["h0.example.com refused", "h1.example.com accepted"] });
    // 3500: h0 waits (3500 < 3900); h1 fails for the first time (retry 4400).
    expect(firstOf(r, 2)).toMatchObject({ result: "deferred", host: "h1.example.com", conns: ["h0.example.com skipped", "h1.example.com refused"] });
    // 4000: h0 tried, failing 4000 s > 1 h: past its cutoff; h1 waits (4000 < 4400) and is not: deferred, not bounced.
    expect(firstOf(r, 3)).toMatchObject({ result: "deferred", host: "h0.example.com", conns: ["h0.example.com refused", "h1.example.com skipped"] });
    expect(r.messages.outcome[3]).toBe(QUEUED);
    expect(notes(r).filter((n) => n.kind === "failed")).toEqual([]);
  });
});

describe("Exim without a queue runner: a delivery at the earliest future host hint (profiles/exim.ts; docs/model.md#exim)", () => {
  it("the hint of the last host counts: the retry comes at the earliest of all the hosts' retry times", () => {
    // h0 refuses (retry at 0 + 900), h1 times out after 300 s (retry at 300 + 900 = 1200).
    const r = hosts([ALWAYS("refused"), ALWAYS("timeout")], "  a.test: { to: example.com, at: [0s], mta: { name: exim, queue_run_interval: 0s } }");
    const [a0, a1] = attemptsOf(r, 0);
    expect(a0).toMatchObject({ start: 0, end: 300, result: "deferred", host: "h1.example.com", next: 900 });
    // At 900 h0 is tried again (retry at 1800); h1 still waits for 1200, the earliest: the next delivery is at 1200.
    expect(a1).toEqual({ message: 0, by: "a.test", start: 900, end: 900, result: "deferred", host: "h0.example.com", next: 1200, conns: ["h0.example.com refused", "h1.example.com skipped"] });
    expect(attemptsOf(r, 0)[2]!.start).toBe(1200);
  });

  it("only future hints count: a host whose retry time has come by the end of the attempt is not waited for", () => {
    // Rule F,1h,5m: h0 refuses at 0 (retry at 300); h1 times out, the attempt ends at 300 (h1's retry at 600).
    // h0's retry time is not after the end of the attempt, so the delivery is at h1's: 600.
    const r = hosts([ALWAYS("refused"), ALWAYS("timeout")], '  a.test: { to: example.com, at: [0s], mta: { name: exim, retry: "F,1h,5m", queue_run_interval: 0s } }');
    expect(firstOf(r, 0)).toMatchObject({ start: 0, end: 300, result: "deferred", next: 600 });
    expect(attemptsOf(r, 0)[1]!.start).toBe(600);
  });

  it("with no host hint (a 450 to RCPT is not a host error, docs/model.md#exim) the next delivery is one first-rule interval later", () => {
    const r = hosts([ALWAYS("rcpt-4xx")], "  a.test: { to: example.com, at: [100s], mta: { name: exim, queue_run_interval: 0s } }", "1h");
    // F,2h,15m: 100 + 900 = 1000, then 1900, 2800.
    expect(attemptsOf(r, 0).map((x) => [x.start, x.next])).toEqual([
      [100, 1000],
      [1000, 1900],
      [1900, 2800],
      [2800, 3700],
    ]);
  });

  it("a relay's hints for another domain's hosts do not pull a retry earlier: only this message's hosts count", () => {
    // r is the backup MX of d1 (behind h0 and h1) and the only MX of d2, which it routes to h2.
    const r = simulate(
      model(`
name: t
duration: 1h
dns:
  d1.example: { mx: [{ preference: 10, host: h0.example }, { preference: 20, host: h1.example }, { preference: 30, host: r.example }] }
  d2.example: { mx: [{ preference: 10, host: r.example }] }
servers:
  h0.example: { role: mailbox, domains: [d1.example], outages: [{ start: 0s, duration: 1d }] }
  h1.example: { role: mailbox, domains: [d1.example], outages: [{ start: 0s, duration: 1d }] }
  h2.example: { role: mailbox, domains: [d2.example], outages: [{ start: 0s, duration: 1d }] }
  r.example:
    role: relay
    relay_domains: [d1.example, d2.example]
    routes: { d2.example: h2.example }
    mta: { name: exim, queue_run_interval: 0s }
senders:
  s1.test: { to: d1.example, at: [0s] }
  s2.test: { to: d2.example, at: [100s] }
`),
    );
    const atRelay = rows(r).filter((x) => x.by === "r.example");
    // d1's message at 0: h0 and h1 refuse, both retry at 900.
    expect(atRelay[0]).toMatchObject({ message: 0, start: 0, result: "deferred", next: 900 });
    // d2's message at 100: h2 refuses (retry at 1000); h0/h1's earlier hints are not its hosts.
    expect(atRelay[1]).toEqual({ message: 1, by: "r.example", start: 100, end: 100, result: "deferred", host: "h2.example", next: 1000, conns: ["h2.example refused"] });
  });
});

describe("a load balancer's member choice (docs/model.md#load-balancers)", () => {
  /** Servers in this order: node1 (index 0), node2 (index 1), mx (the balancer, index 2). */
  const cluster = (node1: string, node2: string, senders: string, duration = "1d") =>
    simulate(
      model(`
name: lvs
duration: ${duration}
dns:
  blyx.com: { mx: [{ preference: 10, host: mx.blyx.com }] }
servers:
  node1.blyx.com: { role: mailbox, domains: [blyx.com], outages: ${node1} }
  node2.blyx.com: { role: mailbox, domains: [blyx.com], outages: ${node2} }
  mx.blyx.com: { role: balancer, members: [node1.blyx.com, node2.blyx.com] }
senders:
${senders}
`),
    );

  it("no member passes the health check: the balancer resets the connection, recorded as refused at the balancer", () => {
    const r = cluster(ALWAYS("refused"), ALWAYS("timeout"), "  a.test: { to: blyx.com, at: [0s], mta: qmail }");
    expect(firstOf(r, 0)).toEqual({ message: 0, by: "a.test", start: 0, end: 0, result: "deferred", host: "mx.blyx.com", next: 400, conns: ["mx.blyx.com refused"] });
  });

  it("the only healthy member gets every connection, even the first server of the scenario", () => {
    const r = cluster("[]", ALWAYS("refused"), "  a.test: { to: blyx.com, at: [0s, 60s, 120s, 180s], mta: qmail }");
    for (let m = 0; m < 4; m++) {
      expect(firstOf(r, m)).toMatchObject({ result: "delivered", host: "node1.blyx.com", conns: ["node1.blyx.com accepted"] });
    }
  });

  it("a member that times out fails the TCP check: no connection is handed to it", () => {
    const r = cluster(ALWAYS("timeout"), "[]", "  a.test: { to: blyx.com, rate: 30/h }");
    expect(r.messages.count).toBeGreaterThan(500);
    for (const x of rows(r)) expect(x).toMatchObject({ result: "delivered", host: "node2.blyx.com", conns: ["node2.blyx.com accepted"] });
  });

  it("a member answering 421 accepts TCP, so it passes the check and gets the connections", () => {
    const r = cluster(ALWAYS("greeting-4xx"), ALWAYS("refused"), "  a.test: { to: blyx.com, at: [0s], mta: qmail }", "1h");
    // qmail defers on a 421 greeting (docs/model.md#qmail); the retries at 400, 1600 s meet the same member.
    expect(attemptsOf(r, 0).map((x) => x.conns)).toEqual([["node1.blyx.com greeting-4xx"], ["node1.blyx.com greeting-4xx"], ["node1.blyx.com greeting-4xx"]]);
  });

  it("a silent member accepts TCP, so it passes the check: qmail then waits its timeoutremote on it and defers", () => {
    const r = cluster(ALWAYS("silent"), ALWAYS("refused"), "  a.test: { to: blyx.com, at: [0s], mta: qmail }", "1h");
    // control/timeoutremote 1200 s (qmail-remote.c line 108): connected at 0, given up at 1200. The next retry,
    // computed when the attempt started (0 + 20² = 400 s), is past, so it runs at once (1200 → 2400); the one after
    // is at 0 + (floor(sqrt(1200)) + 20)² = 2916 s and would end at 4116, past the 1 h horizon: unfinished.
    expect(attemptsOf(r, 0).map((x) => [x.start, x.conns, x.result, x.end])).toEqual([
      [0, ["node1.blyx.com silent"], "deferred", 1200],
      [1200, ["node1.blyx.com silent"], "deferred", 2400],
      [2916, [], "unfinished", NaN],
    ]);
  });

  it("with two healthy members each gets a share of the connections, and every one is delivered at once", () => {
    const r = cluster("[]", "[]", "  a.test: { to: blyx.com, at: [" + Array.from({ length: 60 }, (_, i) => `${i * 10}s`).join(", ") + "] }");
    const byHost = { "node1.blyx.com": 0, "node2.blyx.com": 0 } as Record<string, number>;
    for (const x of rows(r)) {
      expect(x.result).toBe("delivered");
      byHost[x.host]!++;
    }
    expect(r.attempts!.count).toBe(60);
    expect(byHost["node1.blyx.com"]).toBeGreaterThan(10);
    expect(byHost["node2.blyx.com"]).toBeGreaterThan(10);
  });

  it("a connection reset for lack of a healthy member draws no member: later choices are as if it never happened", () => {
    const later = Array.from({ length: 30 }, (_, i) => `${2000 + i * 10}s`).join(", ");
    const down = "[{ start: 0s, end: 1000s }]";
    const members = (spam: boolean) => {
      const r = cluster(
        down,
        down,
        `  a.test: { to: blyx.com, at: [${later}] }` + (spam ? "\n  spam.test: { to: blyx.com, at: [500s], retries: false }" : ""),
        "1h",
      );
      return rows(r).filter((x) => x.by === "a.test").map((x) => x.host);
    };
    const withReset = members(true);
    expect(withReset).toHaveLength(30);
    expect(new Set(withReset)).toEqual(new Set(["node1.blyx.com", "node2.blyx.com"]));
    expect(withReset).toEqual(members(false));
  });
});

describe("greylisting is keyed by (server, client) (docs/model.md#greylisting; delivery.ts greylisted())", () => {
  const single = (delay: string) =>
    simulate(
      model(`
name: grey
duration: 2h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], greylisting: ${delay} }
senders:
  a.test: { to: example.com, at: [1000s], mta: qmail }
`),
    );

  it("a retry exactly the delay after the first attempt is accepted; one second short it is greylisted again", () => {
    // qmail retries at birth + 400 and birth + 1600 (docs/model.md#qmail). The first attempt at 1000 s is answered 450.
    const atDelay = single("400s");
    expect(attemptsOf(atDelay, 0).map((x) => [x.start, x.result, x.conns[0]])).toEqual([
      [1000, "deferred", "p.example.com rcpt-4xx"],
      [1400, "delivered", "p.example.com accepted"],
    ]);
    const short = single("401s");
    expect(attemptsOf(short, 0).map((x) => [x.start, x.result])).toEqual([
      [1000, "deferred"],
      [1400, "deferred"],
      [2600, "delivered"],
    ]);
    expect(short.messages.done[0]).toBe(2600);
  });

  it("the same client at another server is a new triplet: greylisted there from its own first attempt", () => {
    // p1 greylists the attempt at 0, then refuses from 100 s; at 400 s the sender reaches p2 for the first time (450),
    // and p2 accepts the retry at 1600 s (1200 s ≥ 5 min after 400 s).
    const r = simulate(
      model(`
name: grey
duration: 1h
dns:
  example.com: { mx: [{ preference: 10, host: p1.example.com }, { preference: 20, host: p2.example.com }] }
servers:
  p1.example.com: { role: mailbox, domains: [example.com], greylisting: 5m, outages: [{ start: 100s, duration: 1d }] }
  p2.example.com: { role: mailbox, domains: [example.com], greylisting: 5m }
senders:
  a.test: { to: example.com, at: [0s], mta: qmail }
`),
    );
    expect(attemptsOf(r, 0).map((x) => [x.start, x.result, x.conns])).toEqual([
      [0, "deferred", ["p1.example.com rcpt-4xx"]],
      [400, "deferred", ["p1.example.com refused", "p2.example.com rcpt-4xx"]],
      [1600, "delivered", ["p1.example.com refused", "p2.example.com accepted"]],
    ]);
  });

  it("another client (a backup MX relaying the message) at the same server is a new triplet", () => {
    // The sender is greylisted by p at 0; p refuses in [100 s, 2000 s), so at 400 s the backup s takes the message.
    // s (qmail, birth 400) retries at 800, 2000, 4000; at 2000 s p sees s for the first time (450), at 4000 s accepts.
    const r = simulate(
      model(`
name: grey
duration: 2h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], greylisting: 5m, outages: [{ start: 100s, end: 2000s }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com } }
senders:
  a.test: { to: example.com, at: [0s], mta: qmail }
`),
    );
    expect(attemptsOf(r, 0).map((x) => [x.by, x.start, x.result, x.conns.at(-1)])).toEqual([
      ["a.test", 0, "deferred", "p.example.com rcpt-4xx"],
      ["a.test", 400, "relayed", "s.example.com accepted"],
      ["s.example.com", 400, "deferred", "p.example.com refused"],
      ["s.example.com", 800, "deferred", "p.example.com refused"],
      ["s.example.com", 2000, "deferred", "p.example.com rcpt-4xx"],
      ["s.example.com", 4000, "delivered", "p.example.com accepted"],
    ]);
    expect(r.messages.done[0]).toBe(4000);
  });
});

describe("unknown users (docs/model.md#relays; README recipient_validation)", () => {
  const scenario = (validation: boolean) =>
    simulate(
      model(`
name: t
duration: 1h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 1000s, duration: 1d }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com }, recipient_validation: ${validation} }
senders:
  a.test: { to: example.com, at: [0s, 2000s], mta: qmail, invalid_recipients: 1 }
`),
    );

  it("the mailbox server rejects an unknown user at RCPT (550): a bounce at the first attempt, host the mailbox", () => {
    const r = scenario(false);
    expect(firstOf(r, 0)).toEqual({ message: 0, by: "a.test", start: 0, end: 0, result: "bounced", host: "p.example.com", next: NaN, conns: ["p.example.com unknown-user"] });
    expect(reasonOf(r, 0)).toBe("unknown-user");
  });

  it("a backup without recipient validation accepts the unknown user (and queues it)", () => {
    const r = scenario(false);
    expect(firstOf(r, 1)).toMatchObject({ start: 2000, result: "relayed", host: "s.example.com", conns: ["p.example.com refused", "s.example.com accepted"] });
  });

  it("a backup with recipient validation rejects it at RCPT: the bounce stays with the sender", () => {
    const r = scenario(true);
    expect(firstOf(r, 1)).toEqual({
      message: 1,
      by: "a.test",
      start: 2000,
      end: 2000,
      result: "bounced",
      host: "s.example.com",
      next: NaN,
      conns: ["p.example.com refused", "s.example.com unknown-user"],
    });
    expect(notes(r).filter((n) => n.message === 1)).toEqual([{ message: 1, by: "a.test", at: 2000, kind: "failed", reason: "unknown-user" }]);
  });
});

describe("delay warnings within the run (OpenSMTPD scheduler.c 206–214: stamped at birth + bounce_warn_interval, docs/model.md#opensmtpd)", () => {
  // OpenSMTPD retries at 400·n²: 0, 400, 1600, 3600, 6400, 10000, 14400 s. The deferral at 10000 s has its next try at
  // 14400 ≥ birth + 4 h, so its warning is stamped 14400 s.
  const run = (duration: string) => hosts([ALWAYS("refused")], "  a.test: { to: example.com, at: [0s], mta: opensmtpd }", duration);

  it("a warning stamped at the end of the run is not sent", () => {
    const r = run("14400s");
    expect(attemptsOf(r, 0).map((x) => x.start)).toEqual([0, 400, 1600, 3600, 6400, 10000]);
    expect(notes(r)).toEqual([]);
    expect(r.notices.delayed).toBe(0);
  });

  it("a warning stamped after the end of the run is not sent either", () => {
    const r = hosts([ALWAYS("refused")], "  a.test: { to: example.com, at: [100s], mta: opensmtpd }", "14400s");
    expect(notes(r)).toEqual([]);
    expect(r.notices.delayed).toBe(0);
  });

  it("one second longer and it is sent, counted once in notices.delayed", () => {
    const r = run("14401s");
    expect(notes(r)).toEqual([{ message: 0, by: "a.test", at: 14400, kind: "delayed", reason: undefined }]);
    expect(r.notices).toEqual({ delayed: 1, failed: 0, backscatter: 0 });
  });
});

describe("qmail's tcpto is qmail's own (tcpto.c, docs/model.md#qmail)", () => {
  it("a Postfix sender keeps waiting on a host that timed out twice", () => {
    const r = hosts([ALWAYS("timeout"), "[]"], "  a.test: { to: example.com, at: [0s, 200s, 400s], mta: postfix }", "1h");
    for (let m = 0; m < 3; m++) expect(firstOf(r, m).conns).toEqual(["h0.example.com timeout", "h1.example.com accepted"]);
    expect(r.messages.outcome.subarray(0, 3).every((o) => o === DELIVERED)).toBe(true);
  });
});
