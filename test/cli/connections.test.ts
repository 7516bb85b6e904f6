/**
 * Connections in what `mxsim run` and `mxsim compare` write and print: the
 * numbers in attempts.csv (a reused connection keeps its number), the
 * per-server counts of results.json recomputed from attempts.csv, the lines of
 * the text summary, and compare's rows.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CsvSink } from "../../src/cli/csv-sink.js";
import type { TextStream } from "../../src/cli/output-dir.js";
import { summaryTable } from "../../src/cli/text/summary-table.js";
import { ATTEMPT_CODE, CONNECTION_CODE } from "../../src/core/outcomes.js";
import { simulate } from "../../src/core/simulate.js";
import { nodesOf } from "../../src/core/world.js";
import { summarize, type Summary } from "../../src/report/summary.js";
import { attemptReport, twoMx } from "../helpers.js";
import { cli, tempDir } from "./helpers.js";

/** attempts.csv's rows as objects by column name. */
function parseAttempts(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trim().split("\n");
  const names = head!.split(",");
  return rows.map((row) => Object.fromEntries(row.split(",").map((v, i) => [names[i]!, v])));
}

describe("attempts.csv", () => {
  it("names each connection's number; a reused connection has an earlier row's number; connection_id is the one the result came over", () => {
    const m = twoMx({ senders: "  a.test: { to: example.com, at: [0s], mta: qmail }", duration: "1h" });
    const [P, S, A] = [0, 1, 2]; // p.example.com, s.example.com, a.test
    let text = "";
    const stream = { write: (t: string) => (text += t) } as unknown as TextStream;
    const sink = new CsvSink({ model: m, nodes: nodesOf(m), seed: 1, run: 0 }, stream, stream, 1);
    const { accepted, refused, skipped } = CONNECTION_CODE;
    const { delivered, relayed, deferred } = ATTEMPT_CODE;
    sink.connection(P, 0, accepted, 0);
    sink.attempt(attemptReport(0, A, 0, 0, delivered, P, NaN));
    sink.connection(P, 10, refused, 1);
    sink.connection(S, 10, accepted, 2);
    sink.attempt(attemptReport(1, A, 10, 10, relayed, S, NaN));
    // Message 2 goes over message 1's connection to s (continued delivery), after skipping p.
    sink.connection(P, 20, skipped, -1);
    sink.connection(S, 20, accepted, 2);
    sink.attempt(attemptReport(2, A, 20, 20, relayed, S, NaN));
    sink.connection(P, 30, skipped, -1);
    sink.attempt(attemptReport(3, A, 30, 30, deferred, -1, 90));
    // The result came over the refused connection: the skipped host after it has none.
    sink.connection(P, 40, refused, 3);
    sink.connection(S, 40, skipped, -1);
    sink.attempt(attemptReport(4, A, 40, 40, deferred, P, 100));
    sink.finish();
    const rows = parseAttempts(text.split("\n").filter((l) => !l.startsWith("scenario,seed,run,message_id,kind")).join("\n"));
    expect(rows.map((r) => [r.connections, r.connection_id])).toEqual([
      ["p.example.com accepted #0", "0"],
      ["p.example.com refused #1; s.example.com accepted #2", "2"],
      ["p.example.com skipped; s.example.com accepted #2", "2"],
      ["p.example.com skipped", ""],
      ["p.example.com refused #3; s.example.com skipped", "3"],
    ]);
    expect(rows.map((r) => r.next_s)).toEqual(["", "", "", "90", "100"]);
  });

  it("the counts of results.json are the distinct connection numbers of attempts.csv per server (opened: not refused, not timeout)", async () => {
    const out = tempDir();
    const r = await cli("run", "scenarios/02-article-outage.yaml", "--out", out, "--no-charts");
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "results.json"), "utf8")).summary as Summary;
    const rows = parseAttempts(readFileSync(join(out, "attempts.csv"), "utf8"));
    const seen = new Set<number>();
    const counted: Record<string, { attempted: number; opened: number }> = {};
    for (const row of rows) {
      const numbers = [...row.connections!.matchAll(/(\S+) (\S+) #(\d+)/g)];
      expect(row.connection_id).toBe(numbers.at(-1)?.[3] ?? "");
      for (const [, host, result, n] of numbers) {
        if (seen.has(Number(n))) continue;
        seen.add(Number(n));
        const c = (counted[host!] ??= { attempted: 0, opened: 0 });
        c.attempted++;
        if (result !== "refused" && result !== "timeout") c.opened++;
      }
    }
    const fromJson = Object.fromEntries(Object.entries(summary.connections).map(([n, c]) => [n, { attempted: c.attempted, opened: c.opened }]));
    expect(fromJson).toEqual(counted);
    expect(Object.values(summary.connections).map((c) => c.role)).toEqual(["mailbox", "relay"]);
    // The text summary prints the same numbers.
    for (const [name, c] of Object.entries(summary.connections)) {
      expect(r.stdout).toContain(`  ${name}: ${c.attempted.toLocaleString("en-US")} connection attempts, ${c.opened.toLocaleString("en-US")} sessions\n`);
    }
  });
});

