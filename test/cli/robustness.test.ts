import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchScenario } from "../../src/bench/scenario.js";
import { cli, spawnCli, tempDir } from "./helpers.js";

describe("resource guards", () => {
  it("refuse a scenario too large to run, with the estimate and the flag to proceed", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "big.yaml"), benchScenario(20_000_000));
    const r = await cli("run", join(dir, "big.yaml"), "--out", join(dir, "out"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /big\.yaml: about 20,000,000 messages, up to .* events, .* connections \(about \d+ MB of memory, \d+ MB written, at worst \d+ minutes\); that is over the limit of 10,000,000 messages.*; add --allow-large to run it anyway\n$/,
    );
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("an interrupted run (Ctrl-C)", () => {
  it("exits 130 and leaves no output folder, not even a temporary one", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "s.yaml"), benchScenario(300_000));
    const child = spawn(process.execPath, ["dist/cli/main.js", "run", join(dir, "s.yaml"), "--out", join(dir, "out")], { stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    // Interrupt once the run has started writing (its temporary folder exists), however slow the machine.
    for (let waited = 0; !readdirSync(dir).some((f) => f.startsWith(".out.mxsim-tmp-")); waited += 50) {
      if (waited > 30_000) throw new Error("the run never started writing");
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted (SIGINT); no output was written");
    expect(readdirSync(dir)).toEqual(["s.yaml"]);
  }, 60_000);
});

describe("the same seed gives the same bytes under other time zones and locales", () => {
  it("every file, PNG charts and report.html included, is the same under any TZ, LANG and LC_ALL", () => {
    // Lesson 01's charts have decimal ticks (German and Turkish write 0,5) and every chart has digits
    // (Arabic and Persian locales write ٠١٢ and ۰۱۲ by default).
    const envs = [
      { TZ: "UTC", LANG: "C" },
      { TZ: "America/New_York", LANG: "de_DE.UTF-8" },
      { TZ: "Europe/Istanbul", LANG: "tr_TR.UTF-8" },
      { TZ: "Asia/Riyadh", LANG: "ar_SA.UTF-8" },
      { TZ: "Asia/Tehran", LANG: "fa_IR.UTF-8" },
      { TZ: "Asia/Kolkata", LANG: "ja_JP.UTF-8" },
    ];
    const dirs = envs.map((env) => {
      const dir = tempDir();
      const r = spawnSync(process.execPath, ["dist/cli/main.js", "run", "scenarios/01-normal-week.yaml", "--out", join(dir, "out")], {
        encoding: "utf8",
        env: { ...process.env, ...env, LC_ALL: env.LANG },
      });
      expect(r.status, r.stderr).toBe(0);
      return join(dir, "out");
    });
    const files = readdirSync(dirs[0]!).sort();
    expect(files).toEqual(expect.arrayContaining(["results.json", "messages.csv", "attempts.csv", "story.txt", "report.html", "queue-depth.png", "latency.png", "timeline.png"]));
    dirs.forEach((d, i) => {
      expect(readdirSync(d).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(d, f)).equals(readFileSync(join(dirs[0]!, f))), `${f} under ${envs[i]!.LANG}`).toBe(true);
    });
  }, 120_000);
});

describe("mxsim validate and mxsim init", () => {
  it("validate checks files without running them: 0 when all are valid, 2 with the errors otherwise", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.yaml"), "name: x\nduration: 1x\n");
    const ok = await cli("validate", "scenarios/02-article-outage.yaml", "scenarios/compare/4-cluster.yaml");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^scenarios\/02-article-outage\.yaml: ok \(article-outage: 2 servers, 1 sender,/);
    const bad = await cli("validate", "scenarios/02-article-outage.yaml", join(dir, "bad.yaml"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:2:11: duration: "1x" is not a duration/);
  });

  it("init writes a commented starter that validates and runs, and refuses to overwrite", async () => {
    const dir = tempDir();
    const file = join(dir, "mine.yaml");
    expect((await cli("init", file)).code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/scenario\.schema\.json$/);
    expect(existsSync(join(dir, text.split("\n")[0]!.split("$schema=")[1]!))).toBe(true);
    expect((await cli("validate", file)).code).toBe(0);
    expect(spawnCli("run", file, "--out", join(dir, "out"), "--no-charts").code).toBe(0);
    const again = await cli("init", file);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; choose another file name, or add --force/);
  });
});
