/**
 * The README's failure-mode table, made from the MTAs' failover tables
 * (profiles/*.ts) and their default connect and greeting timeouts, so the prose cannot
 * drift from the code (test/report/failover-table.test.ts checks the README).
 */
import { FAILURE_INFO, FAILURE_MODES, type FailureMode } from "../core/failure-modes.js";
import { failoverCell, MTA_NAMES, PROFILE_DEFAULTS, PROFILE_INFO, waitFor } from "../core/profile.js";
import { BOUNCE, DEFER, NEXT } from "../core/profiles/common.js";
import type { Profile } from "../core/profile.js";

const seconds = (s: number) => (s >= 300 && s % 60 === 0 ? `${s / 60} min` : `${s} s`);

/** What one MTA does on one mode at a host that is not the last MX (and on the last, when that differs from deferring). */
export function failoverWords(p: Profile, mode: FailureMode): string {
  const cell = failoverCell(p, mode);
  const first = cell.notLast === NEXT ? "next" : cell.notLast === DEFER ? "**defer**" : "bounce";
  // A connect or greeting timeout: what the MTA does, and how long it waits first.
  const wait = waitFor(p, mode) > 0 ? ` after ${seconds(waitFor(p, mode))}` : "";
  const onLast = cell.notLast === NEXT && cell.last === BOUNCE ? " (bounce on the last MX)" : "";
  return first + wait + onLast;
}

/**
 * The table's columns: each MTA a server can run, then one for the providers' senders, which share one
 * rule set (profiles/providers.ts) and so one column, shown with `custom`'s defaults.
 */
const COLUMNS: { title: string; profile: Profile }[] = [
  ...MTA_NAMES.filter((n) => !PROFILE_INFO[n].sender).map((n) => ({ title: PROFILE_INFO[n].name, profile: PROFILE_DEFAULTS[n] as Profile })),
  { title: "provider senders", profile: PROFILE_DEFAULTS.custom },
];

/** The markdown table: a row per failure mode, a column per MTA (with its default settings). */
export function failoverTableMarkdown(): string {
  const head = `| mode | meaning | ${COLUMNS.map((c) => c.title).join(" | ")} |`;
  const rule = `|${" --- |".repeat(COLUMNS.length + 2)}`;
  const rows = FAILURE_MODES.map((m) => `| \`${m}\` | ${FAILURE_INFO[m].schema} | ${COLUMNS.map((c) => failoverWords(c.profile, m)).join(" | ")} |`);
  return [head, rule, ...rows].join("\n");
}

export const FAILOVER_TABLE_START = "<!-- failover-table: made by `npm run readme-tables` from src/core/profiles/*.ts; do not edit -->";
export const FAILOVER_TABLE_END = "<!-- /failover-table -->";

/** The README text with its failover table block replaced by a fresh one. */
export function withFailoverTable(readme: string): string {
  const a = readme.indexOf(FAILOVER_TABLE_START);
  const b = readme.indexOf(FAILOVER_TABLE_END);
  if (a < 0 || b < a) throw new Error("README.md has no failover-table block");
  return readme.slice(0, a + FAILOVER_TABLE_START.length) + "\n" + failoverTableMarkdown() + "\n" + readme.slice(b);
}
