#!/usr/bin/env node
import pc from "picocolors";
import { runCli } from "./cli.js";

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  color: pc.isColorSupported && process.stdout.isTTY === true,
});
