/** `mxsim run <scenario.yaml>`: simulate, print the summary, write the output folder. */
import { t } from "../../i18n/index.js";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Model } from "../../core/model.js";
import { expectedMessages, nodesOf, type RunResult } from "../../core/simulate.js";
import { charts, messageTimelineChart } from "../../report/charts.js";
import { deliveryByProfileChart } from "../../report/profile-charts.js";
import { explain, explainText, messageAttempts } from "../../report/explain.js";
import { defaultStory } from "../../report/story-pick.js";
import { CHART_NOTES, reportHtml, type ReportChart } from "../../report/html.js";
import { messagesCsv, queueCsvChunks } from "../../report/csv.js";
import { resultsJson, type Replications } from "../../report/results-json.js";
import { summarize, type Summary } from "../../report/summary.js";
import { summaryTable } from "../text/summary-table.js";
import { replicationsTable } from "../text/replications-table.js";
import { checkExpectations, checkText, type Check } from "../../report/expectations.js";
import { exitCodeFor, UserError } from "../exit-codes.js";
import { defaultThreads, replicate } from "../replicate.js";
import { aggregate, runsCsv } from "../../report/replications.js";
import { loadModelFile, reportWarnings, type LoadedScenario } from "../io.js";
import { combine, estimateRun, guardWork, watchdogFor, type WorkLimits } from "../guards.js";
import { runSimulation, turn } from "../run-simulation.js";
import { showPath } from "../../scenario/quote.js";
import { CsvSink, samplingStride } from "../csv-sink.js";
import { OutputDir } from "../output-dir.js";
import { progress } from "../progress.js";
import { withMessageLog } from "../story.js";
import { renderPng } from "../render-png.js";
import { defineCommand, type Io } from "../types.js";
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
  /** Warnings are errors. */
  strict?: boolean;
}

export const runModule = defineCommand({
  command: "run <scenario>",
  describe: "simulate a scenario file; print a summary, write results, CSV files and charts",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario YAML file (- reads standard input)" })
      .option("out", { type: "string", describe: "output folder (default: output/<scenario name>/)" })
      .option("seed", { type: "number", describe: "seed for every random stream (overrides the scenario's)" })
      .option("json", { type: "boolean", default: false, describe: "print results.json on stdout instead of the table" })
      .option("charts", { type: "boolean", default: true, describe: "draw PNG charts (--no-charts to skip)" })
      .option("runs", { type: "number", default: 1, describe: "replications with independent random streams; the summary shows means with 95% CIs" })
      .option("threads", { type: "number", describe: "worker threads for --runs (default: the machine's cores)" })
      .example("$0 run scenarios/02-article-outage.yaml", "the article's 36-hour outage")
      .example("$0 run scenarios/02-article-outage.yaml --runs 20", "20 replications: means with confidence intervals")
      .example("$0 run scenarios/01-normal-week.yaml --seed 7 --out /tmp/q", "another seed, another folder"),
  run: (a, io) =>
    runCommand(
      {
        scenario: a.scenario,
        out: a.out,
        seed: a.seed,
        json: a.json,
        charts: a.charts,
        color: io.color,
        runs: a.runs,
        threads: a.threads,
        allowLarge: a.allowLarge,
        strict: a.strict,
      },
      io,
    ),
});

export async function runCommand(args: RunArgs, io: Io): Promise<number> {
  const { runs, threads } = checkCounts(args);
  const loaded = await loadModelFile(args.scenario, args.seed);
  const { model } = loaded;
  reportWarnings(loaded, io, args.strict ?? false);
  const outDir = args.out ?? join("output", model.name);
  // Run 0 writes the per-message files; the other replications only summarise.
  const single = estimateRun(model, { files: true, story: true });
  const other = estimateRun(model, { files: false, story: false });
  guardWork(combine([{ estimate: single, times: 1 }, { estimate: other, times: runs - 1 }]), loaded.name, args.allowLarge ?? false, single);
  const limits = watchdogFor(single);

  const out = new OutputDir(outDir, { inputs: [args.scenario] });
  try {
    const { result, sink } = await simulateFirst(loaded, args.seed, out, limits);
    const summary = summarize(result);
    const checks = loaded.input.expect ? checkExpectations(loaded.input.expect, summary) : [];
    let replications: Replications | undefined;
    if (runs > 1) {
      // Run 0 is the one simulated here, for the per-message files and charts; the others run on worker threads.
      const others = (await replicate({ text: loaded.text, file: loaded.name, seed: result.seed, from: 1, to: runs, threads, limits: watchdogFor(other) })).map((n) => n.summary);
      const all = [summary, ...others];
      replications = { runs: all, aggregate: aggregate(all) };
    }
    const json = resultsJson(
      result,
      summary,
      {
        tool: "mxsim",
        version: toolVersion(),
        scenarioSha256: createHash("sha256").update(loaded.bytes).digest("hex"),
        attemptsSampledEvery: sink.every,
      },
      replications,
      checks,
    );
    out.file("results.json", json);
    await writeTables(out, result);
    if (replications) out.file("runs.csv", runsCsv(model.name, result.seed, replications.runs));
    await writeStoryAndReport(out, { result, summary, sink, limits, charts: args.charts, scenarioText: loaded.text });
    out.commit();
    report(io, { args, model, seed: result.seed, summary, replications, json, outDir, names: out.names, checks });
    return exitCodeFor(checks);
  } catch (e) {
    out.abort();
    throw e;
  }
}

