/** `mxsim compare a.yaml b.yaml …`: several scenarios on the same seed, side by side. */
import { t } from "../../i18n/index.js";
import { basename, join } from "node:path";
import { NULL_SINK } from "../../core/attempt-log.js";
import { compareCharts, compareCsv, verdicts, type Variant, type Verdicts } from "../../report/compare.js";
import { compareHtml } from "../../report/compare-html.js";
import { checkExpectations } from "../../report/expectations.js";
import { mailOutcomes } from "../../report/mail-outcomes.js";
import { compareTable, expectationLines, verdictLines } from "../text/compare-table.js";
import { summarize } from "../../report/summary.js";
import { quote, showPath } from "../../scenario/quote.js";
import { defineCommand, type Io } from "../types.js";
import { exitCodeFor, UserError } from "../exit-codes.js";
import { combine, estimateRun, guardWork, watchdogFor } from "../guards.js";
import { isStdin, loadModelFile, reportWarnings, type LoadedScenario } from "../io.js";
import { checkOutputDir, writeOutputDir, type OutputFile } from "../output-dir.js";
import { renderPng } from "../render-png.js";
import { runSimulation } from "../run-simulation.js";
import { toolVersion } from "../version.js";

export interface CompareArgs {
  scenarios: string[];
  seed?: number;
  out?: string;
  json: boolean;
  charts: boolean;
  color: boolean;
  /** Run past the resource guards. */
  allowLarge?: boolean;
  /** Warnings are errors. */
  strict?: boolean;
  /** The scenario the others are compared with (default: the first). */
  baseline?: string;
}

export const compareModule = defineCommand({
  command: "compare <scenarios..>",
  describe: "run several scenarios on the same seed and show them side by side",
  builder: (y) =>
    y
      .positional("scenarios", { type: "string", array: true, demandOption: true, describe: "scenario YAML files" })
      .option("seed", { type: "number", describe: "seed for every scenario (default: the first scenario's)" })
      .option("out", { type: "string", describe: "output folder (default: output/compare-<names>/)" })
      .option("json", { type: "boolean", default: false, describe: "print the comparison as JSON instead of the table" })
      .option("charts", { type: "boolean", default: true, describe: "draw the overlaid charts (--no-charts to skip)" })
      .option("baseline", { type: "string", describe: "the scenario the others are compared with, by name (default: the first)" })
      .example("$0 compare scenarios/compare/*.yaml", "no secondary vs qmail vs Postfix secondary vs a cluster"),
  run: (a, io) =>
    compareCommand(
      {
        scenarios: (a.scenarios ?? []).map(String),
        seed: a.seed,
        out: a.out,
        json: a.json,
        charts: a.charts,
        color: io.color,
        allowLarge: a.allowLarge,
        strict: a.strict,
        baseline: a.baseline,
      },
      io,
    ),
});

