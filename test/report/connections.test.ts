/**
 * Connections in the reports: each connection's number in the records and
 * `explain` (a reused one says so), and the per-server counts of the summary,
 * checked against the counts recomputed from a full attempt log of the same
 * run. No MTA reuses a connection yet, so reuse is tested on attempt logs
 * made by hand from a real run, with a number repeated.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AttemptLog } from "../../src/core/attempt-log.js";
import { CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { attemptsOf } from "../../src/core/records.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { explain } from "../../src/report/explain.js";
import { reportHtml } from "../../src/report/html.js";
import { METRICS } from "../../src/report/metrics.js";
import { summarize } from "../../src/report/summary.js";
import { model, twoMx } from "../helpers.js";

/** Three messages delivered directly, at 0 s, 60 s and 120 s: connections #0, #1, #2. */
const direct = simulate(twoMx({ senders: "  a.test: { to: example.com, at: [0s, 60s, 120s], mta: qmail }", duration: "1h" }));

/**
 * The run's attempt log copied into `log`, each connection renumbered by `renumber(message,
 * number)`: a log where a connection is reused, as it will be once an MTA reuses connections.
 */
function relog(r: RunResult, log: AttemptLog, renumber: (message: number, conn: number) => number): RunResult {
  const a = r.attempts!;
  for (let i = 0; i < a.count; i++) {
    for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) {
      log.connection(a.connHost[k]!, a.connAt[k]!, a.connResult[k]!, renumber(a.message[i]!, a.connId[k]!));
    }
    log.attempt({ message: a.message[i]!, node: a.node[i]!, start: a.start[i]!, end: a.end[i]!, result: a.result[i]!, host: a.host[i]!, next: a.next[i]! });
  }
  return { ...r, attempts: log };
}

describe("connection numbers in the records and in explain", () => {
  it("every connection of a run has its number, in order of opening; none is reused today", () => {
    const numbers = [0, 1, 2].flatMap((m) => attemptsOf(direct, m).flatMap((x) => x.connections.map((c) => [c.conn, c.reusedFrom])));
    expect(numbers).toEqual([[0, null], [1, null], [2, null]]);
    expect(explain(direct, 1).join("\n")).not.toMatch(/connection #|reused/);
  });

  it("a number that appeared in an earlier attempt is a reused connection: explain says when it was opened and for which message", () => {
    // Message 1 goes over message 0's connection; message 2 opens the next one, #1.
    const reused = relog(direct, new AttemptLog(), (m) => (m === 2 ? 1 : 0));
    const first = attemptsOf(reused, 0)[0]!.connections[0]!;
    const [c] = attemptsOf(reused, 1)[0]!.connections;
    expect(c).toMatchObject({ host: "p.example.com", result: "accepted", conn: 0, reusedFrom: { at: first.at, message: 0 } });
    expect(explain(reused, 1).join("\n")).toContain(
      "  - p.example.com (MX 10) over connection #0, reused (opened at 2024-01-01 00:00:00 (T+00:00:00) for message 0): accepted the message.",
    );
    expect(attemptsOf(reused, 2)[0]!.connections[0]).toMatchObject({ conn: 1, reusedFrom: null });
    expect(explain(reused, 2).join("\n")).not.toMatch(/reused/);
  });

  it("a reused connection whose first use the log did not keep is still known by its number", () => {
    // The log keeps messages 1 and 2 only: #0 was opened for message 0, and message 2 reuses it.
    const partial = relog(direct, new AttemptLog((m) => m > 0), (m) => (m === 1 ? 1 : 0));
    expect(attemptsOf(partial, 1)[0]!.connections[0]).toMatchObject({ conn: 1, reusedFrom: null });
    expect(attemptsOf(partial, 2)[0]!.connections[0]).toMatchObject({ conn: 0, reusedFrom: { at: null, message: null } });
    expect(explain(partial, 2).join("\n")).toContain("over connection #0, reused (opened earlier, by an attempt whose record was not kept)");
  });

  it("a connection reused by a later attempt of the same message says so", () => {
    const r = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 1h, mode: greeting-4xx }]", secondary: false, senders: "  a.test: { to: example.com, at: [0s], mta: qmail }", duration: "1d" }));
    expect(attemptsOf(r, 0).length).toBeGreaterThan(1);
    const again = relog(r, new AttemptLog(), () => 0);
    const [, second] = attemptsOf(again, 0);
    expect(second!.connections[0]!.reusedFrom).toEqual({ at: 0, message: 0 });
    expect(explain(again, 0).join("\n")).toContain("over connection #0, reused (opened at 2024-01-01 00:00:00 (T+00:00:00) by an earlier attempt of this message)");
  });
});

