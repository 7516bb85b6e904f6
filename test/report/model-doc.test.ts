import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_HOPS } from "../../src/core/delivery.js";
import { FAILURE_MODES } from "../../src/core/failure-modes.js";
import type { OptionKind } from "../../src/core/mta-rules.js";
import { MTA_NAMES, MTA_SETTINGS, PROFILE_DEFAULTS, PROFILE_INFO, type MtaName } from "../../src/core/profile.js";
import { EXIM_DEFAULT_RETRY } from "../../src/core/profiles/exim.js";
import { WAIT_NAME_MAX } from "../../src/core/profiles/exim-wait.js";
import {
  durationText,
  failoverMarkdown,
  MODEL_DOC_BLOCKS,
  modelDocEnd,
  modelDocProse,
  modelDocStart,
  retryRuleText,
  scheduleMarkdown,
  SCHEDULE_SHOWN,
  withModelDoc,
} from "../../src/report/model-doc.js";
import { neverDeliverable } from "../../src/report/profile-schedule.js";
import { parseDurationValue } from "../../src/scenario/duration.js";
import { parseRetryRule } from "../../src/scenario/exim-retry.js";

const DOC = readFileSync(new URL("../../docs/model.md", import.meta.url), "utf8");

/** Numbers compiled into mxsim that the prose may quote, as `NAME` (value). */
const CONSTANTS: Record<string, number> = { WAIT_NAME_MAX, MAX_HOPS };

/** The document cut at its `## ` headings: each MTA's section by its name, the rest as "common". */
function sections(doc: string): { mta: MtaName | undefined; title: string; text: string }[] {
  return doc.split(/^(?=## )/m).map((text) => {
    const title = /^## (.*)$/m.exec(text)?.[1] ?? "";
    return { mta: MTA_NAMES.find((n) => PROFILE_INFO[n].name === title), title, text };
  });
}

/** A value as written in the prose, in the setting's own terms (seconds for a duration); undefined: unreadable. */
function readValue(kind: OptionKind | undefined, text: string): unknown {
  if (kind?.type === "boolean") return text === "true" ? true : text === "false" ? false : undefined;
  if (kind === undefined || kind.type === "count") return /^\d+$/.test(text) ? Number(text) : undefined;
  const d = parseDurationValue(text);
  return d.ok ? d.seconds : undefined;
}

/**
 * Every place in the hand-written prose that gives a setting (or a fixed number of a profile, or one
 * of CONSTANTS) a value as `name` (value) or `name` = value, with what is wrong with it; a scenario's
 * override written `name: value` is an example, not a claim about the default, and is not read.
 */
function wrongDefaults(doc: string): string[] {
  const problems: string[] = [];
  const keys = new Set<string>(Object.keys(CONSTANTS));
  for (const n of MTA_NAMES) for (const k of Object.keys(PROFILE_DEFAULTS[n])) if (k !== "mta") keys.add(k);
  for (const { mta, title, text } of sections(modelDocProse(doc))) {
    for (const key of keys) {
      const re = new RegExp(String.raw`(?<![\w-])\`?${key}\`?(?:\s*\(|\s*=\s*)(\d[\dsmhdw]*(?:\.\d[\dsmhdw]*)*|true|false)`, "g");
      for (const [, written] of text.matchAll(re)) {
        const where = `${title || "(top)"}: ${key} ${written}`;
        const defaults = mta === undefined ? undefined : (PROFILE_DEFAULTS[mta] as unknown as Record<string, unknown>);
        const expected = key in CONSTANTS ? CONSTANTS[key] : defaults?.[key];
        if (expected === undefined) {
          problems.push(`${where}: not a number of this section's MTA; give it in its own MTA's section, or leave it to the tables`);
          continue;
        }
        const kind = mta === undefined ? undefined : MTA_SETTINGS[mta].find((s) => s.key === key)?.kind;
        const value = readValue(kind, written!);
        if (value === undefined) problems.push(`${where}: not a value mxsim can read; write it as a scenario would (300s, 4h, 5)`);
        else if (value !== expected) problems.push(`${where}: the default is ${String(expected)}`);
      }
    }
  }
  return problems;
}

describe("docs/model.md is made from the registry where it gives numbers", () => {
  it("holds the blocks the code makes (run npm run model-doc after changing a profile)", () => {
    expect(withModelDoc(DOC)).toBe(DOC);
  });

  it("a document without a block is an error, not a silent no-op", () => {
    expect(() => withModelDoc("# no blocks here\n")).toThrow(/no model-doc:failure-modes block/);
    const withoutExim = DOC.replace(modelDocStart("exim"), "");
    expect(() => withModelDoc(withoutExim)).toThrow(/no model-doc:exim block/);
  });

  it("has a section per MTA, in the registry's order, each holding its own generated block", () => {
    const found = sections(DOC).flatMap((s) => (s.mta === undefined ? [] : [s]));
    expect(found.map((s) => s.mta)).toEqual(MTA_NAMES);
    for (const s of found) {
      expect(s.text, s.mta).toContain(modelDocStart(s.mta!));
      expect(s.text, s.mta).toContain(modelDocEnd(s.mta!));
      for (const b of MODEL_DOC_BLOCKS) if (b !== s.mta) expect(s.text, `${s.mta} holds ${b}`).not.toContain(modelDocStart(b));
    }
  });

  it("lists every setting of every MTA with its default, and a failover row per failure mode", () => {
    for (const n of MTA_NAMES) {
      const section = sections(DOC).find((s) => s.mta === n)!.text;
      for (const s of MTA_SETTINGS[n]) expect(section, `${n} ${s.key}`).toContain(`| \`${s.key}\` |`);
      expect(failoverMarkdown(n).split("\n").filter((l) => l.startsWith("| `"))).toHaveLength(FAILURE_MODES.length);
    }
    expect(DOC).toContain(`| \`queuelifetime\` | ${durationText(PROFILE_DEFAULTS.qmail.queuelifetime)} |`);
    expect(DOC).toContain(`| \`retry\` | ${EXIM_DEFAULT_RETRY} |`);
  });

  it("a schedule shows the simulator's first attempts and its bounce", () => {
    const s = neverDeliverable(PROFILE_DEFAULTS.qmail);
    const md = scheduleMarkdown("qmail");
    expect(md).toContain(`| seconds | ${s.attempts.slice(0, SCHEDULE_SHOWN).join(" | ")} |`);
    expect(md).toContain(`Bounced at ${s.bounceAt} s`);
    // Life with qmail's table: attempt k at (20k)² s, the bounce at 7-01:00:00.
    expect(md).toContain("| seconds | 0 | 400 | 1600 | 3600 | 6400 | 10000 | 14400 | 19600 |");
    expect(md).toContain("608400 s (7-01:00:00)");
  });

  it("the retry rule is written back in Exim's syntax", () => {
    expect(retryRuleText(PROFILE_DEFAULTS.exim.retry)).toBe(EXIM_DEFAULT_RETRY);
  });
});

