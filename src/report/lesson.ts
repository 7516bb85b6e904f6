/**
 * Lesson pages whose numbers come from the runs themselves: a template's
 * `{{ path | format }}` placeholders are filled from the lesson scenario's
 * results.json (and a few facts derived from it, below), so no number in a
 * lesson is typed by hand; `{{ assert … }}` states in place a fact the prose
 * relies on without printing it ("nothing is lost"), and the page is not
 * generated when the run contradicts it.
 *
 * - `{{ summary.messages.delivered_via_secondary }}`: a number in the page's language ("2,385" / "2385")
 * - `{{ summary.latency.via-secondary.p50_s | human }}`: a duration, "18h 46m"
 * - `{{ summary.messages.bounced | pct }}`: a share of the messages created, "7.6%" / "7,6 %"
 * - `{{ outages.0.duration_s | hours }}` ("36 hours" / "36 horas"), `| days` ("8 days" / "8 días"),
 *   `| s` ("400 s"), `{{ outages.0.start_at | when }}` ("Tuesday at 09:00" / "martes a las 09:00")
 * - `{{ assert summary.messages.bounced == 0 }}`, `{{ assert a + b == c }}`: prints nothing, throws if false
 *   (operators == != < <= > >=; each side a sum of paths and numbers)
 * - `{{ story }}`: the numbered story of the run's instructive message; `{{ table }}`: the summary table
 *
 * A path's keys are separated by dots, and a key may itself contain dots
 * (`summary.connections.fcmx2.blyx.com.opened`); `.length` of an array or an
 * object is its number of entries.
 *
 * Derived facts, besides results.json:
 * - `outages.N.duration_s`: each outage window's length
 * - `run.outages_drawn`: the outage windows the charts shade (those that start before the run ends)
 * - `backup.reached` / `.delivered` / `.bounced` / `.queued`: the mail that reached a backup MX
 *   (a server of role relay): delivered through it, bounced by it, or still in its queue at the end
 * - `profiles.<mta>.*`: facts of MTA profiles a lesson cites (given by the caller: `LessonData.profiles`)
 * - `lessons.NN.*`: another lesson's run, for a comparison ("the numbers are the same as lesson 2's")
 */
import { dateText, dec, int, lang, pct, type Lang } from "../i18n/index.js";
import { human } from "./format.js";

