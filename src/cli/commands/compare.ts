/** `mxsim compare a.yaml b.yaml …`: several scenarios on the same seed, side by side. */
import { basename, join } from "node:path";
import { NULL_SINK } from "../../core/attempt-log.js";
import { simulate } from "../../core/simulate.js";
import { compareCsv, compareLatencyChart, compareQueueChart, compareTable, type Variant } from "../../report/compare.js";
import { summarize } from "../../report/summary.js";
import type { Io } from "../cli.js";
import { EXIT_OK, UserError } from "../exit-codes.js";
import { loadModelFile } from "../io.js";
import { checkReplaceable, writeOutputDir, type OutputFile } from "../output-dir.js";
import { renderPng } from "../render-png.js";
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
}

export async function compareCommand(args: CompareArgs, io: Io): Promise<number> {
  if (args.scenarios.length < 2) {
    throw new UserError("mxsim compare: give two scenario files or more, e.g. mxsim compare scenarios/compare/*.yaml");
  }
  const loaded = args.scenarios.map((file) => ({ file, ...loadModelFile(file, args.seed, args.allowLarge) }));
  // The same seed for every scenario, so differences come from the setups, not from luck.
  const seed = args.seed ?? loaded[0]!.model.seed;
  const names = loaded.map((l) => l.model.name);
  const unique = new Set(names).size === names.length;
  const variants: Variant[] = loaded.map((l) => {
    const result = simulate(l.model, { seed, sink: NULL_SINK });
    return { name: unique ? l.model.name : basename(l.file), result, summary: summarize(result) };
  });
  const outDir = args.out ?? join("output", `compare-${variants.map((v) => v.name).join("-vs-")}`.slice(0, 120));
  checkReplaceable(outDir);
  const json = `${JSON.stringify(
    { meta: { tool: "mxsim", version: toolVersion(), seed }, scenarios: variants.map((v) => ({ name: v.name, summary: v.summary })) },
    null,
    2,
  )}\n`;
  const files: OutputFile[] = [
    // results.json marks the folder as an mxsim output, so a later run may replace it.
    { name: "results.json", data: json },
    { name: "compare.csv", data: compareCsv(variants) },
  ];
  if (args.charts) {
    for (const chart of [compareQueueChart(variants), compareLatencyChart(variants)]) {
      files.push({ name: `${chart.name}.png`, data: await renderPng(chart.config) });
    }
  }
  writeOutputDir(outDir, files);
  if (args.json) {
    io.stdout(json);
    io.stderr(`mxsim: wrote ${outDir}/ (${files.map((f) => f.name).join(", ")})\n`);
  } else {
    io.stdout(`mxsim compare (seed ${seed})\n${compareTable(variants, args.color)}\n`);
    io.stdout(`Wrote ${outDir}/: ${files.map((f) => f.name).join(", ")}\n`);
  }
  return EXIT_OK;
}
