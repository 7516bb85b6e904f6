import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FAILURE_MODES } from "../../src/core/failure-modes.js";
import { MTA_NAMES, PROFILE_DEFAULTS, PROFILE_INFO } from "../../src/core/profile.js";
import { failoverTableMarkdown, failoverWords, withFailoverTable } from "../../src/report/failover-table.js";

describe("the README's failure-mode table is made from the MTAs' failover tables", () => {
  it("README.md holds the table the code makes (run npm run readme-tables after changing a profile)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(withFailoverTable(readme)).toBe(readme);
  });

  it("has a row per failure mode, a column per MTA a server can run and one for the providers' senders", () => {
    const lines = failoverTableMarkdown().split("\n");
    expect(lines).toHaveLength(2 + FAILURE_MODES.length);
    const servers = MTA_NAMES.filter((n) => !PROFILE_INFO[n].sender);
    for (const l of lines.slice(2)) expect(l.split(" | ")).toHaveLength(2 + servers.length + 1);
  });

  it("the providers' senders share one failover column: their tables and timeouts are the same", () => {
    const providers = MTA_NAMES.filter((n) => PROFILE_INFO[n].sender);
    for (const n of providers) {
      for (const m of FAILURE_MODES) expect(failoverWords(PROFILE_DEFAULTS[n], m), `${n} ${m}`).toBe(failoverWords(PROFILE_DEFAULTS.custom, m));
    }
  });

  it("a README without the block is an error, not a silent no-op", () => {
    expect(() => withFailoverTable("# no table here\n")).toThrow(/no failover-table block/);
  });
});
