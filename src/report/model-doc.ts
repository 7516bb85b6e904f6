/**
 * The generated parts of docs/model.md: each MTA's settings (names, defaults,
 * least values, meanings), what its defaults make of one attempt (timeouts,
 * hosts per attempt, messages per connection), its failover table and the
 * start of its retry schedule, plus the table of failure modes. All of it is
 * read from the registry (core/profile.ts) or, for the schedules, from runs of
 * the simulator itself (profile-schedule.ts), so the document's numbers cannot
 * drift from the code: `npm run model-doc` rewrites the blocks between the
 * markers and test/report/model-doc.test.ts fails when docs/model.md is stale.
 * The prose around the blocks is hand-written and quotes no default (the test
 * checks that too). Pure: the script does the file I/O.
 */
import { FAILURE_INFO, FAILURE_MODES, type FailureMode } from "../core/failure-modes.js";
import type { OptionKind, Source, SourceKind } from "../core/mta-rules.js";
import { BOUNCE_INFO, type BounceReason } from "../core/outcomes.js";
import {
  addressLimit,
  connectionMessages,
  connectTimeout,
  failoverCell,
  greetingTimeout,
  MTA_NAMES,
  MTA_SETTINGS,
  PROFILE_DEFAULTS,
  PROFILE_INFO,
  waitFor,
  type MtaName,
  type Profile,
} from "../core/profile.js";
import { BOUNCE, DEFER, NEXT, type FailoverAction } from "../core/profiles/common.js";
import type { RetryRule } from "../core/profiles/exim.js";
import { failoverTableMarkdown } from "./failover-table.js";
import { dhms } from "./format.js";
import { DOWN_FOR, neverDeliverable } from "./profile-schedule.js";

/** The generated blocks, in the order they appear in docs/model.md. */
export const MODEL_DOC_BLOCKS = ["failure-modes", "failover-overview", ...MTA_NAMES] as const;
export type ModelDocBlock = (typeof MODEL_DOC_BLOCKS)[number];

export const modelDocStart = (block: ModelDocBlock) =>
  `<!-- model-doc:${block}: made by \`npm run model-doc\` from src/core/profile.ts and src/core/profiles/*.ts; do not edit -->`;
export const modelDocEnd = (block: ModelDocBlock) => `<!-- /model-doc:${block} -->`;

/** How many attempts of a never-deliverable message each MTA section shows. */
export const SCHEDULE_SHOWN = 8;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;
type Unit = keyof typeof UNIT_SECONDS;

/**
 * Seconds in the scenario notation (`300s`, `5m`, `4h`, `7d`): in `unit` when it divides them (the
 * unit the setting's own example is written in), else in the largest unit that does, minutes only
 * from 5 on, as the MTAs' documentation writes them.
 */
export function durationText(s: number, unit?: Unit): string {
  if (!Number.isFinite(s)) return "no limit";
  if (s === 0) return "0s";
  if (unit !== undefined && s % UNIT_SECONDS[unit] === 0) return `${s / UNIT_SECONDS[unit]}${unit}`;
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 300 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Seconds as days, hours, minutes and seconds together, as a retry list writes them: 1654 → 27m34s. */
export function compoundDuration(s: number): string {
  const parts: string[] = [];
  let rest = s;
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join("");
}

/** The unit a setting's example is written in ("24h" → h), if it is one plain duration. */
function exampleUnit(example: unknown): Unit | undefined {
  const m = typeof example === "string" ? /^\d+([smhd])$/.exec(example) : null;
  return (m?.[1] as Unit | undefined) ?? undefined;
}

/** A time in a schedule: seconds, and days-hh:mm:ss as Life with qmail prints its table. */
const at = (s: number) => `${s} s (${dhms(s)})`;

/** A retry rule in Exim's own syntax (the inverse of scenario/exim-retry.ts). */
export function retryRuleText(rules: readonly RetryRule[]): string {
  return rules
    .map((r) => [r.kind, durationText(r.cutoff), durationText(r.p1), ...(r.kind === "G" ? [String(r.p2 / 1000)] : [])].join(","))
    .join("; ");
}

/** A list back in the syntax it is written in: runs of one interval folded as `d*n`. */
export function retryListText(seconds: readonly number[], text: (s: number) => string): string {
  if (seconds.length === 0) return "none";
  const out: string[] = [];
  for (let i = 0; i < seconds.length; ) {
    let j = i;
    while (j < seconds.length && seconds[j] === seconds[i]) j++;
    out.push(j - i > 1 ? `${text(seconds[i]!)}*${j - i}` : text(seconds[i]!));
    i = j;
  }
  return out.join(", ");
}

/** The words for each kind of source of a number, as `mxsim profiles` and `explain` print them. */
export const SOURCE_KIND_TEXT: Record<SourceKind, string> = {
  code: "source code",
  documented: "documented",
  measured: "measured",
  issue: "bug report",
  "third-party": "third-party, unverified",
  assumed: "assumed",
};

/** "[measured: Pagani et al. …]". */
export function sourceTag(s: Source): string {
  return `[${SOURCE_KIND_TEXT[s.kind]}: ${s.text}]`;
}

/** A setting's value as a scenario would write it. */
export function valueText(kind: OptionKind, value: unknown, example?: unknown): string {
  if (kind.type === "retry") return retryRuleText(value as RetryRule[]);
  if (kind.type === "intervals") return retryListText(value as number[], compoundDuration);
  if (kind.type === "duration") return durationText(value as number, exampleUnit(example));
  return String(value);
}

/** The least value a setting takes (the scenario schema's bound). */
function boundText(kind: OptionKind): string {
  if (kind.type === "duration") return `≥ ${durationText(kind.min)}`;
  if (kind.type === "count") return `≥ ${kind.min}`;
  if (kind.type === "boolean") return "true or false";
  if (kind.type === "intervals") return "a retry list";
  return "Exim's retry syntax";
}

/** A setting's description without its "(default …)" clause, which the table's own column gives. */
const meaning = (description: string) => description.replace(/\s*\(default [^)]*\)$/, "");

