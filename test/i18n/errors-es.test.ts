/**
 * Error messages in Spanish (`--lang es`, or a Spanish LANG / LC_MESSAGES):
 * the same exit code and the same one-line shape as in English, the place
 * (file:line:col) and everything the user wrote unchanged, and the fixed
 * words Spanish (no raw catalog key, no English left).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/cli.js";
import { KIND_KEYS } from "../../src/cli/io.js";
import { REASON_CODES } from "../../src/cli/exit-codes.js";
import { CATALOGS, setLang } from "../../src/i18n/index.js";
import { TYPE_NAMES, YAML_ERROR_CODES, YAML_HINT_CODES } from "../../src/scenario/load.js";
import { cli, tempDir, type CliRun } from "../cli/helpers.js";

afterEach(() => setLang("en"));

/** Words that only an English sentence has (surrounded by spaces, so that a Spanish word never matches). */
const ENGLISH = [" the ", " give ", " write ", " is not ", "e.g.", " is missing", " did you mean", " expected ", " no such "];
/** What a catalog key left untranslated would look like. */
const RAW_KEY = /\b(cli|common):|\b(scn|read|cmd|parse|err|out|guard|reason|run)\.[a-zA-Z]+\.?[a-zA-Z]*\b(?!\.ya?ml)/;

async function cliEnv(env: Record<string, string>, ...argv: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false, env });
  return { code, stdout, stderr };
}

const quoted = (s: string) => s.match(/"[^"]*"/g) ?? [];
const place = (s: string) => /^(\S+:\d+:\d+): /.exec(s)?.[1];

function scenarioWith(edit: (text: string) => string): string {
  const dir = tempDir();
  const file = join(dir, "bad.yaml");
  writeFileSync(file, edit(readFileSync("scenarios/02-article-outage.yaml", "utf8")));
  return file;
}

/** Bad inputs, each an argv without --lang. */
function cases(): [string, string[]][] {
  const notOurs = join(tempDir(), "out");
  mkdirSync(notOurs);
  writeFileSync(join(notOurs, "notes.txt"), "mine\n");
  return [
    ["a missing file", ["validate", join(tempDir(), "nope.yaml")]],
    ["a YAML syntax error", ["validate", scenarioWith((t) => `${t}\nbroken: [1, 2\n`)]],
    ["an unknown key with a near miss", ["validate", scenarioWith((t) => `descripton: typo\n${t}`)]],
    ["a bad duration", ["validate", scenarioWith((t) => t.replace(/^duration: .*$/m, "duration: 5 dias"))]],
    ["a bad rate", ["validate", scenarioWith((t) => t.replace(/rate: [^\s]+/, "rate: 4 per hour"))]],
    ["bad --runs", ["run", "scenarios/02-article-outage.yaml", "--runs", "0", "--out", join(tempDir(), "o")]],
    ["an option given twice", ["run", "scenarios/02-article-outage.yaml", "--seed", "1", "--seed", "2"]],
    ["an output folder not written by mxsim", ["run", "scenarios/01-normal-week.yaml", "--out", notOurs]],
    ["a malformed Exim retry rule", ["validate", scenarioWith((t) => t.replace(/mta: qmail .*$/m, 'mta: { name: exim, retry: "F,2h,15m; X,1d" }'))]],
    ["a retry list with a bad interval", ["validate", scenarioWith((t) => t.replace(/mta: qmail .*$/m, 'mta: { name: custom, retry: "10m, soon" }'))]],
    ["an MTA setting below its least value", ["validate", scenarioWith((t) => t.replace(/mta: qmail .*$/m, "mta: { name: postfix, minimal_backoff_time: 0s }"))]],
  ];
}

