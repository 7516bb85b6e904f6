/**
 * `mxsim sweep <scenario...> --set <path> --values a,b,c` (or `--range a..b --steps n`):
 * one scenario value varied over a list, for each scenario given as a variant.
 */
import { t } from "../../i18n/index.js";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { NULL_SINK } from "../../core/attempt-log.js";
import { human } from "../../report/format.js";
import { mailOutcomes } from "../../report/mail-outcomes.js";
import { summarize } from "../../report/summary.js";
import { sweepCharts, sweepCsv, sweepPoint, type SweepPoint, type SweepSeries } from "../../report/sweep.js";
import { sweepHtml } from "../../report/sweep-html.js";
import { sweepTable } from "../text/sweep-table.js";
import { parseDurationValue } from "../../scenario/duration.js";
import { formatDiagnostic, loadScenario } from "../../scenario/load.js";
import { cut, escapeControls, quote, showPath } from "../../scenario/quote.js";
import type { Model } from "../../core/model.js";
import { defineCommand, type Io } from "../types.js";
import { EXIT_OK, UserError } from "../exit-codes.js";
import { checkSeed, compileScenario, isStdin, readScenarioSource, reportWarnings, sourceName } from "../io.js";
import { combine, estimateRun, guardWork, watchdogFor, type SizeEstimate } from "../guards.js";
import { checkOutputDir, writeOutputDir, type OutputFile } from "../output-dir.js";
import { runSimulation } from "../run-simulation.js";
import { defaultThreads, replicate } from "../replicate.js";
import { renderPng } from "../render-png.js";
import { toolVersion } from "../version.js";

export interface SweepArgs {
  scenarios: string[];
  set: string;
  values?: string;
  range?: string;
  steps: number;
  linear: boolean;
  seed?: number;
  runs: number;
  threads?: number;
  out?: string;
  charts: boolean;
  /** Run past the resource guards. */
  allowLarge?: boolean;
  /** Warnings are errors. */
  strict?: boolean;
}

export const sweepModule = defineCommand({
  command: "sweep <scenarios..>",
  describe: "vary one scenario value over a list; chart the bounce rate and the p95 latency against it",
  builder: (y) =>
    y
      .positional("scenarios", { type: "string", array: true, demandOption: true, describe: "scenario YAML files (one line each)" })
      .option("set", { type: "string", demandOption: true, describe: "the value to vary, as a path: servers/<host>/outages/0/duration" })
      .option("values", { type: "string", describe: "comma-separated values, e.g. 1h,12h,1d,3d,7d,10d" })
      .option("range", { type: "string", describe: "a range of durations, e.g. 1h..10d (log-spaced; see --steps, --linear)" })
      .option("steps", { type: "number", default: 12, describe: "points of a --range" })
      .option("linear", { type: "boolean", default: false, describe: "space a --range linearly instead of logarithmically" })
      .option("seed", { type: "number", describe: "seed for every point (default: the first scenario's)" })
      .option("runs", { type: "number", default: 1, describe: "replications per point (their mean is shown)" })
      .option("threads", { type: "number", describe: "worker threads for --runs (default: the machine's cores)" })
      .option("out", { type: "string", describe: "output folder (default: output/sweep-<names>/)" })
      .option("charts", { type: "boolean", default: true, describe: "draw the charts (--no-charts to skip)" })
      .example(
        "$0 sweep scenarios/compare/1-no-secondary.yaml scenarios/compare/2-qmail-secondary.yaml --set servers/fcmx1.blyx.com/outages/0/duration --range 1h..10d",
        "outage length from an hour to ten days",
      ),
  run: (a, io) =>
    sweepCommand(
      {
        scenarios: (a.scenarios ?? []).map(String),
        set: a.set,
        values: a.values,
        range: a.range,
        steps: a.steps,
        linear: a.linear,
        seed: a.seed,
        runs: a.runs,
        threads: a.threads,
        out: a.out,
        charts: a.charts,
        allowLarge: a.allowLarge,
        strict: a.strict,
      },
      io,
    ),
});

