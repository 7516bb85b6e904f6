/** `mxsim init [file]`: writes a commented starter scenario ("-": prints it). */
import { t } from "../../i18n/index.js";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FAILURE_MODES } from "../../core/failure-modes.js";
import { MTA_NAMES, PROFILE_INFO } from "../../core/profile.js";
import { showPath } from "../../scenario/quote.js";
import { defineCommand, type Io } from "../types.js";
import { EXIT_OK, UserError } from "../exit-codes.js";
import { resolveTarget, writeFileWhole } from "../output-dir.js";
import { readRegularHead } from "../read-file.js";
import { isStdin } from "../io.js";

export const initModule = defineCommand({
  command: "init [file]",
  describe: "write a commented starter scenario",
  builder: (y) =>
    y
      .positional("file", { type: "string", default: "scenario.yaml", describe: "where to write it" })
      .option("force", { type: "boolean", default: false, describe: "overwrite an existing file" }),
  run: (a, io) => initCommand(a.file, a.force, io),
});

/** The line that marks a file as a starter mxsim init wrote: `--force` replaces only such files. */
const STARTER_MARK = "# A starter scenario for mxsim (written by mxsim init).";

/** The starter, with `$SCHEMA` standing for the path to the JSON Schema as seen from the new file. */
export const STARTER = `# yaml-language-server: $schema=$SCHEMA
${STARTER_MARK} Run it with: mxsim run <this file>
# Every key is explained in the README ("Scenario format"); an editor with
# yaml-language-server completes and checks them from the schema above.
name: my-domain
description: >-
  My domain with a primary and a backup MX; the primary is down for a day.
seed: 1
start: 2024-01-01T00:00:00Z
duration: 4d                    # how much time to simulate

dns:
  example.com:
    mx:
      - { preference: 10, host: mx1.example.com }   # the primary: lowest preference
      - { preference: 20, host: mx2.example.com }   # the backup MX

servers:
  mx1.example.com:
    role: mailbox                # holds the mailboxes
    domains: [example.com]
    outages:
      - { start: 1d, duration: 24h, mode: refused }  # ${FAILURE_MODES.join(", ")}
  mx2.example.com:
    role: relay                  # queues mail for example.com and forwards it
    relay_domains: [example.com]
    routes: { example.com: mx1.example.com }
    mta: postfix                 # ${MTA_NAMES.filter((n) => !PROFILE_INFO[n].sender).join(", ")}

senders:
  internet:
    to: example.com
    rate: 30/h                   # Poisson arrivals, split by the shares below
    mix: { microsoft365: 40%, gmail: 40%, postfix: 20% }   # any of: ${MTA_NAMES.join(", ")}
  small-host.example:
    to: example.com
    rate: 5/h
    mta: qmail

# expect:                       # uncomment to make mxsim exit 1 when the run breaks these bounds
#   bounced: 0
#   p95_latency: 12h
`;

/** True when the file at `path` is a starter that mxsim init wrote (its second line says so). */
function isStarter(path: string): boolean {
  try {
    return readRegularHead(path, 4096).toString("utf8").split("\n")[1]?.startsWith(STARTER_MARK) ?? false;
  } catch {
    return false;
  }
}

export function initCommand(file: string, force: boolean, io: Io): number {
  const schema = fileURLToPath(new URL("../../../schema/scenario.schema.json", import.meta.url));
  if (isStdin(file)) {
    io.stdout(STARTER.replace("$SCHEMA", schema));
    return EXIT_OK;
  }
  const { stat } = resolveTarget(file);
  const shown = showPath(file);
  if (stat?.isFile() && !force) throw new UserError(t("cli:cmd.initExists", { path: shown }));
  if (stat?.isFile() && !isStarter(file)) {
    throw new UserError(t("cli:cmd.initNotOurs", { path: shown }));
  }
  const path = relative(dirname(resolve(file)), schema);
  writeFileWhole(file, STARTER.replace("$SCHEMA", path), { option: "mxsim init", example: "scenario.yaml", mayReplace: isStarter });
  io.stdout(`wrote ${shown}; run it with: mxsim run ${shown}\n`);
  return EXIT_OK;
}