export interface LessonData {
  results: unknown;
  story: string;
  table: string;
  /** Facts of MTA profiles, by MTA name (e.g. qmail's retry grid), for `{{ profiles.qmail.… }}`. */
  profiles?: Record<string, unknown>;
  /** Other lessons' results.json, by their two-digit number, for `{{ lessons.02.… }}`. */
  lessons?: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

export function lookup(root: unknown, path: string): unknown {
  const keys = path.split(".");
  let v: unknown = root;
  let i = 0;
  while (i < keys.length) {
    if (v === null || typeof v !== "object") return undefined;
    if (Array.isArray(v) && /^\d+$/.test(keys[i]!)) {
      v = v[Number(keys[i])];
      i++;
      continue;
    }
    // The longest run of keys that names an entry: host names carry dots.
    let j = keys.length;
    while (j > i && !Object.hasOwn(v, keys.slice(i, j).join("."))) j--;
    if (j === i) {
      if (keys[i] === "length") {
        v = Array.isArray(v) ? v.length : Object.keys(v).length;
        i++;
        continue;
      }
      return undefined;
    }
    v = (v as Obj)[keys.slice(i, j).join(".")];
    i = j;
  }
  return v;
}

const sum = (o: unknown, keep: (k: string) => boolean): number =>
  Object.entries((o ?? {}) as Record<string, number>).reduce((n, [k, x]) => (keep(k) ? n + x : n), 0);

/** results.json with the derived facts the lessons use. */
export function lessonRoot(data: LessonData): Obj {
  const r = data.results as Obj;
  const summary = r.summary as Obj;
  const messages = summary.messages as Obj;
  const meta = r.meta as Obj;
  const connections = (summary.connections ?? {}) as Record<string, { role: string }>;
  const isBackup = (name: string) => connections[name]?.role === "relay";
  const outages: Obj[] = ((r.outages ?? []) as Obj[]).map((w) => ({ ...w, duration_s: (w.end_s as number) - (w.start_s as number) }));
  const delivered = messages.delivered_via_secondary as number;
  const bounced = sum(messages.bounced_by, isBackup);
  const queued = sum(messages.still_queued_at, isBackup);
  return {
    ...r,
    outages,
    // The rule of the charts' shaded windows (charts.ts outageAnnotations): a window that starts before the run ends.
    run: { outages_drawn: outages.filter((w) => (w.start_s as number) < (meta.duration_s as number)).length },
    backup: { reached: delivered + bounced + queued, delivered, bounced, queued },
    profiles: data.profiles ?? {},
    lessons: data.lessons ?? {},
  };
}

const UNITS = {
  en: { hours: ["hour", "hours"], days: ["day", "days"], at: "at", never: "never" },
  es: { hours: ["hora", "horas"], days: ["día", "días"], at: "a las", never: "nunca" },
} as const;

function amount(v: number, per: number, unit: "hours" | "days"): string {
  const n = v / per;
  const text = Number.isInteger(n) ? int(n) : dec(n, 1);
  return `${text} ${UNITS[lang()][unit][n === 1 ? 0 : 1]}`;
}

function format(v: unknown, fmt: string | undefined, created: number, where: string): string {
  const num = v as number;
  switch (fmt) {
    case undefined:
      if (typeof v === "number") return int(v);
      if (typeof v === "string") return v;
      throw new Error(`${where}: this placeholder is ${v === null ? "null" : `a ${typeof v}`}, not a number or a text; name a value inside it`);
    case "human":
      return v === null ? UNITS[lang()].never : human(num);
    case "pct":
      return pct((100 * num) / created);
    case "hours":
      return amount(num, 3600, "hours");
    case "days":
      return amount(num, 86400, "days");
    case "s":
      return `${int(num)} s`;
    case "when": {
      // Only an ISO time in UTC ("…Z"): Date.parse would read anything else in the machine's time zone.
      if (typeof v !== "string" || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$/.test(v)) throw new Error(`${where}: "| when" needs an ISO UTC time such as 2008-03-11T09:00:00Z, not ${JSON.stringify(v)}`);
      const ms = Date.parse(v);
      const day = dateText(ms, { weekday: "long" });
      const time = dateText(ms, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
      return `${day} ${UNITS[lang()].at} ${time}`;
    }
    default:
      throw new Error(`${where}: unknown format "${fmt}"`);
  }
}

/** The value of one side of an assertion: a sum of paths and numbers, "a + b - 3" (spaces around + and -: paths hold dashes). */
function side(root: Obj, text: string, where: string, weights: Map<string, number>, sign: 1 | -1): number {
  const parts = ` + ${text.trim()}`.split(/\s+([+-])\s+/);
  let total = 0;
  for (let i = 1; i < parts.length; i += 2) {
    const t = parts[i + 1]!.trim();
    const literal = /^-?\d+(\.\d+)?$/.test(t);
    const v = literal ? Number(t) : lookup(root, t);
    if (typeof v !== "number") throw new Error(`${where}: ${t} is ${v === undefined ? "not in results.json" : "not a number"}`);
    const s = parts[i] === "-" ? -1 : 1;
    if (!literal) weights.set(t, (weights.get(t) ?? 0) + s * sign);
    total += s * v;
  }
  return total;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<=": (a, b) => a <= b,
  ">=": (a, b) => a >= b,
  "<": (a, b) => a < b,
  ">": (a, b) => a > b,
};

function check(root: Obj, expr: string, where: string): void {
  const m = /^(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(expr.trim());
  if (!m) throw new Error(`${where}: cannot read the assertion "${expr}" (a op b, op one of == != < <= > >=)`);
  const [, l, op, r] = m;
  // Each value of the run, with how often it counts on the left less on the right: all zero, and the run cannot contradict it.
  const weights = new Map<string, number>();
  const a = side(root, l!, where, weights, 1);
  const b = side(root, r!, where, weights, -1);
  if ([...weights.values()].every((w) => w === 0)) {
    throw new Error(`${where}: {{ assert ${expr.trim()} }} holds whatever the run does; compare a value of the run with another or with a number`);
  }
  if (!COMPARE[op!]!(a, b)) throw new Error(`${where}: the run contradicts the lesson: {{ assert ${expr.trim()} }} (${a} ${op} ${b} is false)`);
}

const HEADER = {
  en: (source: string) => `<!-- Generated by \`npm run lessons\` from ${source}; edit that file, not this one. -->`,
  es: (source: string) => `<!-- Generado por \`npm run lessons\` a partir de ${source}; edite ese archivo, no este. -->`,
};

/** The page of `template` (named `source` in errors and in the page's header), in the current language. */
export function fillLesson(template: string, data: LessonData, source: string): string {
  const root = lessonRoot(data);
  const created = lookup(root, "summary.messages.created") as number;
  const body = template
    .replace(/[ \t]*\{\{\s*assert\s+([^}]+?)\s*\}\}/g, (_, expr: string) => {
      check(root, expr, source);
      return "";
    })
    .replace(/\{\{\s*([^}|]+?)\s*(?:\|\s*(\w+)\s*)?\}\}/g, (_, path: string, fmt?: string) => {
      if (path === "story") return "```text\n" + data.story.trimEnd() + "\n```";
      if (path === "table") return "```text\n" + data.table.trimEnd() + "\n```";
      const v = lookup(root, path);
      const where = `${source}: {{ ${path}${fmt ? ` | ${fmt}` : ""} }}`;
      if (v === undefined) throw new Error(`${source}: {{ ${path} }} is not in results.json`);
      return format(v, fmt, created, where);
    });
  return `${HEADER[lang()](source)}\n${body}`;
}

/** The placeholders and assertions of a template, in order (a translation must have the same). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]!.replace(/\s+/g, " "));
}

/** Words that state a count ("twice", "both", "three outages"), by language; "one"/"un" are also pronouns and articles: listed phrases allow them. */
const NUMBER_WORDS: Record<Lang, RegExp> = {
  en: /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|twice|thrice|both|half|single|dozens?)\b/giu,
  es: /(?<![\p{L}])(?:dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|veinte|cien|ciento|mil|ambos|ambas|mitad|doble|docenas?)(?![\p{L}])/giu,
};

