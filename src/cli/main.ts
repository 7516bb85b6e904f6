#!/usr/bin/env node
import pc from "picocolors";
import { runCli } from "./cli.js";
import { EXIT_ENVIRONMENT, EXIT_SIGNAL, reasonOf } from "./exit-codes.js";
import { abortUnfinished } from "./output-dir.js";
import { t } from "../i18n/index.js";

// Ctrl-C, SIGTERM (kill, a service manager) and SIGHUP (the terminal closed): remove the output being written
// (an earlier output stays as it was) and exit 128 + the signal's number. A long simulation gives the event
// loop a turn every few tens of milliseconds (run-simulation.ts), so this runs at once.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    abortUnfinished();
    try {
      process.stderr.write(`\n${t("cli:err.interrupted", { signal })}\n`);
    } catch {
      // the terminal may be gone (SIGHUP)
    }
    process.exit(EXIT_SIGNAL[signal]);
  });
}

// Output piped into a command that stops reading (`mxsim profiles | head`) is not an error;
// standard output on a full disk (or /dev/full) is the environment's failure: exit 3.
for (const [name, stream] of [["cli:err.stdout", process.stdout], ["cli:err.stderr", process.stderr]] as const) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    abortUnfinished();
    if (stream !== process.stderr) {
      try {
        process.stderr.write(`mxsim: ${t("cli:err.cannotWrite", { path: t(name), reason: reasonOf(err) })}\n`);
      } catch {
        // nowhere left to say it
      }
    }
    process.exit(EXIT_ENVIRONMENT);
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  color: pc.isColorSupported && process.stdout.isTTY === true,
  env: process.env,
});
