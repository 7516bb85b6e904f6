import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/cli.js";
import { exitCodeFor } from "../../src/cli/exit-codes.js";
import { cli, spawnCli, tempDir } from "./helpers.js";

const WITH_EXPECT = (expect: string) =>
  readFileSync("scenarios/02-article-outage.yaml", "utf8").replace(/\s*$/, "\n") + `expect:\n${expect}`;

describe("exit codes (README: 0 ok, 1 an expectation failed, 2 bad input or usage, 3 the environment failed, 4 internal error)", () => {
  it("exitCodeFor is 0 when every expectation holds, else 1", () => {
    expect(exitCodeFor([])).toBe(0);
    expect(exitCodeFor([{ ok: true }, { ok: true }])).toBe(0);
    expect(exitCodeFor([{ ok: true }, { ok: false }])).toBe(1);
  });

  it("0: the run completes and its expectations hold", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "ok.yaml"), WITH_EXPECT("  bounced: 0\n  max_latency: 2d\n"));
    const r = spawnCli("run", join(dir, "ok.yaml"), "--out", join(dir, "out"), "--no-charts");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Expectations (all met):");
  });

  it("1: an expectation is broken; the outputs are still written and say so", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "late.yaml"), WITH_EXPECT("  bounced: 0\n  p95_latency: 2h\n"));
    const r = spawnCli("run", join(dir, "late.yaml"), "--out", join(dir, "out"), "--no-charts");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BROKEN p95_latency \S.* > 2h/);
    const json = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8"));
    expect(json.expectations.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ["bounced", true],
      ["p95_latency", false],
    ]);
  });

  it("2: bad input", () => {
    expect(spawnCli("run", "no/such/file.yaml").code).toBe(2);
  });

  it("2: an unknown expectation is rejected with a suggestion", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x.yaml"), WITH_EXPECT("  p95_latncy: 2h\n"));
    const r = await cli("run", join(dir, "x.yaml"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key "p95_latncy"; did you mean "p95_latency"\?/);
  });

  it("4: an unexpected failure is reported as a bug, in one line, without a stack trace", async () => {
    let stderr = "";
    const code = await runCli(["profiles", "qmail"], {
      stdout: () => {
        throw new Error("disk full");
      },
      stderr: (t) => (stderr += t),
      color: false,
    });
    expect(code).toBe(4);
    expect(stderr).toMatch(/^mxsim: internal error: disk full\nThis is a bug in mxsim/);
    expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
