/**
 * mxsim's two languages, English and Spanish (the article's), through one
 * i18next instance that holds every catalog in memory: no I/O, nothing
 * asynchronous, and the same text for the same language on any machine.
 *
 * The language is one setting for the whole process (`setLang`), chosen by
 * the command line from `--lang`, else from the environment (`langFromEnv`),
 * else English; text builders call `t(key, values)` (key: "namespace:name") and format
 * numbers with the helpers below, which follow the chosen language, never
 * the machine's locale. Browser-safe: the playground uses the same catalogs.
 */
import i18next from "i18next";
import enCharts from "./en/charts.js";
import enCli from "./en/cli.js";
import enCommon from "./en/common.js";
import enExplain from "./en/explain.js";
import enReport from "./en/report.js";
import esCharts from "./es/charts.js";
import esCli from "./es/cli.js";
import esCommon from "./es/common.js";
import esExplain from "./es/explain.js";
import esReport from "./es/report.js";

export const LANGS = ["en", "es"] as const;
export type Lang = (typeof LANGS)[number];

/** Every catalog, by language and namespace (tests compare the two languages' keys). */
export const CATALOGS: Record<Lang, Record<string, Record<string, string>>> = {
  en: { common: enCommon, cli: enCli, explain: enExplain, charts: enCharts, report: enReport },
  es: { common: esCommon, cli: esCli, explain: esExplain, charts: esCharts, report: esReport },
};

const instance = i18next.createInstance();
void instance.init({
  lng: "en",
  // A key missing in one language shows as the key itself (a test fails on it first), never as the other language.
  fallbackLng: false,
  supportedLngs: [...LANGS],
  ns: Object.keys(CATALOGS.en),
  defaultNS: "common",
  resources: CATALOGS,
  initAsync: false,
  returnNull: false,
  // Keys are flat ("story.sent"): no nested lookup first.
  keySeparator: false,
  // The texts are plain text (terminal, PNG, Markdown); HTML escapes at its own layer.
  interpolation: { escapeValue: false },
  showSupportNotice: false,
} as Parameters<typeof instance.init>[0]);

let current: Lang = "en";
// instance.t with the language in the options: a third of the cost of getFixedT's wrapper per call.
const translate = instance.t.bind(instance) as unknown as (key: string, options: Record<string, unknown>) => string;

/** The language texts are written in from now on. */
export function setLang(lang: Lang): void {
  current = lang;
}

export function lang(): Lang {
  return current;
}

/** `key` ("namespace:key") in the current language, with `values` interpolated; `count` picks the plural. */
export function t(key: string, values?: Record<string, unknown>): string {
  return translate(key, { ...values, lng: current });
}

/** `key` in a given language, whatever the current one. */
export function tIn(l: Lang, key: string, values?: Record<string, unknown>): string {
  return translate(key, { ...values, lng: l });
}

/** Whether `key` exists in the current language's catalogs. */
export function hasKey(key: string): boolean {
  return instance.exists(key, { lng: current });
}

/** "es" for "es", "es_AR.UTF-8", "es-MX"; "en" for "en_GB.UTF-8"; undefined for anything else. */
export function parseLang(value: string | undefined): Lang | undefined {
  if (!value) return undefined;
  const code = value.toLowerCase().split(/[_.@-]/)[0];
  return (LANGS as readonly string[]).includes(code ?? "") ? (code as Lang) : undefined;
}

/**
 * The language the environment asks for, as POSIX orders the variables for
 * messages: LC_ALL, then LC_MESSAGES, then LANG (the first one set decides;
 * "C", "POSIX" or a language mxsim does not speak means English).
 */
export function langFromEnv(env: Record<string, string | undefined>): Lang {
  for (const name of ["LC_ALL", "LC_MESSAGES", "LANG"]) {
    const v = env[name];
    if (v) return parseLang(v) ?? "en";
  }
  return "en";
}

const LOCALE: Record<Lang, string> = { en: "en-US", es: "es-ES" };
const integers: Partial<Record<Lang, Intl.NumberFormat>> = {};

/** A whole number with the language's thousands separator: "12,345" / "12.345" (Spanish leaves four digits ungrouped: "1234"). */
export function int(n: number): string {
  const f = (integers[current] ??= new Intl.NumberFormat(LOCALE[current], { maximumFractionDigits: 0 }));
  return f.format(n);
}

/** `n` with `digits` decimals, the language's decimal mark, no grouping: "12.5" / "12,5". */
export function dec(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return current === "es" ? s.replace(".", ",") : s;
}

/** A percentage: "12.5%" in English, "12,5 %" in Spanish (with the space Spanish writes before %). */
export function pct(n: number, digits = 1): string {
  return current === "es" ? `${dec(n, digits)} %` : `${dec(n, digits)}%`;
}

/** `part` of `whole` as a percentage ("0.0%" of nothing). */
export function share(part: number, whole: number, digits = 1): string {
  return pct(whole ? (100 * part) / whole : 0, digits);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A calendar date or time in UTC, as the language writes it, e.g. with
 * `{ weekday: "short", day: "numeric", month: "short" }` "Thu, Jan 1" /
 * "jue, 1 ene". The time zone is always UTC: the run's clock is.
 */
export function dateText(epochMs: number, options: Intl.DateTimeFormatOptions): string {
  const key = `${current}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(LOCALE[current], { ...options, timeZone: "UTC" });
    dateFormats.set(key, f);
  }
  return f.format(new Date(epochMs));
}

/** A text given in several languages (a scenario's description): the current language's, else `fallback`. */
export function inLang(texts: Readonly<Record<string, string>> | undefined, fallback: string): string {
  return texts?.[current] ?? fallback;
}

const SPAN_UNITS = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
] as const;

/**
 * A length of time in words, for prose: its two largest units, rounded to the
 * smaller ("5 days", "1 day and 12 hours", "6 minutes and 40 seconds" /
 * "5 días", "1 día y 12 horas"). Tables keep the compact form ("1d 12h").
 */
export function spanText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const first = SPAN_UNITS.findIndex(([, size]) => s >= size);
  if (first < 0) return t("common:unit.second", { count: 0 });
  const next = SPAN_UNITS[first + 1];
  if (next === undefined) return t("common:unit.second", { count: s });
  // Rounded to the smaller unit first, so that 23h 59m 50s is "1 day", not "24 hours".
  const rounded = Math.round(s / next[1]) * next[1];
  const top = SPAN_UNITS.findIndex(([, size]) => rounded >= size);
  const [unit, size] = SPAN_UNITS[top]!;
  const small = SPAN_UNITS[top + 1];
  const big = Math.floor(rounded / size);
  const rest = small === undefined ? 0 : Math.round((rounded % size) / small[1]);
  const a = t(`common:unit.${unit}`, { count: big });
  return rest === 0 ? a : t("common:unit.and", { a, b: t(`common:unit.${small![0]}`, { count: rest }) });
}