/** Servers failing in every failure mode one after the other, and senders of several MTAs (qmail skips hosts it remembers). */
const everyMode = model(`
name: modes
seed: 5
duration: 2d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com:
    role: mailbox
    domains: [example.com]
    outages:
      - { start: 1h, duration: 3h, mode: refused }
      - { start: 5h, duration: 3h, mode: timeout }
      - { start: 9h, duration: 3h, mode: silent }
      - { start: 13h, duration: 2h, mode: greeting-4xx }
      - { start: 16h, duration: 2h, mode: greeting-5xx }
      - { start: 19h, duration: 2h, mode: rcpt-4xx }
  s.example.com:
    role: relay
    relay_domains: [example.com]
    routes: { example.com: p.example.com }
    mta: postfix
    outages: [{ start: 6h, duration: 1h, mode: timeout }]
senders:
  q.test: { to: example.com, rate: 20/h, mta: qmail }
  p.test: { to: example.com, rate: 20/h, mta: postfix }
  x.test: { to: example.com, rate: 10/h, mta: exim, invalid_recipients: 0.1 }
`);

/**
 * Per server, recomputed from a full attempt log: `attempted`, the distinct connection numbers to
 * it (a skipped host has none; a reused connection counts once); `opened`, those whose TCP
 * connection did not fail (refused or timeout).
 */
function countsFromLog(r: RunResult): Record<string, { attempted: number; opened: number }> {
  const a = r.attempts!;
  const seen = new Set<number>();
  const out = Object.fromEntries(r.model.servers.map((s) => [s.name, { attempted: 0, opened: 0 }]));
  for (let k = 0; k < a.connCount; k++) {
    const conn = a.connId[k]!;
    if (conn < 0 || seen.has(conn)) continue;
    seen.add(conn);
    const c = out[r.nodes[a.connHost[k]!]!.name]!;
    c.attempted++;
    if (!["refused", "timeout"].includes(CONNECTION_RESULTS[a.connResult[k]!]!)) c.opened++;
  }
  return out;
}

const counts = (s: ReturnType<typeof summarize>) => Object.fromEntries(Object.entries(s.connections).map(([n, c]) => [n, { attempted: c.attempted, opened: c.opened }]));

describe("the summary's connections per server", () => {
  it("equal the counts recomputed from the full attempt log: every failure mode, skipped hosts, a balancer", () => {
    const r = simulate(everyMode);
    const results = new Set(Array.from(r.attempts!.connResult.subarray(0, r.attempts!.connCount), (x) => CONNECTION_RESULTS[x]));
    for (const mode of ["refused", "timeout", "silent", "greeting-4xx", "greeting-5xx", "rcpt-4xx", "unknown-user", "skipped", "accepted"]) expect(results, mode).toContain(mode);
    const s = summarize(r);
    expect(counts(s)).toEqual(countsFromLog(r));
    const p = s.connections["p.example.com"]!;
    expect(p.role).toBe("mailbox");
    expect(p.opened).toBeGreaterThan(0);
    expect(p.attempted).toBeGreaterThan(p.opened);
    expect(s.connections["s.example.com"]!.role).toBe("relay");
    for (const file of ["scenarios/06-cluster.yaml", "scenarios/03-saturated-primary.yaml", "scenarios/08-flapping-primary.yaml"]) {
      const shipped = simulate(model(readFileSync(file, "utf8")));
      const sum = summarize(shipped);
      expect(counts(sum), file).toEqual(countsFromLog(shipped));
      expect(Object.keys(sum.connections), file).toEqual(shipped.model.servers.map((x) => x.name));
    }
  }, 60_000);

  it("a reused connection counts once: the counts the core keeps agree with a log in which numbers repeat", () => {
    const reused = relog(direct, new AttemptLog(), () => 0);
    expect(countsFromLog(reused)["p.example.com"]).toEqual({ attempted: 1, opened: 1 });
    expect(countsFromLog(direct)["p.example.com"]).toEqual({ attempted: 3, opened: 3 });
    expect(counts(summarize(direct))["p.example.com"]).toEqual({ attempted: 3, opened: 3 });
  });

  it("compare's metrics add up the mailbox servers, not the backups", () => {
    const s = summarize(simulate(everyMode));
    const value = (label: string) => METRICS.find((m) => m.label === label)!.value(s);
    expect(value("connection attempts to the mailbox servers")).toBe(s.connections["p.example.com"]!.attempted);
    expect(value("sessions at the mailbox servers")).toBe(s.connections["p.example.com"]!.opened);
    expect(s.connections["s.example.com"]!.attempted).toBeGreaterThan(0);
  });

  it("report.html has a row per server that got a connection", () => {
    const r = simulate(everyMode);
    const s = summarize(r);
    const html = reportHtml({ model: r.model, summary: s, seed: 5, version: "0", charts: [], story: { message: 0, steps: [] } });
    const p = s.connections["p.example.com"]!;
    expect(html).toContain("<th>Connections to</th><th>connection attempts</th><th>sessions</th>");
    expect(html).toContain(`<tr><td>p.example.com</td><td class="n">${p.attempted}</td><td class="n">${p.opened}</td></tr>`);
    const idle = simulate(twoMx({ senders: "  a.test: { to: example.com, at: [0s], mta: qmail }", duration: "1h" }));
    const idleHtml = reportHtml({ model: idle.model, summary: summarize(idle), seed: 1, version: "0", charts: [], story: { message: 0, steps: [] } });
    expect(idleHtml).toContain("<td>p.example.com</td>");
    expect(idleHtml).not.toContain("<td>s.example.com</td>"); // the backup got no connection
  });
});