/** A value of the sweep as written into the scenario, its label, and its size in seconds when it is a duration. */
interface SweepValue {
  value: string | number;
  label: string;
  seconds: number | null;
}

/** The sweep's values (--values, or the points of --range). */
function sweepValues(args: SweepArgs): SweepValue[] {
  if ((args.values === undefined) === (args.range === undefined)) {
    throw new UserError(t("cli:cmd.sweepValues"));
  }
  if (args.values !== undefined) {
    const list = args.values.split(",").map((v) => v.trim()).filter(Boolean);
    if (list.length < 2) throw new UserError(t("cli:cmd.valuesTwo", { values: quote(args.values) }));
    if (list.length > 200) throw new UserError(t("cli:cmd.valuesMany", { n: list.length }));
    return list.map((v) => {
      const d = parseDurationValue(v);
      return { value: v, label: cut(escapeControls(v), 40), seconds: d.ok ? d.seconds : null };
    });
  }
  const m = /^(.+)\.\.(.+)$/.exec(args.range!);
  const a = m ? parseDurationValue(m[1]!.trim()) : undefined;
  const b = m ? parseDurationValue(m[2]!.trim()) : undefined;
  if (!a?.ok || !b?.ok || a.seconds <= 0 || b.seconds <= a.seconds) {
    throw new UserError(t("cli:cmd.range", { range: quote(args.range!) }));
  }
  if (!Number.isSafeInteger(args.steps) || args.steps < 2 || args.steps > 200) {
    throw new UserError(t("cli:cmd.steps", { steps: args.steps }));
  }
  return Array.from({ length: args.steps }, (_, i) => {
    const f = i / (args.steps - 1);
    // Logarithmic spacing by default: from an hour to ten days, each step is the same factor.
    const s = Math.round(args.linear ? a.seconds + f * (b.seconds - a.seconds) : a.seconds * (b.seconds / a.seconds) ** f);
    return { value: s, label: human(s), seconds: s };
  });
}

/** One scenario file's points: each compiled and estimated before anything runs. */
interface Plan {
  name: string;
  points: { label: string; seconds: number | null; text: string; model: Model; estimate: SizeEstimate }[];
}

export async function sweepCommand(args: SweepArgs, io: Io): Promise<number> {
  const path = checkSweep(args);
  const values = sweepValues(args);
  // Every point of every variant is compiled and estimated before anything runs.
  const plans: Plan[] = [];
  for (const file of args.scenarios) plans.push(await plan(file, path, values, args, io));
  const all = plans.flatMap((p) => p.points.map((pt) => ({ estimate: pt.estimate, times: args.runs })));
  const largest = plans.flatMap((p) => p.points.map((pt) => pt.estimate)).reduce((a, b) => (a.messages > b.messages ? a : b));
  guardWork(combine(all), t("cli:cmd.sweepWhat", { names: plans.map((p) => p.name).join(", "), points: values.length, count: args.runs }), args.allowLarge ?? false, largest);

  // The same seed for every point: the first scenario's unless --seed.
  const seed = args.seed ?? plans[0]!.points[0]!.model.seed;
  const outFor = (names: string[]) => args.out ?? join("output", `sweep-${names.join("-vs-")}`.slice(0, 120));
  const protect = { inputs: args.scenarios };
  checkOutputDir(outFor(plans.map((p) => p.points[0]!.model.name)), protect);
  const series: SweepSeries[] = [];
  for (const p of plans) {
    const points: SweepPoint[] = [];
    for (const pt of p.points) points.push(await runPoint(p.name, pt, seed, args));
    // Named as its last point's scenario names itself (a sweep may vary the name).
    series.push({ variant: p.points.at(-1)!.model.name, points });
  }
  const outDir = outFor(series.map((s) => s.variant));
  const files: OutputFile[] = [
    { name: "results.json", data: `${JSON.stringify({ meta: { tool: "mxsim", version: toolVersion(), seed, runs: args.runs, parameter: args.set }, series }, null, 2)}\n` },
    { name: "sweep.csv", data: sweepCsv(args.set, seed, series) },
  ];
  const charts: { name: string; png: string }[] = [];
  for (const c of args.charts ? sweepCharts(args.set, series) : []) {
    const png = await renderPng(c.config);
    files.push({ name: `${c.name}.png`, data: png });
    charts.push({ name: c.name, png: png.toString("base64") });
  }
  files.push({ name: "sweep.html", data: sweepHtml({ param: args.set, seed, runs: args.runs, series, version: toolVersion(), charts }) });
  writeOutputDir(outDir, files, protect);
  io.stdout(`mxsim sweep of ${quote(args.set)} (seed ${seed}${args.runs > 1 ? `, mean of ${args.runs} runs per point` : ""})\n${sweepTable(series)}\n`);
  io.stdout(`Wrote ${showPath(outDir)}/: ${files.map((f) => f.name).join(", ")}\n`);
  return EXIT_OK;
}

