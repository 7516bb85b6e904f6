/**
 * The command line: argument parsing and error handling around the commands.
 * `runCli` returns the exit code instead of exiting, so tests call it in-process.
 */
import yargs from "yargs";
import { compareCommand } from "./commands/compare.js";
import { explainCommand } from "./commands/explain.js";
import { initCommand } from "./commands/init.js";
import { validateCommand } from "./commands/validate.js";
import { profilesCommand } from "./commands/profiles.js";
import { runCommand } from "./commands/run.js";
import { sweepCommand } from "./commands/sweep.js";
import { EnvironmentError, EXIT_ENVIRONMENT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, isSystemError, reasonOf, UserError } from "./exit-codes.js";
import { cut, escapeControls, showPath } from "../scenario/quote.js";
import { STDIN_ARG } from "./io.js";
import { toolVersion } from "./version.js";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour in the summary table (a terminal that supports it). */
  color: boolean;
}

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
    if (seen.has(name)) throw new UserError(`mxsim: --${cut(escapeControls(name), 40)} is given twice; give it once; see mxsim --help`);
    seen.set(name, a);
  }
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  let exitCode = EXIT_OK;
  const parser = yargs()
    .scriptName("mxsim")
    .usage("$0 <command> [options]\n\nSimulate what happens to mail when a primary MX goes down and a secondary queues it.")
    .command(
      "run <scenario>",
      "simulate a scenario file; print a summary, write results, CSV files and charts",
      (y) =>
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
      async (a) => {
        exitCode = await runCommand(
          {
            scenario: a.scenario,
            out: a.out,
            seed: a.seed,
            json: a.json,
            charts: a.charts,
            color: io.color,
            runs: a.runs,
            threads: a.threads,
            allowLarge: a.allowLarge as boolean,
            strict: a.strict as boolean,
          },
          io,
        );
      },
    )
    .command(
      "compare <scenarios..>",
      "run several scenarios on the same seed and show them side by side",
      (y) =>
        y
          .positional("scenarios", { type: "string", array: true, demandOption: true, describe: "scenario YAML files" })
          .option("seed", { type: "number", describe: "seed for every scenario (default: the first scenario's)" })
          .option("out", { type: "string", describe: "output folder (default: output/compare-<names>/)" })
          .option("json", { type: "boolean", default: false, describe: "print the comparison as JSON instead of the table" })
          .option("charts", { type: "boolean", default: true, describe: "draw the overlaid charts (--no-charts to skip)" })
          .example("$0 compare scenarios/compare/*.yaml", "no secondary vs qmail vs Postfix secondary vs a cluster"),
      async (a) => {
        exitCode = await compareCommand(
          {
            scenarios: (a.scenarios ?? []).map(String),
            seed: a.seed,
            out: a.out,
            json: a.json,
            charts: a.charts,
            color: io.color,
            allowLarge: a.allowLarge as boolean,
            strict: a.strict as boolean,
          },
          io,
        );
      },
    )
    .command(
      "sweep <scenarios..>",
      "vary one scenario value over a list; chart the bounce rate and the p95 latency against it",
      (y) =>
        y
          .positional("scenarios", { type: "string", array: true, demandOption: true, describe: "scenario YAML files (one line each)" })
          .option("set", { type: "string", demandOption: true, describe: "the value to vary, as a path: servers/<host>/outages/0/duration" })
          .option("values", { type: "string", describe: "comma-separated values, e.g. 1h,12h,1d,3d,7d,10d" })
          .option("range", { type: "string", describe: "a range of durations, e.g. 1h..10d (log-spaced; see --steps, --linear)" })
          .option("steps", { type: "number", default: 12, describe: "points of a --range" })
          .option("linear", { type: "boolean", default: false, describe: "space a --range linearly instead of logarithmically" })
          .option("seed", { type: "number", describe: "seed for every point (default: the first scenario's)" })
          .option("runs", { type: "number", default: 1, describe: "replications per point (their mean is shown)" })
          .option("threads", { type: "number", describe: "worker threads for --runs (default: the machine's cores)" })
          .option("out", { type: "string", describe: "output folder (default: output/sweep-<names>/)" })
          .option("charts", { type: "boolean", default: true, describe: "draw the charts (--no-charts to skip)" })
          .example(
            "$0 sweep scenarios/compare/1-no-secondary.yaml scenarios/compare/2-qmail-secondary.yaml --set servers/fcmx1.blyx.com/outages/0/duration --range 1h..10d",
            "outage length from an hour to ten days",
          ),
      async (a) => {
        exitCode = await sweepCommand(
          {
            scenarios: (a.scenarios ?? []).map(String),
            set: a.set,
            values: a.values,
            range: a.range,
            steps: a.steps,
            linear: a.linear,
            seed: a.seed,
            runs: a.runs,
            threads: a.threads,
            out: a.out,
            charts: a.charts,
            allowLarge: a.allowLarge as boolean,
            strict: a.strict as boolean,
          },
          io,
        );
      },
    )
    .command(
      "explain <scenario>",
      "tell the life of one message in numbered steps: the MX lookup, each connection, each retry, the end",
      (y) =>
        y
          .positional("scenario", { type: "string", demandOption: true, describe: "scenario YAML file" })
          .option("message", { type: "number", describe: "message id (default: an instructive one, e.g. the first via the secondary)" })
          .option("seed", { type: "number", describe: "seed for every random stream (overrides the scenario's)" })
          .option("chart", { type: "string", describe: "also draw the message's timeline to this PNG file" })
          .example("$0 explain scenarios/02-article-outage.yaml", "the first message that went through the secondary")
          .example("$0 explain scenarios/03-saturated-primary.yaml --message 40 --chart /tmp/m40.png", "one message, with its chart"),
      async (a) => {
        exitCode = await explainCommand(
          { scenario: a.scenario, message: a.message, seed: a.seed, chart: a.chart, allowLarge: a.allowLarge as boolean, strict: a.strict as boolean },
          io,
        );
      },
    )
    .command(
      "validate <files..>",
      "check scenario files without running them (exit 0 when all are valid, 2 otherwise)",
      (y) => y.positional("files", { type: "string", array: true, demandOption: true, describe: "scenario YAML files" }),
      async (a) => {
        exitCode = await validateCommand((a.files ?? []).map(String), io, a.strict as boolean);
      },
    )
    .command(
      "init [file]",
      "write a commented starter scenario",
      (y) =>
        y
          .positional("file", { type: "string", default: "scenario.yaml", describe: "where to write it" })
          .option("force", { type: "boolean", default: false, describe: "overwrite an existing file" }),
      (a) => {
        exitCode = initCommand(a.file, a.force, io);
      },
    )
    .command(
      "profiles [mta..]",
      "print each MTA profile's retry schedule for a message that can never be delivered, and when it bounces",
      (y) =>
        y
          .positional("mta", { type: "string", array: true, default: [] as string[], describe: "profiles to show (default: all)" })
          .option("json", { type: "boolean", default: false, describe: "print the schedules as JSON" })
          .example("$0 profiles qmail", "Life with qmail's table: 40 attempts, bounce at 7-01:00:00")
          .example("$0 profiles postfix exim", "compare two MTAs"),
      (a) => {
        exitCode = profilesCommand({ mta: (a.mta ?? []).map(String), json: a.json }, io);
      },
    )
    .option("allow-large", {
      type: "boolean",
      default: false,
      global: true,
      describe: "run scenarios larger than the resource guards allow (10 million messages, 800 million events or connections, 4 GB of memory, 2 GB written)",
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
        if (a[key] === STDIN_ARG) throw new UserError(`mxsim: --${key} -: give a ${key === "out" ? "folder" : "file"} name, e.g. --${key} ${key === "out" ? "output/run1" : "message.png"}`);
      }
    }, true)
    .demandCommand(1, "give a command, e.g. mxsim run scenarios/02-article-outage.yaml")
    .strict()
    .recommendCommands()
    .version(toolVersion())
    .help()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      const text = /Not enough non-option arguments/.test(msg)
        ? "mxsim run: give a scenario file, e.g. mxsim run scenarios/02-article-outage.yaml"
        : `mxsim: ${msg}`;
      throw new UserError(`${text}; see mxsim --help`);
    });

  try {
    checkRepeatedOptions(argv);
    let printed = "";
    // A lone "-" (standard input) would not survive yargs: pass it as a token no path can be.
    const args = argv.map((a) => (a === "-" ? STDIN_ARG : a));
    await parser.parseAsync(args, {}, (_err, _argv, output) => {
      printed = output;
    });
    if (printed) io.stdout(`${printed}\n`);
    return exitCode;
  } catch (e) {
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
      say([`mxsim: ${e.syscall === "write" || e.syscall === "open" ? "cannot write" : `${e.syscall} failed for`} ${e.path ? showPath(e.path) : "a file"}: ${reasonOf(e)}`]);
      return EXIT_ENVIRONMENT;
    }
    const err = e as Error;
    say([`mxsim: internal error: ${err.message}`, "This is a bug in mxsim; please report it with the scenario file."]);
    if (process.env.MXSIM_DEBUG) io.stderr(`${err.stack}\n`);
    return EXIT_INTERNAL;
  }
}
