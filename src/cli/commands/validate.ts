/** `mxsim validate <file...>`: checks scenarios without running them. */
import { t } from "../../i18n/index.js";
import { num } from "../../report/report-text.js";
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
        large = t("cli:validate.large");
      }
      const counts = {
        file: loaded.name,
        name: model.name,
        servers: t("cli:validate.servers", { count: model.servers.length }),
        senders: t("cli:validate.senders", { count: model.senders.length }),
        messages: num(Math.round(expectedMessages(model))),
        duration: human(model.duration),
        large,
      };
      io.stdout(`${t("cli:validate.ok", counts)}\n`);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      failed++;
      io.stderr(`${e.lines.join("\n")}\n`);
    }
  }
  return failed > 0 ? EXIT_USAGE : EXIT_OK;
}
