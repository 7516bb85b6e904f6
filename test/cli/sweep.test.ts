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
    expect(csv[0]).toBe("variant,seed,parameter,value,value_s,created,bounced,still_queued,bounce_rate_pct,p95_latency_s");
    expect(csv).toHaveLength(1 + 2 * 4);
    const json = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const p95 = json.series[1].points.map((p: { p95: number }) => p.p95);
    expect(p95).toEqual([...p95].sort((a: number, b: number) => a - b)); // longer outages, later mail
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