const cellEscape = (s: string) => s.replace(/\|/g, "\\|");

/** The table of an MTA's settings, and its numbers that are fixed (in the profile, not settings). */
export function settingsMarkdown(mta: MtaName): string {
  const defaults = PROFILE_DEFAULTS[mta] as unknown as Record<string, unknown>;
  const specs = MTA_SETTINGS[mta];
  // A provider's numbers come from different kinds of source: each row says which.
  const sourced = specs.some((s) => s.source);
  const rows = specs.map((s) => {
    const cells = [`\`${s.key}\``, cellEscape(valueText(s.kind, defaults[s.key], s.example)), boundText(s.kind), cellEscape(meaning(s.description))];
    if (sourced) cells.push(s.source ? cellEscape(sourceTag(s.source)) : "");
    return `| ${cells.join(" | ")} |`;
  });
  const head = sourced ? ["| setting | default | least value | meaning | source |", "| --- | --- | --- | --- | --- |"] : ["| setting | default | least value | meaning |", "| --- | --- | --- | --- |"];
  const out = [...head, ...rows];
  const fixed = Object.keys(defaults).filter((k) => k !== "mta" && !specs.some((s) => s.key === k));
  if (fixed.length > 0) out.push("", `Fixed in the profile, not a setting: ${fixed.map((k) => `\`${k}\` ${String(defaults[k])}`).join(", ")}.`);
  return out.join("\n");
}

/** What the defaults make of one attempt: the waits, the hosts it may try, the messages one connection carries. */
export function attemptMarkdown(p: Profile): string {
  const perConnection = connectionMessages(p);
  return [
    "| connect timeout | greeting timeout | hosts tried per attempt | messages per connection |",
    "| --- | --- | --- | --- |",
    `| ${durationText(connectTimeout(p))} | ${durationText(greetingTimeout(p))} | ${Number.isFinite(addressLimit(p)) ? addressLimit(p) : "all"} | ${
      Number.isFinite(perConnection) ? perConnection : "no limit"
    } |`,
  ].join("\n");
}

const ACTION: Record<FailoverAction, string> = { [NEXT]: "next MX", [DEFER]: "defer", [BOUNCE]: "bounce" };

/** One cell: the action, and how long the MTA waits before it knows (its connect or greeting timeout). */
function actionText(p: Profile, mode: FailureMode, action: FailoverAction): string {
  const wait = waitFor(p, mode);
  return wait > 0 ? `${ACTION[action]} after ${durationText(wait)}` : ACTION[action];
}

/**
 * The MTA's failover table under its defaults, and for each boolean setting that changes a cell,
 * what it changes when flipped (Postfix's smtp_skip_5xx_greeting).
 */
export function failoverMarkdown(mta: MtaName): string {
  const p = PROFILE_DEFAULTS[mta];
  const rows = FAILURE_MODES.map((m) => {
    const cell = failoverCell(p, m);
    return `| \`${m}\` | ${actionText(p, m, cell.notLast)} | ${actionText(p, m, cell.last)} |`;
  });
  const out = ["| mode | at a host that is not the last MX | at the last MX |", "| --- | --- | --- |", ...rows];
  for (const s of MTA_SETTINGS[mta]) {
    if (s.kind.type !== "boolean") continue;
    const flipped = { ...p, [s.key]: !(p as unknown as Record<string, boolean>)[s.key] } as Profile;
    for (const m of FAILURE_MODES) {
      const [a, b] = [failoverCell(p, m), failoverCell(flipped, m)];
      if (a.notLast === b.notLast && a.last === b.last) continue;
      const value = String((flipped as unknown as Record<string, boolean>)[s.key]);
      out.push("", `With \`${s.key}: ${value}\`, \`${m}\`: ${actionText(flipped, m, b.notLast)}; on the last MX ${actionText(flipped, m, b.last)}.`);
    }
  }
  return out.join("\n");
}