/** Words that claim a whole or an empty set ("none", "every", "nothing is lost"): a sentence with one needs an assertion. */
const QUANTIFIERS: Record<Lang, RegExp> = {
  en: /\b(?:none|nothing|never|every|everything|everyone|all|no|only|nobody)\b/giu,
  es: /(?<![\p{L}])(?:ninguno|ninguna|ningún|nada|nadie|nunca|jamás|todo|todos|toda|todas|solo|sólo|solamente|único|única|únicos|únicas|únicamente)(?![\p{L}])/giu,
};

export interface ProseFinding {
  /** "number": a count written as digits or words; "quantifier": a sentence that claims all or none without an assertion. */
  kind: "number" | "quantifier";
  text: string;
  sentence: string;
}

/**
 * The counts a template's prose states outside its placeholders: digits and
 * number words, and sentences that claim "all", "none", "never" … without a
 * `{{ assert }}` of their own. Code (fenced and inline), link targets and
 * placeholders are not prose; `allowed` are phrases that hold a number which
 * is not a count of the run (a port, an RFC, the lesson's own number, a
 * question's hypothetical message), removed before looking.
 */
export function proseCounts(template: string, language: Lang, allowed: readonly RegExp[] = []): ProseFinding[] {
  const prose = template
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/`[^`]*`/g, "⟨code⟩")
    .replace(/\]\([^)]*\)/g, "]")
    .replace(/\{\{\s*assert\b[^}]*\}\}/g, "⟨assert⟩")
    .replace(/\{\{[^}]*\}\}/g, "⟨value⟩");
  const findings: ProseFinding[] = [];
  // Sentences: a paragraph (or a heading) splits after . ! ? and the assertions that close the sentence.
  const sentences = prose.split(/\n\s*\n|\n(?=#)/).flatMap((p) => p.replace(/\s+/g, " ").trim().split(/(?<=[.!?](?:⟨assert⟩)*)\s+/));
  for (const sentence of sentences) {
    let rest = sentence;
    for (const a of allowed) rest = rest.replace(new RegExp(a.source, a.flags.includes("g") ? a.flags : `${a.flags}g`), " ");
    for (const m of rest.matchAll(/(?<![\p{L}\d])\d+(?:[.,]\d+)*/gu)) findings.push({ kind: "number", text: m[0], sentence });
    for (const m of rest.matchAll(NUMBER_WORDS[language])) findings.push({ kind: "number", text: m[0], sentence });
    if (!rest.includes("⟨assert⟩")) for (const m of rest.matchAll(QUANTIFIERS[language])) findings.push({ kind: "quantifier", text: m[0], sentence });
  }
  return findings;
}
