/** `mxsim profiles [mta...]`: each profile's retry schedule for a message that can never be delivered. */
import { t } from "../../i18n/index.js";
import { MTA_NAMES, MTA_SETTINGS, PROFILE_DEFAULTS, type MtaName } from "../../core/profile.js";
import { neverDeliverable } from "../../report/profile-schedule.js";
import { scheduleText } from "../text/schedule-table.js";
import { didYouMean } from "../../scenario/did-you-mean.js";
import { defineCommand, type Io } from "../types.js";
import { EXIT_OK, UserError } from "../exit-codes.js";

export const profilesModule = defineCommand({
  command: "profiles [mta..]",
  describe: "print each MTA profile's retry schedule for a message that can never be delivered, and when it bounces",
  builder: (y) =>
    y
      .positional("mta", { type: "string", array: true, default: [] as string[], describe: "profiles to show (default: all)" })
      .option("json", { type: "boolean", default: false, describe: "print the schedules as JSON" })
      .example("$0 profiles qmail", "Life with qmail's table: 40 attempts, bounce at 7-01:00:00")
      .example("$0 profiles postfix exim", "compare two MTAs"),
  run: (a, io) => profilesCommand({ mta: (a.mta ?? []).map(String), json: a.json }, io),
});

export function profilesCommand(args: { mta: string[]; json: boolean }, io: Io): number {
  for (const name of args.mta) {
    if (!MTA_NAMES.includes(name as MtaName)) {
      const hint = didYouMean(name, MTA_NAMES) || t("cli:cmd.writeOneOf", { names: MTA_NAMES.join(", ") });
      throw new UserError(t("cli:cmd.notProfile", { name: `"${name}"`, hint }));
    }
  }
  const names = (args.mta.length > 0 ? args.mta : MTA_NAMES) as MtaName[];
  const schedules = names.map((n) => neverDeliverable(PROFILE_DEFAULTS[n]));
  // With --json each schedule carries the profile's settings: the default of each, and where a provider's comes from.
  const withSettings = schedules.map((s) => ({
    ...s,
    settings: MTA_SETTINGS[s.mta].map((o) => ({ key: o.key, default: (PROFILE_DEFAULTS[s.mta] as unknown as Record<string, unknown>)[o.key], ...(o.source ? { source: o.source } : {}) })),
  }));
  if (args.json) io.stdout(`${JSON.stringify(withSettings, null, 2)}\n`);
  else io.stdout(`${schedules.map((s) => scheduleText(s)).join("\n\n")}\n`);
  return EXIT_OK;
}