/** --set as a path into the YAML (numbers index lists), after checking --set, --runs, standard input and --seed. */
function checkSweep(args: SweepArgs): (string | number)[] {
  const path = args.set.split("/").filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (path.length === 0) throw new UserError(t("cli:cmd.setEmpty"));
  if (!Number.isSafeInteger(args.runs) || args.runs < 1 || args.runs > 10000) throw new UserError(t("cli:cmd.runs", { runs: args.runs, example: 5 }));
  if (args.scenarios.filter(isStdin).length > 1) {
    throw new UserError(t("cli:cmd.stdinOnce", { command: "mxsim sweep" }));
  }
  checkSeed(args.seed);
  return path;
}

/** The points of one scenario file: a copy of its YAML for each value, compiled and estimated. */
async function plan(file: string, path: (string | number)[], values: SweepValue[], args: SweepArgs, io: Io): Promise<Plan> {
  const base = compileScenario(await readScenarioSource(file), sourceName(file));
  reportWarnings(base, io, args.strict ?? false);
  const doc = parseDocument(base.text);
  if (!doc.hasIn(path)) {
    throw new UserError(t("cli:cmd.setMissing", { name: base.name, set: quote(args.set) }));
  }
  const points = values.map((v) => {
    const copy = doc.clone();
    copy.setIn(path, v.value);
    const text = String(copy);
    const loaded = loadScenario(text, `${base.name} (${cut(escapeControls(args.set), 60)} = ${v.label})`);
    if (!loaded.ok) throw new UserError(formatDiagnostic(loaded.diagnostics[0]!));
    return { label: v.label, seconds: v.seconds, text, model: loaded.model, estimate: estimateRun(loaded.model, { files: false, story: false }) };
  });
  return { name: base.name, points };
}

/**
 * One point: a run here, or --runs replications on worker threads, each sending back its summary and
 * what became of all its mail (the percentiles over all mail need every message of every run).
 */
async function runPoint(name: string, pt: Plan["points"][number], seed: number, args: SweepArgs): Promise<SweepPoint> {
  const limits = watchdogFor(pt.estimate);
  if (args.runs > 1) {
    const numbers = await replicate({ text: pt.text, file: name, seed, from: 0, to: args.runs, threads: args.threads ?? defaultThreads(), limits, outcomes: true });
    return sweepPoint(pt.label, pt.seconds, numbers.map((n) => ({ summary: n.summary, outcomes: n.outcomes! })));
  }
  const result = await runSimulation(pt.model, { seed, run: 0, sink: NULL_SINK, limits, name });
  return sweepPoint(pt.label, pt.seconds, [{ summary: summarize(result), outcomes: mailOutcomes(result) }]);
}
