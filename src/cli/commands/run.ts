/** `mxsim run <scenario.yaml>`: simulate, print the summary, write the output folder. */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { simulate } from "../../core/simulate.js";
import { charts, messageTimelineChart } from "../../report/charts.js";
import { explain, explainText, instructiveMessage, messageAttempts } from "../../report/explain.js";
import { CHART_NOTES, reportHtml, type ReportChart } from "../../report/html.js";
import { attemptsCsv, messagesCsv, notificationsCsv, queueCsv } from "../../report/csv.js";
import { resultsJson, type Replications } from "../../report/results-json.js";
import { summarize } from "../../report/summary.js";
import { summaryTable } from "../../report/summary-table.js";
import { EXIT_OK, UserError } from "../exit-codes.js";
import { defaultThreads, replicate } from "../replicate.js";
import { aggregate, replicationsTable, runsCsv } from "../../report/replications.js";
import { loadModelFile } from "../io.js";
import { checkReplaceable, writeOutputDir, type OutputFile } from "../output-dir.js";
import { renderPng } from "../render-png.js";
import type { Io } from "../cli.js";
import { toolVersion } from "../version.js";

export interface RunArgs {
  scenario: string;
  /** Replications (default 1). */
  runs?: number;
  /** Worker threads for replications (default: the machine's cores). */
  threads?: number;
  out?: string;
  seed?: number;
  json: boolean;
  charts: boolean;
  color: boolean;
}

export async function runCommand(args: RunArgs, io: Io): Promise<number> {
  const { model, bytes } = loadModelFile(args.scenario, args.seed);
  const outDir = args.out ?? join("output", model.name);
  checkReplaceable(outDir);

  const runs = args.runs ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 10000) throw new UserError(`--runs ${args.runs}: write a whole number from 1 to 10000, e.g. --runs 20`);
  const threads = args.threads ?? defaultThreads();
  if (!Number.isSafeInteger(threads) || threads < 1) throw new UserError(`--threads ${args.threads}: write a whole number from 1, e.g. --threads 2`);

  const result = simulate(model, { seed: args.seed });
  const summary = summarize(result);
  let replications: Replications | undefined;
  if (runs > 1) {
    // Run 0 is the one simulated here, for the per-message files and charts; the others run on worker threads.
    const others = await replicate(bytes.toString("utf8"), args.scenario, result.seed, 1, runs, threads);
    const all = [summary, ...others];
    replications = { runs: all, aggregate: aggregate(all) };
  }
  const json = resultsJson(
    result,
    summary,
    { tool: "mxsim", version: toolVersion(), scenarioSha256: createHash("sha256").update(bytes).digest("hex") },
    replications,
  );
  const files: OutputFile[] = [
    { name: "results.json", data: json },
    { name: "messages.csv", data: messagesCsv(result) },
    { name: "attempts.csv", data: attemptsCsv(result) },
    { name: "queue.csv", data: queueCsv(result) },
    { name: "notifications.csv", data: notificationsCsv(result) },
    ...(replications ? [{ name: "runs.csv", data: runsCsv(model.name, result.seed, replications.runs) }] : []),
  ];
  const storyMessage = result.messages.count > 0 ? instructiveMessage(result) : -1;
  const steps = storyMessage >= 0 ? explain(result, storyMessage) : ["The run created no messages."];
  files.push({ name: "story.txt", data: `${explainText(steps)}\n` });
  const reportCharts: ReportChart[] = [];
  let storyChart: string | undefined;
  if (args.charts) {
    for (const chart of charts(result, summary)) {
      const png = await renderPng(chart.config);
      files.push({ name: `${chart.name}.png`, data: png });
      reportCharts.push({ ...CHART_NOTES[chart.name]!, png: png.toString("base64") });
    }
    if (storyMessage >= 0) {
      const png = await renderPng(messageTimelineChart(result, storyMessage, messageAttempts(result, storyMessage)).config);
      files.push({ name: "message-timeline.png", data: png });
      storyChart = png.toString("base64");
    }
  }
  files.push({
    name: "report.html",
    data: reportHtml({
      model,
      summary,
      seed: result.seed,
      version: toolVersion(),
      charts: reportCharts,
      story: { message: storyMessage, steps, chart: storyChart },
    }),
  });
  writeOutputDir(outDir, files);

  if (args.json) {
    io.stdout(json);
    io.stderr(`mxsim: wrote ${outDir}/ (${files.map((f) => f.name).join(", ")})\n`);
  } else {
    if (replications) {
      io.stdout(`mxsim: ${model.name} (seed ${result.seed}, ${runs} runs with independent random streams)\n`);
      io.stdout(`${replicationsTable(replications.aggregate, runs)}\n`);
      io.stdout("The per-message files, the charts and the report show run 0.\n");
    } else io.stdout(`${summaryTable(model, summary, { color: args.color, seed: result.seed })}\n`);
    io.stdout(`Wrote ${outDir}/: ${files.map((f) => f.name).join(", ")}\n`);
  }
  return EXIT_OK;
}
