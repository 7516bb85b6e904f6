/** `mxsim explain <scenario> [--message ID]`: the life of one message, in numbered steps and as a chart. */
import { renameSync, writeFileSync } from "node:fs";
import { AttemptLog } from "../../core/attempt-log.js";
import { simulate } from "../../core/simulate.js";
import { STORY_WINDOW } from "../csv-sink.js";
import { withMessageLog } from "../story.js";
import { messageTimelineChart } from "../../report/charts.js";
import { explain, explainText, instructiveMessage, messageAttempts } from "../../report/explain.js";
import type { Io } from "../cli.js";
import { EXIT_OK, UserError } from "../exit-codes.js";
import { loadModelFile } from "../io.js";
import { renderPng } from "../render-png.js";

export interface ExplainArgs {
  scenario: string;
  message?: number;
  seed?: number;
  chart?: string;
  /** Run past the resource guards. */
  allowLarge?: boolean;
}

export async function explainCommand(args: ExplainArgs, io: Io): Promise<number> {
  const { model } = loadModelFile(args.scenario, args.seed, args.allowLarge);
  // Keep the records of the first messages; another message's are gathered by a second, identical run.
  const kept = new AttemptLog((id) => id < STORY_WINDOW);
  const first = simulate(model, { seed: args.seed, sink: kept });
  let m = args.message ?? instructiveMessage(first);
  if (!Number.isSafeInteger(m) || m < 0 || m >= first.messages.count) {
    throw new UserError(
      `--message ${args.message}: this run has messages 0 to ${first.messages.count - 1}; pick one of them, or leave --message out for an instructive one`,
    );
  }
  const result = withMessageLog(first, kept, (id) => id < STORY_WINDOW, m);
  io.stdout(`${explainText(explain(result, m))}\n`);
  if (args.chart) {
    const png = await renderPng(messageTimelineChart(result, m, messageAttempts(result, m)).config);
    // Written under a temporary name and renamed, so the file is whole or absent.
    const tmp = `${args.chart}.tmp-${process.pid}`;
    writeFileSync(tmp, png);
    renameSync(tmp, args.chart);
    io.stderr(`mxsim: wrote ${args.chart}\n`);
  }
  return EXIT_OK;
}