/** The first attempts of a message that can never be delivered, its delay warnings and its bounce. */
export function scheduleMarkdown(mta: MtaName): string {
  const s = neverDeliverable(PROFILE_DEFAULTS[mta]);
  const shown = s.attempts.slice(0, SCHEDULE_SHOWN);
  const table = [
    `| attempt | ${shown.map((_, i) => i + 1).join(" | ")} |`,
    `| --- |${" --- |".repeat(shown.length)}`,
    `| seconds | ${shown.join(" | ")} |`,
    `| d-hh:mm:ss | ${shown.map(dhms).join(" | ")} |`,
  ];
  const without = s.withoutConnection > 0 ? `, and ${s.withoutConnection} deliveries that made no connection (every host in its retry wait)` : "";
  const sentences = [
    `${s.attempts.length} attempts with a connection in all${without}.`,
    s.warnings.length > 0 ? `Delay warnings at ${s.warnings.map(at).join(", ")}.` : "No delay warning.",
    s.bounceAt !== null
      ? `Bounced at ${at(s.bounceAt)}: ${BOUNCE_INFO[s.bounceReason as BounceReason].text}.`
      : `Not bounced within the ${DOWN_FOR / 86400} days the run lasts.`,
  ];
  return [...table, "", sentences.join(" ")].join("\n");
}

/** An MTA's whole block: settings, one attempt, failover, schedule. */
function mtaBlock(mta: MtaName): string {
  const name = PROFILE_INFO[mta].name;
  return [
    `#### ${name}'s settings`,
    "",
    settingsMarkdown(mta),
    "",
    `#### One attempt under ${name}'s defaults`,
    "",
    attemptMarkdown(PROFILE_DEFAULTS[mta]),
    "",
    `#### ${name}'s failover`,
    "",
    failoverMarkdown(mta),
    "",
    `#### ${name}'s retry schedule`,
    "",
    `A message that can never be delivered (its only MX refuses every connection), queued at 0 s; \`mxsim profiles ${mta}\` prints every attempt.`,
    "",
    scheduleMarkdown(mta),
  ].join("\n");
}

const yesNo = (b: boolean) => (b ? "yes" : "no");

/** The failure modes: what a connecting MTA meets, and the classes the delivery code uses. */
export function failureModesMarkdown(): string {
  const waits = { connect: "its connect timeout", greeting: "its greeting timeout" } as const;
  const rows = FAILURE_MODES.map((m) => {
    const i = FAILURE_INFO[m];
    return `| \`${m}\` | ${cellEscape(i.meaning)} | ${yesNo(i.tcpFails)} | ${yesNo(i.site)} | ${i.waits === null ? "nothing" : waits[i.waits]} |`;
  });
  return ["| mode | what the connecting MTA meets | TCP connection fails | site failure | the MTA waits for |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}

/** The markdown of one generated block. */
export function modelDocBlock(block: ModelDocBlock): string {
  if (block === "failure-modes") return failureModesMarkdown();
  if (block === "failover-overview") return failoverTableMarkdown();
  return mtaBlock(block);
}

/** docs/model.md with every generated block replaced by a fresh one; an error if a block's markers are missing. */
export function withModelDoc(doc: string): string {
  let out = doc;
  for (const block of MODEL_DOC_BLOCKS) {
    const start = modelDocStart(block);
    const end = modelDocEnd(block);
    const a = out.indexOf(start);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new Error(`docs/model.md has no model-doc:${block} block`);
    out = out.slice(0, a + start.length) + "\n" + modelDocBlock(block) + "\n" + out.slice(b);
  }
  return out;
}

/** The hand-written text of docs/model.md: the generated blocks cut out (markers kept). */
export function modelDocProse(doc: string): string {
  let out = doc;
  for (const block of MODEL_DOC_BLOCKS) {
    const a = out.indexOf(modelDocStart(block));
    const b = out.indexOf(modelDocEnd(block));
    if (a >= 0 && b > a) out = out.slice(0, a) + out.slice(b);
  }
  return out;
}
