/**
 * `explain` in Spanish is the same story as in English, from the same code: for every shipped scenario
 * and every kind of story it has, the same steps (and lines), the same numbers and host names in the
 * same order, no key shown raw, and no English sentence left over. The keys that repeat core's texts
 * (one per failure mode, MTA, bounce reason, kind of source) exist in both languages and, in English,
 * are core's words exactly, so neither can drift from the other.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FAILURE_INFO, FAILURE_MODES } from "../../src/core/failure-modes.js";
import { BOUNCE_INFO, BOUNCE_REASONS, CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { MTA_NAMES, PROFILE_INFO } from "../../src/core/profile.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { STORY_PICKS } from "../../src/core/story-picks.js";
import { CATALOGS, setLang, tIn, type Lang } from "../../src/i18n/index.js";
import { explain, explainText } from "../../src/report/explain.js";
import { SOURCE_KIND_TEXT } from "../../src/report/model-doc.js";
import { defaultStory, noSuchStory, pickMessage, picksAvailable } from "../../src/report/story-pick.js";
import { cli } from "../cli/helpers.js";
import { model, twoMx } from "../helpers.js";

afterEach(() => setLang("en"));

const en = CATALOGS.en.explain!;
const es = CATALOGS.es.explain!;
const has = (catalog: Record<string, string>, key: string) => key in catalog || `${key}_one` in catalog;

describe("explain's keys for core's texts", () => {
  /** Each key with the text core holds for it (undefined: core has none, the key must not exist either). */
  const coreTexts: [string, string | undefined][] = [
    ...FAILURE_MODES.map((m): [string, string] => [`meaning.${m}`, FAILURE_INFO[m].meaning]),
    ...BOUNCE_REASONS.map((r): [string, string] => [`bounce.${r}`, BOUNCE_INFO[r].text]),
    ...Object.entries(SOURCE_KIND_TEXT).map(([k, v]): [string, string] => [`sourceKind.${k}`, v]),
    ...MTA_NAMES.flatMap((mta): [string, string | undefined][] => {
      const info = PROFILE_INFO[mta];
      return [
        [`name.${mta}`, info.name],
        [`title.${mta}`, info.title],
        [`skipsBy.${mta}`, info.skipsHostsBy],
        [`suspends.${mta}`, info.suspends],
        [`holds.${mta}`, info.holds],
        [`flushCommand.${mta}`, info.flush],
      ];
    }),
  ];

  it("every failure mode, MTA, bounce reason and kind of source has its key in both languages, in English core's very words", () => {
    const wrong: string[] = [];
    for (const [key, text] of coreTexts) {
      for (const [l, catalog] of [["en", en], ["es", es]] as const) {
        if (text !== undefined && !(key in catalog)) wrong.push(`${l} lacks ${key}`);
        if (text === undefined && key in catalog) wrong.push(`${l} has ${key}, which core does not`);
      }
      if (text !== undefined && en[key] !== text) wrong.push(`en ${key}: ${JSON.stringify(en[key])} is not core's ${JSON.stringify(text)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("every MTA's static route reads, in English, as core writes it", () => {
    const [domain, host] = ["domain.example", "relay-target.example"];
    for (const mta of MTA_NAMES) {
      const route = PROFILE_INFO[mta].route;
      expect(`route.${mta}` in en, mta).toBe(route !== undefined);
      expect(`route.${mta}` in es, mta).toBe(route !== undefined);
      if (route) expect(tIn("en", `explain:route.${mta}`, { domain, host })).toBe(route(domain, host));
    }
  });

  it("every connection result has its meaning, and every kind of story its words, in both languages", () => {
    for (const key of [...CONNECTION_RESULTS.map((r) => `meaning.${r}`), ...STORY_PICKS.map((p) => `pick.${p}`)]) {
      expect(key in en && key in es, key).toBe(true);
    }
  });

  /** Keys whose Spanish is the English on purpose: names, commands, configuration lines, tool output, pure layout. */
  const SAME = new Set([
    ...MTA_NAMES.filter((m) => m !== "custom").map((m) => `name.${m}`),
    ...["qmail", "postfix", "exim", "opensmtpd"].map((m) => `title.${m}`),
    ...["postfix", "exim", "sendmail", "opensmtpd", "exchange"].map((m) => `flushCommand.${m}`),
    ...["qmail", "postfix", "sendmail"].map((m) => `route.${m}`),
    "lookup.noMx", // nslookup's own output
    "habits.source",
    "flush.onTime",
    "attempt.connection",
    "attempt.preference",
    "repeated.item",
    "repeated.join",
    "cmd.noSuchPick",
  ]);

  it("no Spanish message is the English one left untranslated, but those that are the same on purpose", () => {
    const untranslated = Object.keys(en).filter((k) => !SAME.has(k) && es[k] === en[k]);
    expect(untranslated).toEqual([]);
    // The list names real keys, each still the same in both languages (else it belongs off the list).
    expect([...SAME].filter((k) => !(k in en) || es[k] !== en[k])).toEqual([]);
  });
});

/** Every shipped scenario. */
const SCENARIOS = ["scenarios", "scenarios/compare", "scenarios/decide"].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(dir, f)),
);

/** Message ids, times, durations, counts, preferences and host names, in the order the text gives them. */
function facts(text: string): string[] {
  return text.match(/[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|\d+/g) ?? [];
}

/** Every catalog key as it would show if a lookup failed (i18next shows the key). */
const KEYS = [...new Set(Object.keys(en).map((k) => k.replace(/_(one|other|many)$/, "")))];

function rawKeys(text: string): string[] {
  const found = KEYS.filter((k) => new RegExp(`(^|[^\\w.-])${k.replace(/[.]/g, "\\.")}($|[^\\w-])`).test(text));
  return text.includes("explain:") ? ["explain:", ...found] : found;
}

const STOP_WORDS = [" the ", " and ", " is ", " was ", " to the ", " it ", " because ", " message ", " at ", " after ", " its "];

/**
 * English words outside what stays English on purpose: quoted SMTP replies and commands ("…"), the nslookup
 * output, a source's citation [kind: …], host and file names (no spaces, so never a stop word).
 */
function englishWords(text: string): string[] {
  const prose = text
    .split("\n")
    .filter((line) => !/^\s*(\$ nslookup|\S+\tmail exchanger =|\*\*\* No mail exchanger)/.test(line))
    .join("\n")
    .replace(/"[^"\n]*"/g, '""')
    .replace(/\[[^\]\n]*\]/g, "[]");
  const padded = ` ${prose.toLowerCase().replace(/[\n.,;:()]/g, " ")} `;
  return STOP_WORDS.filter((w) => padded.includes(w));
}

/** The stories of one run: the default one and one per kind of story it has. */
function storyMessages(run: RunResult): [string, number][] {
  return [["default", defaultStory(run).message], ...picksAvailable(run).map((p): [string, number] => [p, pickMessage(run, p)])];
}

function storyIn(l: Lang, run: RunResult, m: number): string[] {
  setLang(l);
  try {
    return explain(run, m);
  } finally {
    setLang("en");
  }
}

describe("explain in Spanish tells the English story", () => {
  it("the checks below can fail: the English story is full of English words, and a missing key shows", () => {
    const run = simulate(model(readFileSync("scenarios/02-article-outage.yaml", "utf8")));
    expect(englishWords(explainText(storyIn("en", run, defaultStory(run).message)))).not.toEqual([]);
    expect(rawKeys("- fcmx1.blyx.com: attempt.relayed")).toEqual(["attempt.relayed"]);
    expect(rawKeys("explain:end.queued")).toContain("explain:");
  });

  for (const file of SCENARIOS) {
    it(file, () => {
      const run = simulate(model(readFileSync(file, "utf8")));
      const problems: string[] = [];
      for (const [pick, m] of storyMessages(run)) {
        const english = storyIn("en", run, m);
        const spanish = storyIn("es", run, m);
        const where = `${pick} (message ${m})`;
        expect(spanish.length, `${where}: steps`).toBe(english.length);
        // Each step has as many lines (connections, notes) in both languages.
        expect(spanish.map((s) => s.split("\n").length), `${where}: lines per step`).toEqual(english.map((s) => s.split("\n").length));
        const text = explainText(spanish);
        expect(facts(text), `${where}: numbers and hosts`).toEqual(facts(explainText(english)));
        for (const k of rawKeys(text)) problems.push(`${where}: raw key ${k}`);
        for (const w of englishWords(text)) problems.push(`${where}: English "${w.trim()}"`);
        // Deterministic: the same bytes again.
        expect(explainText(storyIn("es", run, m)), `${where}: a second time`).toBe(text);
      }
      expect(problems).toEqual([]);
    });
  }

  /** Runs that tell what no shipped scenario does: a provider's habits and address pool, Exim's retry hint, Postfix's dead destination and held attempts, delay warnings, a message still queued, a provider's bounce. */
  const down = (d: string, mode = "refused") => `[{ start: 0s, duration: ${d}, mode: ${mode} }]`;
  const sender = (mta: string, rate = "60/h") => `  s.example.org: { to: example.com, rate: ${rate}, mta: ${mta} }`;
  const BUILT: [string, string[], () => RunResult][] = [
    ["a Gmail sender, both MX down", ["Gmail retries after", "It connects from sending address", "delay warning"], () => simulate(twoMx({ primaryOutages: down("4d"), secondaryOutages: down("5d"), senders: sender("gmail"), duration: "6d" }))],
    ["an Exim sender and backup, a blackholed primary", ["(Exim's retry hint)", "goes on to the next host"], () => simulate(twoMx({ primaryOutages: down("4d", "timeout"), senders: sender("exim"), relayMta: "exim", duration: "6d" }))],
    ["a Postfix backup, a silent primary", ["delivery temporarily suspended", "earlier and waited:", "treats this as a temporary error"], () => simulate(twoMx({ primaryOutages: down("1d", "silent"), senders: sender("postfix", "120/h"), relayMta: "postfix", duration: "2d" }))],
    ["an Exchange sender, both MX down", ["delay warning"], () => simulate(twoMx({ primaryOutages: down("4d"), secondaryOutages: down("5d"), senders: sender("exchange"), duration: "6d" }))],
    ["a custom sender, still queued at the end", ["custom sender retries every", "the message is still waiting in"], () => simulate(twoMx({ primaryOutages: down("4d"), secondary: false, senders: sender("custom"), duration: "2d" }))],
    ["an AOL sender that gives up", ["attempts [measured", "AOL gave up", "its last allowed attempt"], () => simulate(twoMx({ primaryOutages: down("4d"), secondary: false, senders: sender("aol"), duration: "3d" }))],
  ];
  for (const [name, shows, build] of BUILT) {
    it(name, () => {
      const run = build();
      const problems: string[] = [];
      const told: string[] = [];
      // The first message, and one of each kind of story the run has.
      for (const [pick, m] of [["first", 0] as [string, number], ...storyMessages(run)]) {
        const english = storyIn("en", run, m);
        const spanish = storyIn("es", run, m);
        told.push(explainText(english));
        expect(spanish.map((s) => s.split("\n").length), `${pick}: lines per step`).toEqual(english.map((s) => s.split("\n").length));
        const text = explainText(spanish);
        expect(facts(text), `${pick}: numbers and hosts`).toEqual(facts(explainText(english)));
        for (const k of rawKeys(text)) problems.push(`${pick}: raw key ${k}`);
        for (const w of englishWords(text)) problems.push(`${pick}: English "${w.trim()}"`);
      }
      expect(problems).toEqual([]);
      // The run tells what it is here for (else the checks above test nothing new).
      for (const sentence of shows) expect(told.join("\n"), sentence).toContain(sentence);
    });
  }

  it("a run without a kind of story says so in Spanish, naming the kinds it has", () => {
    const run = simulate(model(readFileSync("scenarios/02-article-outage.yaml", "utf8")));
    setLang("es");
    expect(noSuchStory(run, "bounce")).toBe(
      `esta simulación no tiene ningún ${es["pick.bounce"]}; tiene historias de: ${picksAvailable(run).join(", ")}`,
    );
    expect(englishWords(noSuchStory(run, "greylisted"))).toEqual([]);
  });
});

describe("mxsim explain --lang es", () => {
  it("prints the Spanish story, the same bytes on two runs", async () => {
    const a = await cli("explain", "scenarios/02-article-outage.yaml", "--lang", "es");
    const b = await cli("explain", "scenarios/02-article-outage.yaml", "--lang", "es");
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^ 1\. El mensaje \d+ lo envía hotmail\.com/);
    expect(a.stdout).toContain("fcmx2.blyx.com es un MX secundario de blyx.com");
    expect(a.stdout).toContain("control/smtproutes: blyx.com:fcmx1.blyx.com");
    expect(b.stdout).toBe(a.stdout);
  });

  it("its errors are Spanish: an unknown kind, a kind the run lacks, a message it lacks, a folder for --chart", async () => {
    const unknown = await cli("explain", "scenarios/02-article-outage.yaml", "--lang", "es", "--pick", "nonsense");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--pick "nonsense" no es un tipo de historia; escriba uno de: via-secondary');
    const lacks = await cli("explain", "scenarios/02-article-outage.yaml", "--lang", "es", "--pick", "bounce");
    expect(lacks.code).toBe(2);
    expect(lacks.stderr).toContain("--pick bounce: esta simulación no tiene ningún mensaje legítimo devuelto a su remitente; tiene historias de: via-secondary");
    const range = await cli("explain", "scenarios/02-article-outage.yaml", "--lang", "es", "--message", "999999");
    expect(range.stderr).toMatch(/--message 999999: esta simulación tiene los mensajes 0 a \d+; elija uno de ellos/);
    const folder = await cli("explain", "scenarios/02-article-outage.yaml", "--lang", "es", "--chart", "/tmp/");
    expect(folder.stderr).toContain("es una carpeta; indique un nombre de archivo");
    for (const r of [unknown, lacks, range, folder]) expect(englishWords(r.stderr.replace(/--\w+|\S+\.png/g, ""))).toEqual([]);
  });
});
