#!/usr/bin/env node
import pc from "picocolors";
import { runCli } from "./cli.js";
import { abortUnfinished } from "./output-dir.js";

// Ctrl-C: remove the output folder being written (the previous one, if any, stays as it was) and exit 130.
// The handler runs between the phases of a run (a simulation itself runs to its end first).
process.on("SIGINT", () => {
  abortUnfinished();
  process.stderr.write("\nmxsim: interrupted; no output was written\n");
  process.exit(130);
});

// Output piped into a command that stops reading (`mxsim profiles | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  color: pc.isColorSupported && process.stdout.isTTY === true,
});
