/** `mxsim explain <scenario> [--message ID]`: the life of one message, in numbered steps and as a chart. */
import { AttemptLog } from "../../core/attempt-log.js";
import { STORY_WINDOW } from "../csv-sink.js";
import { withMessageLog } from "../story.js";
import { messageTimelineChart } from "../../report/charts.js";
import { explain, explainText, messageAttempts } from "../../report/explain.js";
import { defaultStory, noSuchStory, pickMessage, STORY_PICKS, type StoryPick } from "../../report/story-pick.js";
import type { RunResult } from "../../core/simulate.js";
import { didYouMean } from "../../scenario/did-you-mean.js";
import { quote } from "../../scenario/quote.js";
import { showPath } from "../../scenario/quote.js";
import { defineCommand, type Io } from "../types.js";
import { EXIT_OK, UserError } from "../exit-codes.js";
import { estimateRun, guardWork, watchdogFor } from "../guards.js";
import { loadModelFile, reportWarnings } from "../io.js";
import { resolveTarget, writeFileWhole } from "../output-dir.js";
import { isMxsimPng, renderPng } from "../render-png.js";
import { runSimulation } from "../run-simulation.js";
import { t } from "../../i18n/index.js";

export interface ExplainArgs {
  scenario: string;
  message?: number;
  /** The kind of story: the first message of that kind. */
  pick?: string;
  seed?: number;
  chart?: string;
  /** Run past the resource guards. */
  allowLarge?: boolean;
  /** Warnings are errors. */
  strict?: boolean;
}

export const explainModule = defineCommand({
  command: "explain <scenario>",
  describe: "tell the life of one message in numbered steps: the MX lookup, each connection, each retry, the end",
  builder: (y) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "scenario YAML file" })
      .option("message", { type: "number", describe: "message id (default: the scenario's story:, else an instructive one, e.g. the first via the secondary)" })
      .option("pick", { type: "string", describe: `the first message of a kind: ${STORY_PICKS.join(", ")}` })
      .option("seed", { type: "number", describe: "seed for every random stream (overrides the scenario's)" })
      .option("chart", { type: "string", describe: "also draw the message's timeline to this PNG file" })
      .example("$0 explain scenarios/02-article-outage.yaml", "the first message that went through the secondary")
      .example("$0 explain scenarios/03-saturated-primary.yaml --message 40 --chart /tmp/m40.png", "one message, with its chart")
      .example("$0 explain scenarios/07-spam-backscatter.yaml --pick backscatter", "a DSN that lands on an innocent third party"),
  run: (a, io) =>
    explainCommand({ scenario: a.scenario, message: a.message, pick: a.pick, seed: a.seed, chart: a.chart, allowLarge: a.allowLarge, strict: a.strict }, io),
});

/** The picked story's message, or the scenario's default story (saying so when the run has none of its kind). */
function chooseMessage(r: RunResult, kept: AttemptLog, pick: StoryPick | undefined, io: Io): number {
  if (pick !== undefined) {
    const m = pickMessage(r, pick, kept);
    if (m < 0) throw new UserError(t("explain:cmd.noSuchPick", { pick, why: noSuchStory(r, pick, kept) }));
    return m;
  }
  const story = defaultStory(r, kept);
  if (story.missing !== undefined) {
    io.stderr(`${t("explain:cmd.storyMissing", { pick: story.missing, why: noSuchStory(r, story.missing, kept), message: String(story.message) })}\n`);
  }
  return story.message;
}

const CHART_OPTION = { option: "--chart", example: "message.png", mayReplace: isMxsimPng };

export async function explainCommand(args: ExplainArgs, io: Io): Promise<number> {
  if (args.pick !== undefined && args.message !== undefined) throw new UserError(t("explain:cmd.both"));
  if (args.pick !== undefined && !(STORY_PICKS as readonly string[]).includes(args.pick)) {
    const hint = didYouMean(args.pick, STORY_PICKS) || t("explain:cmd.writeOneOf", { list: STORY_PICKS.join(", ") });
    throw new UserError(t("explain:cmd.unknownPick", { pick: quote(args.pick), hint }));
  }
  const loaded = await loadModelFile(args.scenario, args.seed);
  const { model } = loaded;
  reportWarnings(loaded, io, args.strict ?? false);
  if (args.chart !== undefined) {
    // A chart file in the way is reported before the work, not after it.
    const { stat } = resolveTarget(args.chart);
    if (args.chart === "" || args.chart.endsWith("/") || stat?.isDirectory()) {
      throw new UserError(t("explain:cmd.chartFolder", { path: showPath(args.chart) }));
    }
    if (stat && !stat.isFile()) throw new UserError(t("explain:cmd.chartNotFile", { path: showPath(args.chart) }));
    if (stat && !isMxsimPng(args.chart)) throw new UserError(t("explain:cmd.chartNotOurs", { path: showPath(args.chart) }));
  }
  const estimate = estimateRun(model, { files: false, story: true });
  guardWork(estimate, loaded.name, args.allowLarge ?? false);
  const limits = watchdogFor(estimate);
  // Keep the records of the first messages; another message's are gathered by a second, identical run.
  const kept = new AttemptLog((id) => id < STORY_WINDOW);
  const first = await runSimulation(model, { seed: args.seed, sink: kept, limits, name: loaded.name });
  const m = args.message ?? chooseMessage(first, kept, args.pick as StoryPick | undefined, io);
  if (!Number.isSafeInteger(m) || m < 0 || m >= first.messages.count) {
    throw new UserError(
      first.messages.count === 0
        ? t("explain:cmd.noMessages")
        : t("explain:cmd.messageRange", { message: String(args.message), last: String(first.messages.count - 1) }),
    );
  }
  const result = await withMessageLog(first, kept, (id) => id < STORY_WINDOW, m, limits);
  const text = `${explainText(explain(result, m))}\n`;
  if (args.chart !== undefined) {
    // Written whole (a temporary file, renamed) before the story is printed.
    const png = await renderPng(messageTimelineChart(result, m, messageAttempts(result, m)).config);
    writeFileWhole(args.chart, png, CHART_OPTION);
  }
  io.stdout(text);
  if (args.chart !== undefined) io.stderr(`${t("explain:cmd.wrote", { path: showPath(args.chart) })}\n`);
  return EXIT_OK;
}
