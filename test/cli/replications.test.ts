import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/core/simulate.js";
import { estimate, tCritical95 } from "../../src/report/replications.js";
import { summarize } from "../../src/report/summary.js";
import { model } from "../helpers.js";
import { cli, tempDir } from "./helpers.js";

describe("confidence intervals", () => {
  it("use Student's t: 12.706 for 1 df, 2.093 for 19, 1.98 beyond 120", () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(19)).toBe(2.093);
    expect(tCritical95(500)).toBe(1.98);
  });
  it("mean ± t·s/√n", () => {
    const e = estimate([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    expect(e.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(e.ci95).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 12);
  });
});

describe("mxsim run --runs", () => {
  it("gives every run its own streams, the same whatever the number of threads, and equal to running them one by one", async () => {
    const [a, b] = [tempDir(), tempDir()];
    const one = await cli("run", "scenarios/02-article-outage.yaml", "--runs", "6", "--threads", "1", "--out", a, "--no-charts");
    const two = await cli("run", "scenarios/02-article-outage.yaml", "--runs", "6", "--threads", "2", "--out", b, "--no-charts");
    expect(one.code).toBe(0);
    expect(two.stdout.replace(/Wrote .*/, "")).toBe(one.stdout.replace(/Wrote .*/, ""));
    expect(readFileSync(join(a, "results.json"), "utf8")).toBe(readFileSync(join(b, "results.json"), "utf8"));
    const json = JSON.parse(readFileSync(join(a, "results.json"), "utf8"));
    const m = model(readFileSync("scenarios/02-article-outage.yaml", "utf8"));
    const created = [0, 1, 2, 3, 4, 5].map((run) => summarize(simulate(m, { run })).messages.created);
    expect(json.replications.per_run.map((s: { messages: { created: number } }) => s.messages.created)).toEqual(created);
    expect(new Set(created).size).toBeGreaterThan(1); // independent streams: the runs differ
    expect(json.replications.aggregate["messages created"].mean).toBeCloseTo(created.reduce((x, y) => x + y) / 6, 9);
    expect(one.stdout).toMatch(/│ messages created +│ +\d+\.\d │ +± \d+\.\d │/);
    expect(readFileSync(join(a, "runs.csv"), "utf8").trim().split("\n")).toHaveLength(7);
  });

  it("refuses a bad number of runs", async () => {
    const r = await cli("run", "scenarios/02-article-outage.yaml", "--runs", "0");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--runs 0: write a whole number from 1 to 10000/);
  });
});
