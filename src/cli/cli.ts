/**
 * The command line: the table of commands, and the policy that turns what a
 * command throws into a message and an exit code. `runCli` returns the exit
 * code instead of exiting, so tests call it in-process.
 */
import { compareModule } from "./commands/compare.js";
import { explainModule } from "./commands/explain.js";
import { initModule } from "./commands/init.js";
import { profilesModule } from "./commands/profiles.js";
import { runModule } from "./commands/run.js";
import { sweepModule } from "./commands/sweep.js";
import { validateModule } from "./commands/validate.js";
import { EnvironmentError, EXIT_ENVIRONMENT, EXIT_INTERNAL, EXIT_USAGE, isSystemError, reasonOf, UserError } from "./exit-codes.js";
import { parseAndRun } from "./parser.js";
import { cut, escapeControls, showPath } from "../scenario/quote.js";
import { langFromEnv, LANGS, parseLang, setLang, t, type Lang } from "../i18n/index.js";
import type { Command, Io } from "./types.js";

/** In the order `mxsim --help` lists them. */
const COMMANDS: readonly Command[] = [runModule, compareModule, sweepModule, explainModule, validateModule, initModule, profilesModule];

export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    setLang(chooseLang(argv, io));
    const { code, printed } = await parseAndRun(COMMANDS, argv, io);
    if (printed) io.stdout(`${printed}\n`);
    return code;
  } catch (e) {
    return failure(e, io);
  }
}

/**
 * The language asked for: `--lang` (read before yargs, so that its own messages
 * use it too), else the environment's, else English.
 */
function chooseLang(argv: string[], io: Io): Lang {
  const end = argv.indexOf("--");
  const args = end < 0 ? argv : argv.slice(0, end);
  let given: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--lang") given = args[i + 1] ?? "";
    else if (a.startsWith("--lang=")) given = a.slice("--lang=".length);
  }
  if (given === undefined) return langFromEnv(io.env ?? {});
  const chosen = parseLang(given);
  if (chosen === undefined || !/^[a-z]{2}([_-][A-Za-z]{2})?$/.test(given)) {
    setLang(langFromEnv(io.env ?? {}));
    throw new UserError(t("cli:lang.unknown", { given: cut(escapeControls(given), 40), langs: LANGS.join(", ") }));
  }
  return chosen;
}

/** What a command threw, said on stderr; the exit code for it. */
function failure(e: unknown, io: Io): number {
  // Whatever a message quotes, each line stays one line and nothing reaches the terminal as a control sequence.
  const say = (lines: string[]) => io.stderr(`${lines.map(escapeControls).join("\n")}\n`);
  if (e instanceof UserError) {
    say(e.lines);
    return EXIT_USAGE;
  }
  if (e instanceof EnvironmentError) {
    say([`mxsim: ${e.message}`]);
    return EXIT_ENVIRONMENT;
  }
  if (isSystemError(e)) {
    // A file-system failure outside the places that name their file: still the environment, not a bug.
    const path = e.path ? showPath(e.path) : t("cli:err.aFile");
    const values = { syscall: e.syscall, path, reason: reasonOf(e) };
    say([`mxsim: ${e.syscall === "write" || e.syscall === "open" ? t("cli:err.cannotWrite", values) : t("cli:err.syscallFailed", values)}`]);
    return EXIT_ENVIRONMENT;
  }
  const err = e as Error;
  say([t("cli:err.internal", { message: err.message }), t("cli:err.bug")]);
  if (process.env.MXSIM_DEBUG) io.stderr(`${err.stack}\n`);
  return EXIT_INTERNAL;
}
