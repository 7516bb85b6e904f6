/**
 * results.json: what a run produced, as data. No wall-clock time and no file
 * paths, so two runs of the same scenario and seed compare byte for byte.
 */
import type { RunResult } from "../core/simulate.js";
import { isoAt } from "./format.js";
import type { Check } from "./expectations.js";
import type { Estimate } from "./replications.js";
import type { Summary } from "./summary.js";

export interface ResultsMeta {
  tool: "mxsim";
  version: string;
  /** SHA-256 of the scenario file's bytes. */
  scenarioSha256: string;
  /** attempts.csv holds the attempts of every message whose id is a multiple of this (1: all). */
  attemptsSampledEvery?: number;
}

/** With `--runs N`: every run's summary and each metric's mean with its 95% confidence interval. */
export interface Replications {
  runs: Summary[];
  aggregate: Record<string, Estimate | null>;
}

export function resultsJson(r: RunResult, summary: Summary, meta: ResultsMeta, replications?: Replications, checks: Check[] = []): string {
  const { model } = r;
  const doc = {
    meta: {
      tool: meta.tool,
      version: meta.version,
      scenario: model.name,
      scenario_sha256: meta.scenarioSha256,
      seed: r.seed,
      run: r.run,
      start: isoAt(model.startEpochMs, 0),
      duration_s: model.duration,
      attempts_csv: meta.attemptsSampledEvery && meta.attemptsSampledEvery > 1 ? `messages whose id is a multiple of ${meta.attemptsSampledEvery}` : "all messages",
    },
    description: model.description,
    outages: model.servers.flatMap((s, i) =>
      r.outages[i]!.map((w) => ({
        server: s.name,
        mode: w.mode,
        start_s: w.start,
        end_s: w.end,
        start_at: isoAt(model.startEpochMs, w.start),
        end_at: isoAt(model.startEpochMs, w.end),
      })),
    ),
    summary,
    ...(checks.length > 0 ? { expectations: checks } : {}),
    ...(replications ? { replications: { runs: replications.runs.length, aggregate: replications.aggregate, per_run: replications.runs } } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
