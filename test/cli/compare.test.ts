import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./helpers.js";

const SHIPPED = readdirSync("scenarios/compare").filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios/compare", f));

describe("mxsim compare", () => {
  it("runs the sysadmin's comparison on one seed: no secondary, qmail secondary, Postfix secondary, cluster", async () => {
    const out = join(tempDir(), "c");
    const r = await cli("compare", ...SHIPPED, "--out", out, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { meta: { seed: number }; scenarios: { name: string; summary: any }[] };
    const by = Object.fromEntries(json.scenarios.map((s) => [s.name, s.summary]));
    expect(Object.keys(by)).toEqual(["no-secondary", "qmail-secondary", "postfix-secondary", "cluster"]);
    // Same seed, same senders: the same messages are created in every setup.
    const created = new Set(json.scenarios.map((s) => s.summary.messages.created));
    expect(created.size).toBe(1);
    // Without a backup, the Exchange sender gives up after 2 days (docs/model.md#exchange); a backup takes the mail at once.
    expect(by["no-secondary"].messages.bounced_by).toEqual({ "corp.example": by["no-secondary"].messages.bounced });
    expect(by["no-secondary"].messages.bounced).toBeGreaterThan(0);
    expect(by["qmail-secondary"].messages.bounced).toBe(0);
    // Postfix retries a queued message at least every 4000 s (+ the scan); qmail's gaps grow to hours.
    const drain = (s: any) => Math.max(...s.drain.map((d: any) => d.drain_s));
    expect(drain(by["postfix-secondary"])).toBeLessThan(drain(by["qmail-secondary"]));
    // A cluster behind a load balancer delivers everything directly.
    expect(by.cluster.messages.delivered_direct).toBe(by.cluster.messages.created);
    expect(readdirSync(out).sort()).toEqual([".mxsim-output", "compare-latency.png", "compare-queue.png", "compare.csv", "results.json"]);
    expect(readFileSync(join(out, "compare.csv"), "utf8")).toMatch(/^scenario,seed,metric,value\nno-secondary,21,messages created,\d+\n/);
  });

  it("prints a side-by-side table", async () => {
    const r = await cli("compare", SHIPPED[0]!, SHIPPED[3]!, "--out", join(tempDir(), "t"), "--no-charts");
    expect(r.stdout).toMatch(/│ +│ +no-secondary │ +cluster │/);
    expect(r.stdout).toMatch(/│ delivered directly +│ +\d+ \(\d+\.\d%\) │ +\d+ \(100\.0%\) │/);
  });

  it("needs two scenarios or more", async () => {
    const r = await cli("compare", SHIPPED[0]!);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give two scenario files or more/);
  });
});