describe("the prose of docs/model.md quotes no default that the code does not have", () => {
  it("every `setting` (value) or `setting` = value in the prose is the setting's default", () => {
    expect(wrongDefaults(DOC)).toEqual([]);
  });

  it("the check can fail: a wrong value, an unreadable one, a setting in the wrong section", () => {
    const doc = [
      "## Common to every MTA",
      "Postfix waits `smtp_connect_timeout` (30s) for a connection.",
      "## Postfix",
      "`minimal_backoff_time` (600s), `smtp_helo_timeout` = 5 minutes, `queue_run_delay` (5m), `WAIT_NAME_MAX` (50),",
      "`smtp_connect_timeout` (3.0.0s),",
      "`smtp_skip_5xx_greeting` (false); `delay_warning_time: 4h` is an override, not a default.",
      "## qmail",
      "`chanskip` (20) and `tcpto` (true), `queuelifetime` = 7d.",
    ].join("\n");
    expect(wrongDefaults(doc)).toEqual([
      "Common to every MTA: smtp_connect_timeout 30s: not a number of this section's MTA; give it in its own MTA's section, or leave it to the tables",
      "Postfix: minimal_backoff_time 600s: the default is 300",
      "Postfix: smtp_connect_timeout 3.0.0s: not a value mxsim can read; write it as a scenario would (300s, 4h, 5)",
      "Postfix: smtp_helo_timeout 5: the default is 300",
      "Postfix: smtp_skip_5xx_greeting false: the default is true",
    ]);
  });

  it("every setting-like name the prose gives a section is a setting or a fixed number of its MTA, or named here as another", () => {
    // Names of the MTAs' real configuration and code that mxsim does not model or that are not settings.
    const others = new Set([
      "smtp_connection_reuse_count_limit",
      "EX_TEMPFAIL",
      "tcp_syn_retries",
      "WAIT_NAME_MAX",
      "BACKOFF_TRANSFER",
      "MAX_HOPS",
    ]);
    for (const { mta, title, text } of sections(modelDocProse(DOC))) {
      if (mta === undefined) continue;
      const keys = new Set(Object.keys(PROFILE_DEFAULTS[mta]));
      for (const [, name] of text.matchAll(/`([A-Za-z]+_[A-Za-z0-9_]+)(?::[^`]*)?`/g)) {
        expect(keys.has(name!) || others.has(name!), `${title}: \`${name}\``).toBe(true);
      }
    }
  });

  it("each setting's description agrees with its default where it gives one", () => {
    for (const n of MTA_NAMES) {
      const defaults = PROFILE_DEFAULTS[n] as unknown as Record<string, unknown>;
      for (const s of MTA_SETTINGS[n]) {
        if (s.kind.type === "retry") {
          const rule = parseRetryRule(EXIM_DEFAULT_RETRY, (t) => {
            const d = parseDurationValue(t);
            return d.ok ? d.seconds : undefined;
          });
          expect(s.description).toContain(EXIM_DEFAULT_RETRY);
          expect(rule.ok && rule.rules).toEqual(defaults[s.key]);
          continue;
        }
        const m = /\bdefault (?:and maximum )?([^\s;),]+)/.exec(s.description);
        if (m === null) continue;
        expect(readValue(s.kind, m[1]!), `${n} ${s.key}: "${s.description}"`).toBe(defaults[s.key]);
      }
    }
  });
});

describe("pointers into docs/model.md lead somewhere", () => {
  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
  const anchor = (heading: string) => heading.toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));

  it("every pointer docs/model.md#<heading> in the code, the tests, the scenarios and the README is a heading of docs/model.md", () => {
    const anchors = new Set([...DOC.matchAll(/^#{2,4} (.*)$/gm)].map((m) => anchor(m[1]!)));
    const root = new URL("../../", import.meta.url).pathname;
    const sources = [...["src", "test", "scenarios"].flatMap((d) => files(join(root, d))), join(root, "README.md")];
    const pointers = sources.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/docs\/model\.md#([\w-]+)/g)].map((m) => `${f}: ${m[1]}`));
    expect(pointers.length).toBeGreaterThan(20);
    expect(pointers.filter((p) => !anchors.has(p.slice(p.lastIndexOf(": ") + 2)))).toEqual([]);
  });
});
