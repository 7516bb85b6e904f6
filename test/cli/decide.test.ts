import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDecidePage, DECIDE_PAGE } from "../../src/cli/decide.js";
import { cli, tempDir } from "./helpers.js";

describe("the decision page (docs/lessons/decide.md)", () => {
  const page = buildDecidePage();

  it("is up to date with the runs of scenarios/decide/ (regenerate: npm run lessons)", () => {
    expect(readFileSync(DECIDE_PAGE, "utf8")).toBe(page);
  });

  it("says at 1 day what mxsim compare says of the shipped files (their outage lasts a day)", async () => {
    const out = join(tempDir(), "d");
    const r = await cli("compare", "scenarios/decide/1-no-backup.yaml", "scenarios/decide/2-qmail-backup.yaml", "scenarios/decide/3-postfix-backup.yaml", "scenarios/decide/4-cluster.yaml", "--out", out, "--no-charts");
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { scenarios: { name: string; verdict: string | null; summary: { by_profile: Record<string, { bounced: number }> } }[] };
    const section = page.slice(page.indexOf("### mail1.blyx.com down for 1d"), page.indexOf("### mail1.blyx.com down for 3d"));
    for (const v of json.scenarios.slice(1)) expect(section).toContain(v.verdict!.replace(v.name, `\`${v.name}\``));
    const bounced = Object.values(json.scenarios[0]!.summary.by_profile).reduce((n, p) => n + p.bounced, 0);
    expect(section).toMatch(new RegExp(`\\| \`decide-no-backup\` \\| \\d+ \\(\\d+\\.\\d%\\) \\| ${bounced} \\|`));
    expect(section).toContain(`Without a backup ${bounced} legitimate messages`);
  });
});
