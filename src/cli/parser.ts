/**
 * mxsim's yargs parser: the commands given, the options every command takes,
 * the checks before a command runs, and yargs' own complaints as UserErrors
 * (exit 2), each pointing at --help.
 */
import yargs, { type Argv } from "yargs";
import { cut, escapeControls } from "../scenario/quote.js";
import { EXIT_OK, UserError } from "./exit-codes.js";
import { STDIN_ARG } from "./io.js";
import type { Command, GlobalOptions, Io } from "./types.js";
import { toolVersion } from "./version.js";
import { lang, LANGS, t } from "../i18n/index.js";

/**
 * An option given twice (`--out a --out b`, `--charts --no-charts`) is a
 * mistake (which one was meant?), not "the last one wins". Every mxsim option
 * takes one value.
 */
function checkRepeatedOptions(argv: string[]): void {
  const seen = new Map<string, string>();
  // (yargs would make an array of a repeated value, and let the last of two booleans win)
  for (const a of argv) {
    if (a === "--") break;
    if (!a.startsWith("--") || a.length < 3) continue;
    const name = a.slice(2).split("=")[0]!.replace(/^no-/, "");
    if (seen.has(name)) throw new UserError(t("cli:parse.twice", { name: cut(escapeControls(name), 40) }));
    seen.set(name, a);
  }
}

/** How yargs' complaint about a missing positional (a scenario file) begins, in each language. */
const NOT_ENOUGH = { en: "Not enough non-option arguments", es: "faltan argumentos" } as const;

/**
 * yargs' own Spanish (its locales/es.json) says "tú" and leaves out the opening "¿": mxsim's messages
 * say "usted". English keeps yargs' words.
 */
const YARGS_STRINGS: Record<"en" | "es", Record<string, string | { one: string; other: string }>> = {
  en: {},
  es: {
    "Not enough non-option arguments: got %s, need at least %s": {
      one: "faltan argumentos: se dio %s, se necesita al menos %s",
      other: "faltan argumentos: se dieron %s, se necesitan al menos %s",
    },
    "Too many non-option arguments: got %s, maximum of %s": {
      one: "demasiados argumentos: se dio %s, el máximo es %s",
      other: "demasiados argumentos: se dieron %s, el máximo es %s",
    },
    "Missing argument value: %s": { one: "falta el valor de la opción %s", other: "falta el valor de las opciones %s" },
    "Missing required argument: %s": { one: "falta la opción obligatoria %s", other: "faltan las opciones obligatorias %s" },
    "Unknown argument: %s": { one: "opción desconocida: %s", other: "opciones desconocidas: %s" },
    "Unknown command: %s": { one: "orden desconocida: %s", other: "órdenes desconocidas: %s" },
    "Invalid values:": "Valores no válidos:",
    "Argument: %s, Given: %s, Choices: %s": "Opción: %s; dada: %s; valores posibles: %s",
    "Not enough arguments following: %s": "Faltan argumentos después de %s",
    "Did you mean %s?": "¿Quiso decir %s?",
    "Show help": "Muestra la ayuda",
    "Show version number": "Muestra el número de versión",
  },
};

/** The parser of `commands`; the command that runs gives its exit code to `done`. */
function parser(commands: readonly Command[], io: Io, done: (code: number) => void): Argv {
  let y = yargs()
    .scriptName("mxsim")
    // yargs' own words (Options:, Show help) in mxsim's language, not the one yargs would guess from the environment.
    .locale(lang())
    // (yargs takes plural forms too, though its type says strings only)
    .updateStrings(YARGS_STRINGS[lang()] as Record<string, string>)
    .usage("$0 <command> [options]\n\nSimulate what happens to mail when a primary MX goes down and a secondary queues it.");
  for (const c of commands) {
    y = y.command(c.command, c.describe, (b) => c.builder(b), async (a) => done(await c.run(a as typeof a & GlobalOptions, io)));
  }
  return y
    .option("allow-large", {
      type: "boolean",
      default: false,
      global: true,
      describe: "run scenarios larger than the resource guards allow (10 million messages, 800 million events or connections, 4 GB of memory, 2 GB written)",
    })
    .option("lang", {
      type: "string",
      global: true,
      describe: `language of the summary, stories, charts, report.html and messages: ${LANGS.join(" or ")} (default: from LC_ALL, LC_MESSAGES or LANG; else en)`,
    })
    .option("strict", {
      type: "boolean",
      default: false,
      global: true,
      describe: "treat warnings (an outage outside the run, a server no mail reaches, a bare number that may mean hours) as errors: exit 2",
    })
    .middleware((a) => {
      // "-" means standard input for a scenario only; the files mxsim writes need a name.
      for (const key of ["out", "chart"] as const) {
        if (a[key] === STDIN_ARG) throw new UserError(t(key === "out" ? "cli:parse.outStdin" : "cli:parse.chartStdin"));
      }
    }, true)
    .demandCommand(1, t("cli:parse.noCommand"))
    .strict()
    .recommendCommands()
    .version(toolVersion())
    .help()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      const text = msg.startsWith(NOT_ENOUGH[lang()]) ? t("cli:parse.noScenario") : `mxsim: ${msg}`;
      throw new UserError(t("cli:parse.seeHelp", { text }));
    });
}

/**
 * Parses `argv` and runs the command it names. Returns the command's exit
 * code (0 when none ran: --help, --version) and what yargs printed itself.
 */
export async function parseAndRun(commands: readonly Command[], argv: string[], io: Io): Promise<{ code: number; printed: string }> {
  checkRepeatedOptions(argv);
  let code = EXIT_OK;
  let printed = "";
  // A lone "-" (standard input) would not survive yargs: pass it as a token no path can be.
  const args = argv.map((a) => (a === "-" ? STDIN_ARG : a));
  await parser(commands, io, (c) => (code = c)).parseAsync(args, {}, (_err, _argv, output) => {
    printed = output;
  });
  return { code, printed };
}
