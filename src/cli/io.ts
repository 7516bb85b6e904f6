/** Reading scenario files with errors a user can act on. */
import { readFileSync, statSync } from "node:fs";
import type { Model } from "../core/model.js";
import { formatDiagnostic, loadScenario } from "../scenario/load.js";
import type { ScenarioInput } from "../scenario/schema.js";
import { UserError } from "./exit-codes.js";
import { guardSize } from "./guards.js";

/** Scenario files are small; anything larger is a mistake or an attack. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

export function readScenarioFile(path: string): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UserError(`${path}: is a folder; give a scenario file, e.g. scenarios/02-article-outage.yaml`);
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`${path}: no such file; give a scenario file, e.g. scenarios/02-article-outage.yaml`);
    throw new UserError(`${path}: cannot read (${code ?? (e as Error).message})`);
  }
  if (size > MAX_SCENARIO_BYTES) {
    throw new UserError(`${path}: ${size} bytes is too large for a scenario (limit ${MAX_SCENARIO_BYTES}); check that this is the right file`);
  }
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Reads and compiles a scenario file; a bad file or a bad --seed is a UserError (exit 2). */
export function loadModelFile(path: string, seed?: number, allowLarge = false): { model: Model; bytes: Buffer; input: ScenarioInput } {
  const bytes = readScenarioFile(path);
  const loaded = loadScenario(bytes.toString("utf8"), path);
  if (!loaded.ok) {
    const lines = loaded.diagnostics.map(formatDiagnostic);
    throw new UserError(lines[0]!, lines);
  }
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new UserError(`--seed ${seed}: write a whole number from 0, e.g. --seed 7`);
  }
  guardSize(loaded.model, path, allowLarge);
  return { model: loaded.model, bytes, input: loaded.input };
}