/** --runs and --threads, checked; --threads defaults to the machine's cores. */
function checkCounts(args: RunArgs): { runs: number; threads: number } {
  const runs = args.runs ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 10000) throw new UserError(t("cli:cmd.runs", { runs: args.runs, example: 20 }));
  const threads = args.threads ?? defaultThreads();
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 1024) throw new UserError(t("cli:cmd.threads", { threads: args.threads }));
  return { runs, threads };
}

/** Run 0, with attempts.csv and notifications.csv streamed to `out` as it goes and a progress bar on a terminal. */
async function simulateFirst(loaded: LoadedScenario, seed: number | undefined, out: OutputDir, limits: WorkLimits): Promise<{ result: RunResult; sink: CsvSink }> {
  const { model } = loaded;
  const ctx = { model, nodes: nodesOf(model), seed: seed ?? model.seed, run: 0 };
  const every = samplingStride(expectedMessages(model));
  const sink = new CsvSink(ctx, out.stream("attempts.csv"), out.stream("notifications.csv"), every);
  const bar = progress(model.duration);
  const result = await runSimulation(model, {
    seed,
    sink,
    onProgress: bar?.tick,
    limits,
    bytesWritten: () => out.bytes,
    name: loaded.name,
  });
  bar?.stop();
  sink.finish();
  await turn();
  return { result, sink };
}

/** messages.csv and queue.csv, streamed in chunks that give the event loop a turn (Ctrl-C stays prompt). */
async function writeTables(out: OutputDir, result: RunResult): Promise<void> {
  const messages = out.stream("messages.csv");
  let chunks = 0;
  for (const chunk of messagesCsv(result)) {
    messages.write(chunk);
    if (++chunks % 32 === 0) await turn();
  }
  await turn();
  const queue = out.stream("queue.csv");
  for (const chunk of queueCsvChunks(result)) {
    queue.write(chunk);
    if (++chunks % 32 === 0) await turn();
  }
}

interface StoryInput {
  result: RunResult;
  summary: Summary;
  /** Run 0's sink: the attempts it kept for stories. */
  sink: CsvSink;
  limits: WorkLimits;
  /** Draw the PNG charts (--charts). */
  charts: boolean;
  /** The scenario file's text, for report.html. */
  scenarioText: string;
}

/** story.txt (an instructive message's life), the charts and report.html. */
async function writeStoryAndReport(out: OutputDir, { result, summary, sink, limits, charts: drawCharts, scenarioText }: StoryInput): Promise<void> {
  const storyMessage = result.messages.count > 0 ? defaultStory({ ...result, attempts: sink.story }).message : -1;
  const storyRun = storyMessage >= 0 ? await withMessageLog(result, sink.story, (m) => sink.hasStory(m), storyMessage, limits) : result;
  const steps = storyMessage >= 0 ? explain(storyRun, storyMessage) : [t("report:html.noMessages")];
  out.file("story.txt", `${explainText(steps)}\n`);
  const reportCharts: ReportChart[] = [];
  let storyChart: string | undefined;
  if (drawCharts) {
    const byProfile = deliveryByProfileChart(result, summary);
    for (const chart of [...charts(result, summary), ...(byProfile ? [byProfile] : [])]) {
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
      model: result.model,
      summary,
      seed: result.seed,
      version: toolVersion(),
      charts: reportCharts,
      story: { message: storyMessage, steps, chart: storyChart },
      scenarioText,
    }),
  );
}

/** What the terminal is told about a finished run. */
interface RunReport {
  args: RunArgs;
  model: Model;
  seed: number;
  summary: Summary;
  replications: Replications | undefined;
  /** results.json, printed with --json. */
  json: string;
  outDir: string;
  /** The files written, in order. */
  names: string[];
  checks: Check[];
}

function report(io: Io, { args, model, seed, summary, replications, json, outDir, names, checks }: RunReport): void {
  if (args.json) {
    io.stdout(json);
    io.stderr(`${t("report:run.wroteJson", { dir: showPath(outDir), names: names.join(", ") })}\n`);
    return;
  }
  if (replications) {
    const runs = replications.runs.length;
    io.stdout(`${t("report:run.replications", { name: model.name, seed, runs })}\n`);
    io.stdout(`${replicationsTable(replications.aggregate, runs)}\n`);
    io.stdout(`${t("report:run.run0")}\n`);
  } else io.stdout(`${summaryTable(model, summary, { color: args.color, seed })}\n`);
  if (checks.length > 0) {
    const failed = checks.filter((c) => !c.ok).length;
    io.stdout(`${t("report:run.expectations", { state: failed === 0 ? t("report:run.allMet") : t("report:run.broken", { count: failed, n: failed }) })}\n`);
    // The verdicts padded to one width, so the checks line up ("ok    " / "BROKEN").
    const [ok, broken] = [t("report:run.ok"), t("report:run.BROKEN")];
    const width = Math.max(ok.length, broken.length);
    for (const c of checks) io.stdout(`  ${(c.ok ? ok : broken).padEnd(width)} ${checkText(c)}\n`);
  }
  io.stdout(`${t("report:run.wrote", { dir: showPath(outDir), names: names.join(", ") })}\n`);
}