describe("the text summary's connections", () => {
  const run = simulate(twoMx({ senders: "  a.test: { to: example.com, at: [0s], mta: qmail }", duration: "1h" }));
  const table = (s: Summary) => summaryTable(run.model, s, { color: false, seed: 1 });

  it("a line per server that got any connection, with the singular for one", () => {
    const s = summarize(run);
    expect(s.connections).toEqual({ "p.example.com": { role: "mailbox", attempted: 1, opened: 1 }, "s.example.com": { role: "relay", attempted: 0, opened: 0 } });
    const text = table(s);
    expect(text).toContain("Connections to each server (a session: the TCP connection succeeded):\n  p.example.com: 1 connection attempt, 1 session\n\n1 delivery attempts");
    expect(text).not.toContain("s.example.com:");
  });

  it("nothing when no server got a connection; of many servers, the busiest 20", () => {
    const s = summarize(run);
    expect(table({ ...s, connections: {} })).not.toContain("Connections to each server");
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`mx${i}.example.com`, { role: "relay" as const, attempted: 1000 + i, opened: i }]));
    const text = table({ ...s, connections: many });
    expect(text).toContain("  mx24.example.com: 1,024 connection attempts, 24 sessions\n");
    expect(text).toContain("  mx5.example.com: 1,005 connection attempts, 5 sessions\n  … and 5 more servers (see results.json)\n");
    expect(text).not.toContain("mx4.example.com");
  });
});

describe("mxsim compare", () => {
  it("has rows for the connection attempts and sessions at the mailbox servers, each variant's mailbox servers added up", async () => {
    const shipped = readdirSync("scenarios/compare").filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios/compare", f));
    const files = [shipped[0]!, shipped[3]!]; // no secondary, cluster (two mailbox nodes behind a balancer)
    const dir = tempDir();
    const json = await cli("compare", ...files, "--out", join(dir, "j"), "--json", "--no-charts");
    const table = await cli("compare", ...files, "--out", join(dir, "t"), "--no-charts");
    const scenarios = (JSON.parse(json.stdout) as { scenarios: { name: string; summary: Summary }[] }).scenarios;
    const atMailboxes = (s: Summary, f: "attempted" | "opened") =>
      Object.values(s.connections).filter((c) => c.role === "mailbox").reduce((n, c) => n + c[f], 0);
    const [a, b] = scenarios.map((x) => x.summary);
    expect(Object.values(b!.connections).filter((c) => c.role === "mailbox" && c.attempted > 0)).toHaveLength(2);
    expect(table.stdout).toMatch(new RegExp(`│ +connection attempts to the mailbox servers +│ +${atMailboxes(a!, "attempted")} │ +${atMailboxes(b!, "attempted")} │`));
    expect(table.stdout).toMatch(new RegExp(`│ +sessions at the mailbox servers +│ +${atMailboxes(a!, "opened")} │ +${atMailboxes(b!, "opened")} │`));
    expect(atMailboxes(a!, "attempted")).toBeGreaterThan(atMailboxes(a!, "opened"));
    const csv = readFileSync(join(dir, "t", "compare.csv"), "utf8");
    expect(csv).toContain(`no-secondary,21,servers,sessions at the mailbox servers,${atMailboxes(a!, "opened")},\n`);
  }, 60_000);
});
