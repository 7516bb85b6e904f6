/** `mxsim profiles [mta...]`: each profile's retry schedule for a message that can never be delivered. */
import { MTA_NAMES, PROFILE_DEFAULTS, type MtaName } from "../../core/profile.js";
import { neverDeliverable } from "../../report/profile-schedule.js";
import { scheduleText } from "../text/schedule-table.js";
import { didYouMean } from "../../scenario/did-you-mean.js";
import type { Io } from "../cli.js";
import { EXIT_OK, UserError } from "../exit-codes.js";

export function profilesCommand(args: { mta: string[]; json: boolean }, io: Io): number {
  for (const name of args.mta) {
    if (!MTA_NAMES.includes(name as MtaName)) {
      const hint = didYouMean(name, MTA_NAMES) || `; write one of: ${MTA_NAMES.join(", ")}`;
      throw new UserError(`mxsim profiles: "${name}" is not an MTA profile${hint}`);
    }
  }
  const names = (args.mta.length > 0 ? args.mta : MTA_NAMES) as MtaName[];
  const schedules = names.map((n) => neverDeliverable(PROFILE_DEFAULTS[n]));
  if (args.json) io.stdout(`${JSON.stringify(schedules, null, 2)}\n`);
  else io.stdout(`${schedules.map((s) => scheduleText(s)).join("\n\n")}\n`);
  return EXIT_OK;
}
