/** Reading scenario files (or standard input) with errors a user can act on. */
import type { Model } from "../core/model.js";
import { formatDiagnostic, loadScenario, type Diagnostic } from "../scenario/load.js";
import { showPath } from "../scenario/quote.js";
import type { ScenarioInput } from "../scenario/schema.js";
import { UserError } from "./exit-codes.js";
import { FileTooLarge, NotRegularFile, readRegularFile, readStdin, type NotRegularKind } from "./read-file.js";
import { reasonOf } from "./exit-codes.js";
import { t } from "../i18n/index.js";

/** Scenario files are small; anything larger is a mistake or an attack. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** How a scenario read from standard input is named in messages. */
export const STDIN_NAME = "<stdin>";
/**
 * What a "-" argument becomes before yargs parses the command line (yargs
 * turns a lone "-" into "" or true). No file name can contain a NUL.
 */
export const STDIN_ARG = "\u0000stdin";

/** True for the argument that means standard input ("-"). */
export const isStdin = (path: string) => path === STDIN_ARG || path === "-";

/** The name of a scenario source in messages: its path, or <stdin> for "-". */
export function sourceName(path: string): string {
  return isStdin(path) ? STDIN_NAME : showPath(path);
}

/** What to give instead, said after a bad path. */
const example = () => t("cli:read.example");

function tooLarge(name: string, e: FileTooLarge): UserError {
  const values = { name, size: e.size, limit: e.limit };
  return new UserError(e.size !== undefined ? t("cli:read.tooLargeBytes", values) : t("cli:read.tooLargeMore", values));
}

/** The bytes of a scenario file; "-" reads standard input. Bad paths are UserErrors (exit 2). */
export async function readScenarioSource(path: string, stdin: NodeJS.ReadStream = process.stdin): Promise<Buffer> {
  if (isStdin(path)) {
    if (stdin.isTTY) {
      throw new UserError(t("cli:read.stdinTty", { name: STDIN_NAME }));
    }
    try {
      return await readStdin(MAX_SCENARIO_BYTES, stdin);
    } catch (e) {
      if (e instanceof FileTooLarge) throw tooLarge(STDIN_NAME, e);
      throw new UserError(t("cli:read.cannotRead", { name: STDIN_NAME, reason: reasonOf(e) }));
    }
  }
  return readScenarioFile(path);
}

/** The catalog key (cli:read.kind.<key>) of each kind of path that is not a regular file. */
export const KIND_KEYS: Record<NotRegularKind, string> = {
  folder: "folder",
  FIFO: "fifo",
  "character device": "charDevice",
  "block device": "blockDevice",
  socket: "socket",
  "special file": "special",
};

/** The bytes of a scenario file (not standard input). */
export function readScenarioFile(path: string): Buffer {
  const name = showPath(path);
  try {
    return readRegularFile(path, MAX_SCENARIO_BYTES);
  } catch (e) {
    if (e instanceof NotRegularFile) {
      if (e.kind === "folder") throw new UserError(t("cli:read.folder", { name, example: example() }));
      throw new UserError(t("cli:read.notRegular", { name, kind: t(`cli:read.kind.${KIND_KEYS[e.kind]}`), example: example() }));
    }
    if (e instanceof FileTooLarge) throw tooLarge(name, e);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(t("cli:read.noSuchFile", { name, example: example() }));
    throw new UserError(t("cli:read.cannotRead", { name, reason: reasonOf(e) }));
  }
}

/** At most this many problems of one file are printed; the rest are counted. */
export const MAX_DIAGNOSTICS = 20;

/** Diagnostics as the lines a user sees: the first MAX_DIAGNOSTICS, then "… and N more". */
export function diagnosticLines(diagnostics: readonly Diagnostic[], total = diagnostics.length): string[] {
  const lines = diagnostics.slice(0, MAX_DIAGNOSTICS).map(formatDiagnostic);
  if (total > lines.length) lines.push(t("cli:read.more", { count: total - lines.length, file: diagnostics[0]!.file }));
  return lines;
}

export interface LoadedScenario {
  model: Model;
  bytes: Buffer;
  input: ScenarioInput;
  /** The scenario's text. */
  text: string;
  /** The name used for it in messages (its path, or <stdin>). */
  name: string;
  /** Warnings about things that will silently do nothing, as lines to print. */
  warnings: string[];
}

/** Compiles scenario bytes; a bad file is a UserError (exit 2) with at most MAX_DIAGNOSTICS lines. */
export function compileScenario(bytes: Buffer, name: string): LoadedScenario {
  const text = bytes.toString("utf8");
  const loaded = loadScenario(text, name);
  if (!loaded.ok) {
    const lines = diagnosticLines(loaded.diagnostics, loaded.total);
    throw new UserError(lines[0]!, lines);
  }
  return { model: loaded.model, bytes, input: loaded.input, text, name, warnings: loaded.warnings.map(formatDiagnostic) };
}

/** Reads and compiles a scenario ("-": standard input); a bad file or a bad --seed is a UserError (exit 2). */
export async function loadModelFile(path: string, seed?: number): Promise<LoadedScenario> {
  const bytes = await readScenarioSource(path);
  const loaded = compileScenario(bytes, sourceName(path));
  checkSeed(seed);
  return loaded;
}

export function checkSeed(seed: number | undefined): void {
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new UserError(t("cli:read.badSeed", { seed }));
  }
}

/** Prints a scenario's warnings on stderr; with --strict they are errors (exit 2, nothing run or written). */
export function reportWarnings(loaded: LoadedScenario, io: { stderr(text: string): void }, strict: boolean): void {
  const lines = loaded.warnings;
  if (lines.length === 0) return;
  if (strict) {
    const n = lines.length;
    throw new UserError(lines[0]!, [...lines, t("cli:read.strict", { name: loaded.name, count: n })]);
  }
  io.stderr(`${lines.join("\n")}\n`);
}
