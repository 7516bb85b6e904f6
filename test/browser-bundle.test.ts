import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runInNewContext } from "node:vm";
import { build, type BuildOptions, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli, tempDir } from "./cli/helpers.js";

// src/core, src/scenario and src/report run unchanged in a browser: bundled for
// the browser from their index.ts faces, the article's scenario gives the same
// results.json as the CLI. esbuild fails a browser build that reaches a Node
// built-in ("Could not resolve "util"": cli-table3's colors do), where a Node
// build would leave it external; the checks below make sure nothing was left out.

const SCENARIO = "scenarios/02-article-outage.yaml";
const ENTRY = "test/fixtures/browser-entry.ts";

/** Dependencies' own browser builds may switch a Node module off (their package.json "browser" field). */
const DISABLED_OK: Record<string, string> = {
  // seedrandom requires crypto only to seed itself when given no seed; every mxsim stream is seeded (core/rng.ts).
  "(disabled):crypto": "seedrandom autoseeding",
};

const OPTIONS: BuildOptions = {
  entryPoints: [ENTRY],
  bundle: true,
  platform: "browser",
  target: "es2022",
  minify: true,
  metafile: true,
  logLevel: "silent",
};

type Face = typeof import("./fixtures/browser-entry.js");

/**
 * What the CLI's `run --json` prints, rebuilt with the bundle's layers. The tool's version and the
 * file's hash come from the CLI's own output (the shell reads them from package.json and the file's
 * bytes); the article's week is small enough that attempts.csv holds every message (stride 1).
 */
function resultsJsonOf(m: Face, text: string, cli: { meta: { version: string; scenario_sha256: string } }): string {
  const loaded = m.scenario.loadScenario(text, SCENARIO);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(m.scenario.formatDiagnostic).join("\n"));
  const result = m.core.simulate(loaded.model);
  const summary = m.report.summarize(result);
  const checks = loaded.input.expect ? m.report.checkExpectations(loaded.input.expect, summary) : [];
  const meta = { tool: "mxsim" as const, version: cli.meta.version, scenarioSha256: cli.meta.scenario_sha256, attemptsSampledEvery: 1 };
  return m.report.resultsJson(result, summary, meta, undefined, checks);
}

describe("the browser bundle of core + scenario + report", () => {
  const dir = mkdtempSync(join(tmpdir(), "mxsim-bundle-"));
  const text = readFileSync(SCENARIO, "utf8");
  let esm: { warnings: unknown[]; metafile: Metafile; file: string };
  let cliJson: string;

  beforeAll(async () => {
    const file = join(dir, "mxsim.js");
    const r = await build({ ...OPTIONS, format: "esm", outfile: file });
    esm = { warnings: r.warnings, metafile: r.metafile!, file };
    const out = tempDir();
    const run = spawnCli("run", SCENARIO, "--json", "--no-charts", "--out", join(out, "run"));
    rmSync(out, { recursive: true, force: true });
    expect(run.code, run.stderr).toBe(0);
    cliJson = run.stdout;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("builds without warnings and leaves no module outside", () => {
    expect(esm.warnings).toEqual([]);
    const imports = Object.values(esm.metafile.outputs).flatMap((o) => o.imports);
    expect(imports.filter((i) => i.external)).toEqual([]);
    const inputs = Object.keys(esm.metafile.inputs);
    expect(inputs.filter((i) => i.startsWith("node:"))).toEqual([]);
    for (const i of inputs.filter((i) => i.startsWith("(disabled):"))) expect(DISABLED_OK, i).toHaveProperty([i]);
  });

  it("holds no terminal table", () => {
    const inputs = Object.keys(esm.metafile.inputs);
    expect(inputs.filter((i) => /cli-table3|@colors|picocolors|summary-table/.test(i))).toEqual([]);
    expect(inputs.some((i) => i.endsWith("src/core/simulate.ts"))).toBe(true);
  });

  it("runs the article's scenario to the CLI's results.json", async () => {
    const m = (await import(pathToFileURL(esm.file).href)) as Face;
    const cli = JSON.parse(cliJson) as { meta: { version: string; scenario_sha256: string } };
    expect(resultsJsonOf(m, text, cli)).toBe(cliJson);
  });

  it("gives the same where there is no Node: no process, Buffer or require", async () => {
    const r = await build({ ...OPTIONS, format: "iife", globalName: "mxsim", write: false });
    const code = r.outputFiles![0]!.text;
    const cli = JSON.parse(cliJson) as { meta: { version: string; scenario_sha256: string } };
    // A fresh V8 context, shaped like a page: ECMAScript's globals, `window` and `self`, and the
    // Web APIs a dependency uses (hdr-histogram-js looks for WebAssembly on `window` and decodes its
    // packed module with atob and TextDecoder). Node's process, Buffer and require are absent.
    const context: Record<string, unknown> = { TextDecoder, TextEncoder, atob, btoa };
    context.window = context.self = context;
    runInNewContext(code, context);
    expect(resultsJsonOf(context.mxsim as Face, text, cli)).toBe(cliJson);
  });
});
