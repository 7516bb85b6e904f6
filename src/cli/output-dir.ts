/**
 * Writes a run's files as a whole or not at all: everything goes into a
 * temporary folder beside the target, which is renamed into place at the end.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "./exit-codes.js";

export interface OutputFile {
  name: string;
  data: string | Uint8Array;
}

/** Throws a UserError if `dir` exists and does not look like an earlier mxsim output. */
export function checkReplaceable(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir} exists and is not a folder; choose another --out`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes("results.json")) {
    throw new UserError(`${dir} exists and is not an mxsim output folder (no results.json); choose another --out or remove it`);
  }
}

export function writeOutputDir(dir: string, files: OutputFile[]): void {
  const target = resolve(dir);
  checkReplaceable(target);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const f of files) writeFileSync(join(tmp, f.name), f.data);
    if (existsSync(target)) {
      const old = join(dirname(target), `.${basename(target)}.old-${process.pid}`);
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
