import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import { cli, tempDir } from "./helpers.js";

describe("README", () => {
  it("shows the summary that `npm run demo` prints now (regenerate with npm run readme-examples)", async () => {
    const readme = readFileSync("README.md", "utf8");
    const block = /<!-- example-output:start -->\n```text\n\$ npm run demo\n([\s\S]*?)```\n<!-- example-output:end -->/.exec(readme);
    expect(block, "README.md has the example-output block").not.toBeNull();
    const r = await cli("run", "scenarios/02-article-outage.yaml", "--out", join(tempDir(), "article-outage"), "--no-charts");
    const table = r.stdout.replace(/^Wrote .*\n/m, "");
    expect(block![1]!.replace(/^Wrote .*\n/m, "")).toBe(table);
  });

  it("names the test command that CI runs", () => {
    expect(readFileSync("README.md", "utf8")).toContain("bash scripts/setup.sh && npm test");
    expect(readFileSync(".ci/run", "utf8")).toContain("bash scripts/setup.sh && npm test");
  });
});

describe("README scenario format", () => {
  it("its example scenario is valid", () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Scenario format"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const r = loadScenario(yaml, "README.md");
    expect(r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.col} ${d.path}: ${d.message}`)).toEqual([]);
  });
});
