import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./helpers.js";

const OUTAGE = "servers/fcmx1.blyx.com/outages/0/duration";

describe("mxsim sweep", () => {
  it("varies the outage length and names where bounces begin for each variant", async () => {
    const out = join(tempDir(), "s");
    const r = await cli(
      "sweep",
      "scenarios/compare/1-no-secondary.yaml",
      "scenarios/compare/2-qmail-secondary.yaml",
      "--set",
      OUTAGE,
      "--values",
      "12h,1d,2d,3d",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    // The Exchange sender's 2-day lifetime (docs/model.md#exchange): without a backup, bounces start once the outage passes 2 days.
    expect(r.stdout).toContain("Bounces begin for no-secondary: between 2d and 3d.");
    expect(r.stdout).toContain("Bounces begin for qmail-secondary: none in this sweep.");
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe(
      "variant,seed,parameter,value,value_s,created,delivered,bounced,still_queued,bounce_rate_pct,undelivered_pct," +
        "p50_latency_s,p95_latency_s,p99_latency_s,not_delivered,bounce_rate_pct_exchange,bounce_rate_pct_postfix,bounce_rate_pct_qmail",
    );
    expect(csv).toHaveLength(1 + 2 * 4);
    const json = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const p95 = json.series[1].points.map((p: { p95: number }) => p.p95);
    expect(p95).toEqual([...p95].sort((a: number, b: number) => a - b)); // longer outages, later mail
    // At 3d without a backup, more than 5% of the mail bounced (all Exchange's): p95 and p99 fall on it, and are no time.
    const at3d = json.series[0].points[3];
    expect(at3d.bounceRate).toBeGreaterThan(5);
    expect([at3d.p95, at3d.p99]).toEqual(["not delivered", "not delivered"]);
    expect(r.stdout).toMatch(/│ 3d +│ +\d+\.\d% │ +0s │ not delivered │ not delivered │/);
    const row = csv.find((l) => l.startsWith("no-secondary,21,servers/fcmx1.blyx.com/outages/0/duration,3d,"))!.split(",");
    expect(row.slice(11, 15)).toEqual(["0", "", "", "p95 p99"]);
    // The bounces are the Exchange sender's alone (its 2-day lifetime); its bounce rate is three times the overall one or more.
    expect(at3d.byProfile.postfix).toBe(0);
    expect(at3d.byProfile.qmail).toBe(0);
    expect(at3d.byProfile.exchange).toBeGreaterThan(at3d.bounceRate);
    // A row per variant and profile, a column per point: the exchange senders' 3d bounce rate is in its row.
    expect(r.stdout).toMatch(/│ bounce rate +│ sender profile │ /);
    expect(r.stdout).toMatch(new RegExp(`│ no-secondary +│ exchange +│.* ${at3d.byProfile.exchange.toFixed(1)}% │`));
    expect(r.stdout).toMatch(/│ +│ postfix +│/);
    expect(readFileSync(join(out, "sweep.html"), "utf8")).toContain('<td class="nd">not delivered</td>');
  });

  it("never prints 0 s for mail still queued: an outage longer than the run leaves every percentile \"not delivered\"", async () => {
    const out = join(tempDir(), "q");
    // 10 days down from day 1 of a 6-day run: everything sent after day 1 is still queued at the end, most of the mail.
    const r = await cli("sweep", "scenarios/compare/2-qmail-secondary.yaml", "--set", OUTAGE, "--values", "1h,10d", "--out", out, "--no-charts");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ 10d +│ +0\.0% │ not delivered │ not delivered │ not delivered │/);
    const json = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const p = json.series[0].points[1];
    expect(p.undeliveredRate).toBeGreaterThan(50);
    expect(p.queued).toBe(p.created - p.delivered);
    expect(r.stdout).toContain("At 10d some messages were still queued when the run ended");
  });

  it("--runs N: percentiles over the mail of all N runs, counts averaged", async () => {
    const out = join(tempDir(), "n");
    const r = await cli("sweep", "scenarios/compare/1-no-secondary.yaml", "--set", OUTAGE, "--values", "1d,3d", "--runs", "2", "--out", out, "--no-charts");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("mean of 2 runs per point");
    const [at1d, at3d] = JSON.parse(readFileSync(join(out, "results.json"), "utf8")).series[0].points;
    // Both runs of 3d bounce more than 5% of the mail (Exchange's): so does their pooled mail.
    expect(at3d.bounceRate).toBeGreaterThan(5);
    expect(at3d.p95).toBe("not delivered");
    // A 1-day outage bounces nothing: p95 is a time, within the outage's length plus a retry interval.
    expect(at1d.p95).toBeGreaterThan(0);
    expect(at1d.p95).toBeLessThan(2 * 86400);
  });

  it("--runs on worker threads gives the same sweep as on one thread", async () => {
    const args = ["sweep", "scenarios/compare/1-no-secondary.yaml", "--set", OUTAGE, "--values", "1d,3d", "--runs", "3", "--no-charts"];
    const [one, two] = [join(tempDir(), "t1"), join(tempDir(), "t2")];
    expect((await cli(...args, "--threads", "1", "--out", one)).code).toBe(0);
    expect((await cli(...args, "--threads", "2", "--out", two)).code).toBe(0);
    expect(readFileSync(join(two, "sweep.csv"), "utf8")).toBe(readFileSync(join(one, "sweep.csv"), "utf8"));
    expect(readFileSync(join(two, "results.json"), "utf8")).toBe(readFileSync(join(one, "results.json"), "utf8"));
  });

  it("spaces a --range logarithmically", async () => {
    const r = await cli("sweep", "scenarios/compare/2-qmail-secondary.yaml", "--set", OUTAGE, "--range", "1h..4d", "--steps", "3", "--out", join(tempDir(), "r"), "--no-charts");
    expect(r.code).toBe(0);
    // 1h, sqrt(1h·4d) ≈ 9h 47m 53s, 4d
    expect(r.stdout).toMatch(/│ 1h +│/);
    expect(r.stdout).toMatch(/│ 9h 47m +│/);
    expect(r.stdout).toMatch(/│ 4d +│/);
  });

  it("refuses a path the scenario does not have, and a value the scenario cannot take (exit 2)", async () => {
    const bad = await cli("sweep", "scenarios/compare/2-qmail-secondary.yaml", "--set", "servers/nope/outages/0/duration", "--values", "1h,2h");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/has no "servers\/nope\/outages\/0\/duration"/);
    const value = await cli("sweep", "scenarios/compare/2-qmail-secondary.yaml", "--set", OUTAGE, "--values", "1h,2x");
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/\(servers\/fcmx1\.blyx\.com\/outages\/0\/duration = 2x\):\d+:\d+: .*"2x" is not a duration/);
  });
});
