/**
 * The two languages' catalogs hold the same messages: a key in one and not the
 * other, a plural form the language needs and lacks, a {{value}} one language
 * interpolates and the other drops, or a key the code asks for that no catalog
 * has, fails here before a reader meets it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CATALOGS, LANGS, langFromEnv, parseLang, setLang, spanText, tIn, type Lang } from "../../src/i18n/index.js";

const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, "");
const values = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("message catalogs", () => {
  const namespaces = Object.keys(CATALOGS.en);

  it("both languages have the same namespaces", () => {
    expect(Object.keys(CATALOGS.es).sort()).toEqual([...namespaces].sort());
  });

  for (const ns of namespaces) {
    it(`${ns}: every message exists in both languages, with every plural form each language needs`, () => {
      const keysOf = (l: Lang) => new Set(Object.keys(CATALOGS[l][ns]!).map(base));
      const en = keysOf("en");
      const es = keysOf("es");
      expect([...en].filter((k) => !es.has(k)), "in English, missing in Spanish").toEqual([]);
      expect([...es].filter((k) => !en.has(k)), "in Spanish, missing in English").toEqual([]);
      for (const l of LANGS) {
        const catalog = CATALOGS[l][ns]!;
        const categories = new Intl.PluralRules(l).resolvedOptions().pluralCategories;
        for (const key of Object.keys(catalog).filter((k) => PLURAL.test(k))) {
          for (const c of categories) expect(catalog, `${l} ${ns}:${base(key)} needs its "${c}" form`).toHaveProperty([`${base(key)}_${c}`]);
        }
      }
    });

    it(`${ns}: both languages interpolate the same values`, () => {
      const used = (l: Lang) => {
        const by = new Map<string, Set<string>>();
        for (const [k, text] of Object.entries(CATALOGS[l][ns]!)) {
          const set = by.get(base(k)) ?? new Set<string>();
          for (const v of values(text)) set.add(v);
          by.set(base(k), set);
        }
        return by;
      };
      const en = used("en");
      const es = used("es");
      // "count" may be left implicit by a plural form ("one message" / "un mensaje").
      const strip = (s: Set<string> | undefined) => [...(s ?? [])].filter((v) => v !== "count").sort().join(",");
      const differ = [...en].filter(([k, set]) => strip(es.get(k)) !== strip(set)).map(([k, set]) => `${k}: en {${strip(set)}} es {${strip(es.get(k))}}`);
      expect(differ).toEqual([]);
    });
  }

  it("every key the code names literally is in both languages' catalogs", () => {
    const missing: string[] = [];
    for (const file of sourceFiles("src")) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt(?:In\([^,]+,)?\(\s*"([a-z]+):([^"]+)"/g)) {
        const [, ns, key] = m as unknown as [string, string, string];
        for (const l of LANGS) {
          const catalog = CATALOGS[l][ns];
          const has = catalog !== undefined && (key in catalog || Object.keys(catalog).some((k) => base(k) === key && PLURAL.test(k)));
          if (!has) missing.push(`${l} ${ns}:${key} (${file})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("a missing key shows as the key, never as the other language's text", () => {
    expect(tIn("es", "cli:no.such.key")).toBe("no.such.key");
  });
});

describe("choosing the language", () => {
  it("reads LC_ALL, then LC_MESSAGES, then LANG; the first one set decides", () => {
    expect(langFromEnv({ LANG: "es_ES.UTF-8" })).toBe("es");
    expect(langFromEnv({ LC_MESSAGES: "es_AR.UTF-8", LANG: "en_US.UTF-8" })).toBe("es");
    expect(langFromEnv({ LC_ALL: "C", LC_MESSAGES: "es_ES", LANG: "es_ES" })).toBe("en");
    expect(langFromEnv({ LC_ALL: "", LANG: "es_MX" })).toBe("es");
    expect(langFromEnv({ LANG: "fr_FR.UTF-8" })).toBe("en");
    expect(langFromEnv({})).toBe("en");
  });

  it("knows a language by its code, with or without a region", () => {
    expect(parseLang("es")).toBe("es");
    expect(parseLang("es-419")).toBe("es");
    expect(parseLang("en_GB.UTF-8")).toBe("en");
    expect(parseLang("pt_BR")).toBeUndefined();
  });
});

describe("lengths of time in words", () => {
  afterEach(() => setLang("en"));
  it("says the two largest units, rounded, in the chosen language", () => {
    expect(spanText(5 * 86400)).toBe("5 days");
    expect(spanText(36 * 3600)).toBe("1 day and 12 hours");
    expect(spanText(400)).toBe("6 minutes and 40 seconds");
    expect(spanText(3600 + 59 * 60 + 50)).toBe("2 hours");
    expect(spanText(1)).toBe("1 second");
    expect(spanText(86370)).toBe("1 day");
    expect(spanText(2 * 86400 + 3599)).toBe("2 days and 1 hour");
    setLang("es");
    expect(spanText(36 * 3600)).toBe("1 día y 12 horas");
    expect(spanText(7 * 86400)).toBe("7 días");
    expect(spanText(60)).toBe("1 minuto");
  });
});