export async function compareCommand(args: CompareArgs, io: Io): Promise<number> {
  const loaded = await loadAll(args, io);
  const estimates = loaded.map((l) => estimateRun(l.model, { files: false, story: false }));
  guardWork(
    combine(estimates.map((estimate) => ({ estimate, times: 1 }))),
    loaded.map((l) => l.name).join(", "),
    args.allowLarge ?? false,
    estimates.reduce((a, b) => (a.messages > b.messages ? a : b)),
  );
  // The same seed for every scenario, so differences come from the setups, not from luck.
  const seed = args.seed ?? loaded[0]!.model.seed;
  // Each scenario is shown by its name; when two share one, by its file's.
  const unique = new Set(loaded.map((l) => l.model.name)).size === loaded.length;
  const labels = loaded.map((l) => (unique ? l.model.name : isStdin(l.file) ? "stdin" : basename(l.file)));
  const baseline = baselineIndex(args.baseline, labels);
  const outDir = args.out ?? join("output", `compare-${labels.join("-vs-")}`.slice(0, 120));
  const protect = { inputs: args.scenarios };
  // Before the work: a folder in the way is reported at once, not after minutes of simulation.
  checkOutputDir(outDir, protect);
  const variants: Variant[] = [];
  for (const [i, l] of loaded.entries()) {
    const result = await runSimulation(l.model, { seed, sink: NULL_SINK, limits: watchdogFor(estimates[i]!), name: l.name });
    const summary = summarize(result);
    const checks = l.input.expect ? checkExpectations(l.input.expect, summary) : [];
    variants.push({ name: labels[i]!, result, summary, outcomes: mailOutcomes(result), checks });
  }
  const verdict = verdicts(variants, baseline, args.baseline === undefined ? "the first scenario given; --baseline NAME picks another" : "chosen with --baseline");
  const { json, files } = await outputFiles(variants, seed, verdict, args.charts);
  writeOutputDir(outDir, files, protect);
  const checks = variants.flatMap((v) => v.checks);
  if (args.json) {
    io.stdout(json);
    io.stderr(`mxsim: wrote ${showPath(outDir)}/ (${files.map((f) => f.name).join(", ")})\n`);
  } else {
    const expectations = expectationLines(variants);
    const broken = checks.some((c) => !c.ok) ? ": exit code 1" : "";
    io.stdout(`mxsim compare (seed ${seed})\n${compareTable(variants, args.color)}\n${verdictLines(verdict).join("\n")}\n`);
    if (expectations.length > 0) io.stdout(`Expectations${broken}:\n${expectations.map((e) => `  ${e}`).join("\n")}\n`);
    io.stdout(`Wrote ${showPath(outDir)}/: ${files.map((f) => f.name).join(", ")}\n`);
  }
  return exitCodeFor(checks);
}

/** The index of the --baseline scenario among the labels (default: the first). */
function baselineIndex(name: string | undefined, labels: string[]): number {
  if (name === undefined) return 0;
  const i = labels.indexOf(name);
  if (i < 0) throw new UserError(t("cli:cmd.baseline", { name: quote(name), names: labels.map((l) => quote(l)).join(", ") }));
  return i;
}

/** The scenarios, read and compiled (their warnings printed) before anything runs. */
async function loadAll(args: CompareArgs, io: Io): Promise<(LoadedScenario & { file: string })[]> {
  if (args.scenarios.length < 2) {
    throw new UserError(t("cli:cmd.compareTwo"));
  }
  if (args.scenarios.filter(isStdin).length > 1) {
    throw new UserError(t("cli:cmd.stdinOnce", { command: "mxsim compare" }));
  }
  const loaded: (LoadedScenario & { file: string })[] = [];
  for (const file of args.scenarios) {
    const l = await loadModelFile(file, args.seed);
    reportWarnings(l, io, args.strict ?? false);
    loaded.push({ file, ...l });
  }
  return loaded;
}

/** results.json (also printed with --json), compare.csv, compare.html and, with --charts, the overlaid charts. */
async function outputFiles(variants: Variant[], seed: number, verdict: Verdicts, drawCharts: boolean): Promise<{ json: string; files: OutputFile[] }> {
  const json = `${JSON.stringify(
    {
      meta: { tool: "mxsim", version: toolVersion(), seed, baseline: verdict.baseline },
      scenarios: variants.map((v) => ({ name: v.name, summary: v.summary, verdict: verdict.sentences.find((s) => s.name === v.name)?.text ?? null, expectations: v.checks })),
    },
    null,
    2,
  )}\n`;
  const files: OutputFile[] = [
    { name: "results.json", data: json },
    { name: "compare.csv", data: compareCsv(variants) },
  ];
  const charts = [];
  if (drawCharts) {
    for (const chart of compareCharts(variants)) {
      const png = await renderPng(chart.config);
      files.push({ name: `${chart.name}.png`, data: png });
      charts.push({ name: chart.name, png: png.toString("base64") });
    }
  }
  files.push({ name: "compare.html", data: compareHtml({ variants, verdicts: verdict, seed, version: toolVersion(), charts }) });
  return { json, files };
}