describe("errors in Spanish", () => {
  it("keep the exit code, the one-line shape, the place and the user's words; the fixed words are Spanish", async () => {
    for (const [what, argv] of cases()) {
      const en = await cli(...argv);
      const es = await cli("--lang", "es", ...argv);
      expect(en.code, what).toBeGreaterThan(0);
      expect(es.code, what).toBe(en.code);
      const enLine = en.stderr.trimEnd();
      const esLine = es.stderr.trimEnd();
      expect(esLine.split("\n"), what).toHaveLength(enLine.split("\n").length);
      expect(esLine.split("\n"), `${what}: one line`).toHaveLength(1);
      expect(esLine, what).not.toBe(enLine);
      expect(place(esLine), what).toBe(place(enLine));
      for (const q of quoted(enLine)) expect(esLine, `${what}: keeps ${q}`).toContain(q);
      expect(esLine, what).not.toMatch(RAW_KEY);
      for (const w of ENGLISH) expect(esLine, `${what}: "${w}"`).not.toContain(w);
    }
  });

  it("say what to write in Spanish, with the example as the user would write it", async () => {
    const near = await cli("--lang", "es", "validate", scenarioWith((t) => `descripton: typo\n${t}`));
    expect(near.stderr).toMatch(/:1:1: descripton: clave desconocida "descripton"; ¿quiso decir "description"\?\n$/);
    const dur = await cli("--lang", "es", "validate", scenarioWith((t) => t.replace(/^duration: .*$/m, "duration: 5 dias")));
    expect(dur.stderr).toContain('"5 dias" no es una duración; escriba un número y una unidad (s, m, h, d, w), p. ej. 90s, 36h, 7d o 1h30m');
    const syntax = await cli("--lang", "es", "validate", scenarioWith((t) => `${t}\nbroken: [1, 2\n`));
    expect(syntax.stderr).toMatch(/^\S+:\d+:\d+: sintaxis YAML: /);
  });

  it("a warning is Spanish too, and --strict's closing line", async () => {
    const file = scenarioWith((t) => t.replace(/^duration: .*$/m, "duration: 1h"));
    const en = await cli("--strict", "validate", file);
    const es = await cli("--lang", "es", "--strict", "validate", file);
    expect(es.code).toBe(en.code);
    expect(es.stderr).toContain(": aviso: ");
    expect(es.stderr).toMatch(/con --strict: no se ejecutó nada/);
    for (const w of ENGLISH) expect(es.stderr).not.toContain(w);
  });

  it("an unknown --lang is said in the environment's language, with the same exit code", async () => {
    const en = await cliEnv({}, "--lang", "xx", "profiles");
    const es = await cliEnv({ LANG: "es_ES.UTF-8" }, "--lang", "xx", "profiles");
    expect(en.code).toBe(2);
    expect(es.code).toBe(en.code);
    expect(en.stderr).toContain("--lang xx: the languages mxsim writes are");
    expect(es.stderr).toBe("mxsim: --lang xx: los idiomas de mxsim son en, es; escriba p. ej. --lang es\n");
  });
});

describe("the language of errors from the environment", () => {
  const missing = () => ["validate", join(tempDir(), "nope.yaml")];

  it("a Spanish LANG or LC_MESSAGES gives Spanish errors without --lang", async () => {
    for (const env of [{ LANG: "es_ES.UTF-8" }, { LC_MESSAGES: "es_MX.UTF-8", LANG: "en_US.UTF-8" }]) {
      const r = await cliEnv(env, ...missing());
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(": no existe el archivo; indique un archivo de escenario");
    }
  });

  it("LC_ALL=C gives English whatever LANG says; --lang en beats a Spanish LANG", async () => {
    const c = await cliEnv({ LC_ALL: "C", LANG: "es_ES.UTF-8" }, ...missing());
    expect(c.stderr).toContain(": no such file; give a scenario file");
    const forced = await cliEnv({ LANG: "es_ES.UTF-8" }, "--lang", "en", ...missing());
    expect(forced.stderr).toContain(": no such file; give a scenario file");
    const yargsOwn = await cliEnv({ LANG: "es_ES.UTF-8" }, "--lang", "en", "rn");
    expect(yargsOwn.stderr).toBe("mxsim: Did you mean run?; see mxsim --help\n");
  });
});

describe("keys built at run time", () => {
  const both = (key: string) => [CATALOGS.en.cli![key], CATALOGS.es.cli![key]];

  it("every system error, kind of file, YAML code and type name has its text in both languages", () => {
    const keys = [
      ...REASON_CODES.map((c) => `reason.${c}`),
      ...Object.values(KIND_KEYS).map((k) => `read.kind.${k}`),
      ...YAML_HINT_CODES.map((c) => `scn.yaml.${c}`),
      ...TYPE_NAMES.map((n) => `scn.type.${n}`),
      ...Array.from({ length: 12 }, (_, i) => `scn.s.month.${i + 1}`),
      ...["events", "connections", "bytes", "bytesPlain", "windows"].map((w) => `run.what.${w}`),
    ];
    for (const key of keys) for (const text of both(key)) expect(text, key).toBeTruthy();
    // The parser's errors: English shows the parser's own words (an empty text), Spanish its own.
    for (const code of YAML_ERROR_CODES) {
      const [en, es] = both(`scn.yamlWhat.${code}`);
      expect(en, code).toBe("");
      expect(es, code).toBeTruthy();
    }
  });
  it("validate's report of a good file is Spanish, with Spanish numbers and plurals", async () => {
    const es = await cli("validate", "scenarios/01-normal-week.yaml", "scenarios/decide/1-no-backup.yaml", "--lang", "es");
    expect(es.code).toBe(0);
    expect(es.stdout).toContain("scenarios/01-normal-week.yaml: correcto (normal-week: 2 servidores, 2 remitentes, unos 10.920 mensajes en 7d)");
    expect(es.stdout).toContain("1 servidor, 9 remitentes");
    const en = await cli("validate", "scenarios/decide/1-no-backup.yaml");
    expect(en.stdout).toContain("ok (decide-no-backup: 1 server, 9 senders, about 25920 messages over 12d)");
  });
  it("the scenario compiler words no issue as a plain English string: every one goes through the catalog", () => {
    const plain: string[] = [];
    for (const f of readdirSync("src/scenario").filter((n) => n.endsWith(".ts"))) {
      const text = readFileSync(join("src/scenario", f), "utf8");
      for (const m of text.matchAll(/(?:issue\([^;]*?\],\s*|message:\s*)(["'`])[A-Za-z]/g)) plain.push(`${f}: ${m[0]}`);
    }
    expect(plain).toEqual([]);
  });
});
