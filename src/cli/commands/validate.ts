/** `mxsim validate <file...>`: checks scenarios without running them. */
import type { Io } from "../cli.js";
import { EXIT_OK, EXIT_USAGE, UserError } from "../exit-codes.js";
import { loadModelFile } from "../io.js";
import { expectedMessages } from "../../core/simulate.js";

export function validateCommand(files: string[], io: Io): number {
  let failed = 0;
  for (const file of files) {
    try {
      const { model } = loadModelFile(file, undefined, true);
      io.stdout(
        `${file}: ok (${model.name}: ${model.servers.length} servers, ${model.senders.length} senders, about ` +
          `${Math.round(expectedMessages(model))} messages over ${model.duration / 86400} days)\n`,
      );
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      failed++;
      io.stderr(`${e.lines.join("\n")}\n`);
    }
  }
  return failed > 0 ? EXIT_USAGE : EXIT_OK;
}
