/**
 * The settings a scenario may override in each MTA profile, under the names
 * the MTA's own configuration uses (qmail control files, Postfix main.cf,
 * Exim's configure, sendmail.cf options, smtpd.conf, Exchange cmdlets). Each
 * MTA declares its settings and the checks between them in its own file
 * (core/profiles/<name>.ts); the scenario schema, the compiler and the
 * warnings are built from this view of them.
 */
import { MTA_SETTINGS } from "../core/profile.js";

export { profileProblems } from "../core/profile.js";
export type { LongUnit, OptionKind, OptionProblem, OptionSpec } from "../core/profile.js";

export const MTA_OPTIONS = MTA_SETTINGS;
