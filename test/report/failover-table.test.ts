import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FAILURE_MODES } from "../../src/core/failure-modes.js";
import { MTA_NAMES } from "../../src/core/profile.js";
import { failoverTableMarkdown, withFailoverTable } from "../../src/report/failover-table.js";

describe("the README's failure-mode table is made from the MTAs' failover tables", () => {
  it("README.md holds the table the code makes (run npm run readme-tables after changing a profile)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(withFailoverTable(readme)).toBe(readme);
  });

  it("has a row per failure mode and a column per MTA", () => {
    const lines = failoverTableMarkdown().split("\n");
    expect(lines).toHaveLength(2 + FAILURE_MODES.length);
    for (const l of lines.slice(2)) expect(l.split(" | ")).toHaveLength(2 + MTA_NAMES.length);
  });

  it("a README without the block is an error, not a silent no-op", () => {
    expect(() => withFailoverTable("# no table here\n")).toThrow(/no failover-table block/);
  });
});
