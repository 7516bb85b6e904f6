/** `mxsim validate <file...>`: checks scenarios without running them. */
import { t } from "../../i18n/index.js";
import { defineCommand, type Io } from "../types.js";
import { EXIT_OK, EXIT_USAGE, UserError } from "../exit-codes.js";
import { estimateRun, guardWork } from "../guards.js";
import { isStdin, loadModelFile, reportWarnings } from "../io.js";
import { expectedMessages } from "../../core/simulate.js";
import { human } from "../../report/format.js";

export const validateModule = defineCommand({
  command: "validate <files..>",
  describe: "check scenario files without running them (exit 0 when all are valid, 2 otherwise)",
  builder: (y) => y.positional("files", { type: "string", array: true, demandOption: true, describe: "scenario YAML files" }),
  run: (a, io) => validateCommand((a.files ?? []).map(String), io, a.strict),
});

export async function validateCommand(files: string[], io: Io, strict = false): Promise<number> {
  let failed = 0;
  if (files.filter(isStdin).length > 1) throw new UserError(t("cli:cmd.validateStdin"));
  for (const file of files) {
    try {
      const loaded = await loadModelFile(file);
      const { model } = loaded;
      reportWarnings(loaded, io, strict);
      const e = estimateRun(model, { files: true, story: true });
      let large = "";
      try {
        guardWork(e, loaded.name, false);
      } catch (g) {
        if (!(g instanceof UserError)) throw g;
        large = "; larger than the resource guards allow: run it with --allow-large";
      }
      io.stdout(
        `${loaded.name}: ok (${model.name}: ${model.servers.length} servers, ${model.senders.length} senders, about ` +
          `${Math.round(expectedMessages(model))} messages over ${human(model.duration)}${large})\n`,
      );
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      failed++;
      io.stderr(`${e.lines.join("\n")}\n`);
    }
  }
  return failed > 0 ? EXIT_USAGE : EXIT_OK;
}
