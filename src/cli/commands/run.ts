/** `mxsim run <scenario.yaml>`: simulate, print the summary, write the output folder. */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Model } from "../../core/model.js";
import { expectedMessages, nodesOf, simulate } from "../../core/simulate.js";
import { charts, messageTimelineChart } from "../../report/charts.js";
import { explain, explainText, instructiveMessage, messageAttempts } from "../../report/explain.js";
import { CHART_NOTES, reportHtml, type ReportChart } from "../../report/html.js";
import { messagesCsv, queueCsv } from "../../report/csv.js";
import { resultsJson, type Replications } from "../../report/results-json.js";
import { summarize, type Summary } from "../../report/summary.js";
import { summaryTable } from "../../report/summary-table.js";
import { checkExpectations, type Check } from "../../report/expectations.js";
import { exitCodeFor, UserError } from "../exit-codes.js";
import { defaultThreads, replicate } from "../replicate.js";
import { aggregate, replicationsTable, runsCsv } from "../../report/replications.js";
import { loadModelFile } from "../io.js";
import { CsvSink, samplingStride } from "../csv-sink.js";
import { OutputDir } from "../output-dir.js";
import { progress } from "../progress.js";
import { withMessageLog } from "../story.js";
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
  /** Run past the resource guards. */
  allowLarge?: boolean;
}

export async function runCommand(args: RunArgs, io: Io): Promise<number> {
  const { model, bytes, input } = loadModelFile(args.scenario, args.seed, args.allowLarge);
  const outDir = args.out ?? join("output", model.name);

  const runs = args.runs ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 10000) throw new UserError(`--runs ${args.runs}: write a whole number from 1 to 10000, e.g. --runs 20`);
  const threads = args.threads ?? defaultThreads();
  if (!Number.isSafeInteger(threads) || threads < 1) throw new UserError(`--threads ${args.threads}: write a whole number from 1, e.g. --threads 2`);

  const out = new OutputDir(outDir);
  try {
    const ctx = { model, nodes: nodesOf(model), seed: args.seed ?? model.seed, run: 0 };
    const every = samplingStride(expectedMessages(model));
    const sink = new CsvSink(ctx, out.stream("attempts.csv"), out.stream("notifications.csv"), every);
    const bar = progress(model.duration);
    const result = simulate(model, { seed: args.seed, sink, onProgress: bar?.tick });
    bar?.stop();
    sink.finish();
    await phaseBreak();
    const summary = summarize(result);
    const checks = input.expect ? checkExpectations(input.expect, summary) : [];
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
      {
        tool: "mxsim",
        version: toolVersion(),
        scenarioSha256: createHash("sha256").update(bytes).digest("hex"),
        attemptsSampledEvery: every,
      },
      replications,
      checks,
    );
    out.file("results.json", json);
    const messages = out.stream("messages.csv");
    for (const chunk of messagesCsv(result)) messages.write(chunk);
    await phaseBreak();
    out.file("queue.csv", queueCsv(result));
    if (replications) out.file("runs.csv", runsCsv(model.name, result.seed, replications.runs));

    const storyMessage = result.messages.count > 0 ? instructiveMessage(result) : -1;
    const storyRun = storyMessage >= 0 ? withMessageLog(result, sink.story, (m) => sink.hasStory(m), storyMessage) : result;
    const steps = storyMessage >= 0 ? explain(storyRun, storyMessage) : ["The run created no messages."];
    out.file("story.txt", `${explainText(steps)}\n`);
    const reportCharts: ReportChart[] = [];
    let storyChart: string | undefined;
    if (args.charts) {
      for (const chart of charts(result, summary)) {
        const png = await renderPng(chart.config);
        out.file(`${chart.name}.png`, png);
        reportCharts.push({ ...CHART_NOTES[chart.name]!, png: png.toString("base64") });
      }
      if (storyMessage >= 0) {
        const png = await renderPng(messageTimelineChart(storyRun, storyMessage, messageAttempts(storyRun, storyMessage)).config);
        out.file("message-timeline.png", png);
        storyChart = png.toString("base64");
      }
    }
    out.file(
      "report.html",
      reportHtml({
        model,
        summary,
        seed: result.seed,
        version: toolVersion(),
        charts: reportCharts,
        story: { message: storyMessage, steps, chart: storyChart },
      }),
    );
    out.commit();
    report(args, io, model, result.seed, runs, summary, replications, json, outDir, out.names, checks);
    return exitCodeFor(checks);
  } catch (e) {
    out.abort();
    throw e;
  }
}

/** Lets pending signals (Ctrl-C) be handled between the phases of a long run. */
function phaseBreak(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function report(
  args: RunArgs,
  io: Io,
  model: Model,
  seed: number,
  runs: number,
  summary: Summary,
  replications: Replications | undefined,
  json: string,
  outDir: string,
  names: string[],
  checks: Check[],
): void {
  if (args.json) {
    io.stdout(json);
    io.stderr(`mxsim: wrote ${outDir}/ (${names.join(", ")})\n`);
    return;
  }
  if (replications) {
    io.stdout(`mxsim: ${model.name} (seed ${seed}, ${runs} runs with independent random streams)\n`);
    io.stdout(`${replicationsTable(replications.aggregate, runs)}\n`);
    io.stdout("The per-message files, the charts and the report show run 0.\n");
  } else io.stdout(`${summaryTable(model, summary, { color: args.color, seed })}\n`);
  if (checks.length > 0) {
    const failed = checks.filter((c) => !c.ok).length;
    io.stdout(`Expectations (${failed === 0 ? "all met" : `${failed} broken: exit code 1`}):\n`);
    for (const c of checks) io.stdout(`  ${c.ok ? "ok    " : "BROKEN"} ${c.text}\n`);
  }
  io.stdout(`Wrote ${outDir}/: ${names.join(", ")}\n`);
}
