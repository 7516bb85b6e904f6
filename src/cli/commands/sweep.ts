/**
 * `mxsim sweep <scenario...> --set <path> --values a,b,c` (or `--range a..b --steps n`):
 * one scenario value varied over a list, for each scenario given as a variant.
 */
import { join } from "node:path";
import { parseDocument } from "yaml";
import { NULL_SINK } from "../../core/attempt-log.js";
import { simulate } from "../../core/simulate.js";
import { human } from "../../report/format.js";
import { summarize, type Summary } from "../../report/summary.js";
import { sweepCharts, sweepCsv, sweepTable, type SweepPoint, type SweepSeries } from "../../report/sweep.js";
import { parseDurationValue } from "../../scenario/duration.js";
import { formatDiagnostic, loadScenario } from "../../scenario/load.js";
import type { Io } from "../cli.js";
import { EXIT_OK, UserError } from "../exit-codes.js";
import { readScenarioFile } from "../io.js";
import { guardSize } from "../guards.js";
import { checkReplaceable, writeOutputDir, type OutputFile } from "../output-dir.js";
import { renderPng } from "../render-png.js";
import { defaultThreads, replicate } from "../replicate.js";
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
}

/** The sweep's values as written into the scenario, with their sizes in seconds when they are durations. */
function sweepValues(args: SweepArgs): { value: string | number; label: string; seconds: number | null }[] {
  if ((args.values === undefined) === (args.range === undefined)) {
    throw new UserError("mxsim sweep: give --values a,b,c or --range a..b (with --steps n), e.g. --values 1h,12h,1d,3d,7d,10d");
  }
  if (args.values !== undefined) {
    const list = args.values.split(",").map((v) => v.trim()).filter(Boolean);
    if (list.length < 2) throw new UserError(`--values ${args.values}: give two values or more, separated by commas, e.g. 1h,1d,7d`);
    return list.map((v) => {
      const d = parseDurationValue(v);
      return { value: v, label: v, seconds: d.ok ? d.seconds : null };
    });
  }
  const m = /^(.+)\.\.(.+)$/.exec(args.range!);
  const a = m ? parseDurationValue(m[1]!.trim()) : undefined;
  const b = m ? parseDurationValue(m[2]!.trim()) : undefined;
  if (!a?.ok || !b?.ok || a.seconds <= 0 || b.seconds <= a.seconds) {
    throw new UserError(`--range ${args.range}: write two durations, the smaller first, e.g. --range 1h..10d`);
  }
  if (!Number.isSafeInteger(args.steps) || args.steps < 2 || args.steps > 200) {
    throw new UserError(`--steps ${args.steps}: write a whole number from 2 to 200, e.g. --steps 12`);
  }
  return Array.from({ length: args.steps }, (_, i) => {
    const f = i / (args.steps - 1);
    // Logarithmic spacing by default: from an hour to ten days, each step is the same factor.
    const s = Math.round(args.linear ? a.seconds + f * (b.seconds - a.seconds) : a.seconds * (b.seconds / a.seconds) ** f);
    return { value: s, label: human(s), seconds: s };
  });
}

function point(label: string, seconds: number | null, runs: Summary[]): SweepPoint {
  const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  const p95s = runs.map((s) => s.latency.overall?.p95_s).filter((x): x is number => x !== undefined);
  const created = mean(runs.map((s) => s.messages.created));
  const bounced = mean(runs.map((s) => s.messages.bounced));
  return {
    value: label,
    seconds,
    created,
    bounced,
    queued: mean(runs.map((s) => s.messages.still_queued)),
    bounceRate: mean(runs.map((s) => (s.messages.created ? (100 * s.messages.bounced) / s.messages.created : 0))),
    p95: p95s.length ? mean(p95s) : null,
  };
}

export async function sweepCommand(args: SweepArgs, io: Io): Promise<number> {
  const path = args.set.split("/").filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (path.length === 0) throw new UserError("--set: name the value to vary as a path, e.g. --set servers/fcmx1.blyx.com/outages/0/duration");
  if (!Number.isSafeInteger(args.runs) || args.runs < 1) throw new UserError(`--runs ${args.runs}: write a whole number from 1, e.g. --runs 5`);
  const values = sweepValues(args);
  const series: SweepSeries[] = [];
  let seed = args.seed;
  for (const file of args.scenarios) {
    const text = readScenarioFile(file).toString("utf8");
    const doc = parseDocument(text);
    if (doc.errors.length > 0 || !doc.hasIn(path)) {
      const base = loadScenario(text, file);
      if (!base.ok) throw new UserError(formatDiagnostic(base.diagnostics[0]!));
      throw new UserError(`${file}: has no ${args.set}; give the path of an existing value, e.g. servers/<host>/outages/0/duration`);
    }
    let variant = file;
    const points: SweepPoint[] = [];
    for (const v of values) {
      const copy = doc.clone();
      copy.setIn(path, v.value);
      const variantText = String(copy);
      const loaded = loadScenario(variantText, `${file} (${args.set} = ${v.label})`);
      if (!loaded.ok) throw new UserError(formatDiagnostic(loaded.diagnostics[0]!));
      guardSize(loaded.model, file, args.allowLarge ?? false);
      variant = loaded.model.name;
      seed ??= loaded.model.seed;
      const runs =
        args.runs > 1
          ? await replicate(variantText, file, seed, 0, args.runs, args.threads ?? defaultThreads())
          : [summarize(simulate(loaded.model, { seed, sink: NULL_SINK }))];
      points.push(point(v.label, v.seconds, runs));
    }
    series.push({ variant, points });
  }
  const outDir = args.out ?? join("output", `sweep-${series.map((s) => s.variant).join("-vs-")}`.slice(0, 120));
  checkReplaceable(outDir);
  const files: OutputFile[] = [
    { name: "results.json", data: `${JSON.stringify({ meta: { tool: "mxsim", version: toolVersion(), seed, runs: args.runs, parameter: args.set }, series }, null, 2)}\n` },
    { name: "sweep.csv", data: sweepCsv(args.set, seed!, series) },
  ];
  if (args.charts) for (const c of sweepCharts(args.set, series)) files.push({ name: `${c.name}.png`, data: await renderPng(c.config) });
  writeOutputDir(outDir, files);
  io.stdout(`mxsim sweep of ${args.set} (seed ${seed}${args.runs > 1 ? `, mean of ${args.runs} runs per point` : ""})\n${sweepTable(args.set, series)}\n`);
  io.stdout(`Wrote ${outDir}/: ${files.map((f) => f.name).join(", ")}\n`);
  return EXIT_OK;
}
