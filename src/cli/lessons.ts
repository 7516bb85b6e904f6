/**
 * Builds docs/lessons/*.md from docs/lessons/src/*.md, and the Spanish pages
 * docs/lessons/es/*.md from docs/lessons/src/es/*.md: each template is filled
 * with the numbers of the scenario with the same number in scenarios/ (run on
 * its own seed, without charts; the Spanish page's story and table from a run
 * with `--lang es`). Used by `npm run lessons` and by the test that checks the
 * committed pages are up to date.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { giveUpAfter, PROFILE_DEFAULTS } from "../core/profile.js";
import { lang, setLang, type Lang } from "../i18n/index.js";
import { fillLesson, type LessonData } from "../report/lesson.js";
import { neverDeliverable } from "../report/profile-schedule.js";
import { runCli } from "./cli.js";

export const LESSON_SOURCES = "docs/lessons/src";
export const LESSON_PAGES = "docs/lessons";
/** The languages of the series; the templates of a language other than English are in src/<lang>/, its pages in <lang>/. */
export const LESSON_LANGS: readonly Lang[] = ["en", "es"];

/** Where a language's templates and pages are, relative to LESSON_SOURCES and LESSON_PAGES. */
export const langDir = (l: Lang): string => (l === "en" ? "" : l);

/** The lesson templates' file names ("01-normal-week.md", …), the same in every language. */
export function lessonFiles(l: Lang = "en"): string[] {
  return readdirSync(join(LESSON_SOURCES, langDir(l)))
    .filter((f) => /^\d\d-.*\.md$/.test(f))
    .sort();
}

/** The facts of MTA profiles the lessons cite, from the profiles themselves (qmail's schedule is the simulator's). */
export function profileFacts(): Record<string, unknown> {
  const qmail = neverDeliverable(PROFILE_DEFAULTS.qmail);
  return {
    qmail: {
      lifetime_s: giveUpAfter(PROFILE_DEFAULTS.qmail),
      attempts_s: qmail.attempts,
      attempts: qmail.attempts.length,
      bounce_s: qmail.bounceAt,
    },
    postfix: { give_up_s: giveUpAfter(PROFILE_DEFAULTS.postfix) },
    exchange: { give_up_s: giveUpAfter(PROFILE_DEFAULTS.exchange) },
  };
}

interface Run {
  results: unknown;
  story: string;
  table: string;
}

async function runLesson(scenario: string, l: Lang): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "mxsim-lesson-"));
  const out = join(dir, "out");
  try {
    let table = "";
    let err = "";
    const code = await runCli(["run", join("scenarios", scenario), "--out", out, "--no-charts", "--lang", l], {
      stdout: (t) => (table += t),
      stderr: (t) => (err += t),
      color: false,
    });
    if (code !== 0) throw new Error(`scenarios/${scenario}: exit ${code}: ${err}`);
    return {
      results: JSON.parse(readFileSync(join(out, "results.json"), "utf8")),
      story: readFileSync(join(out, "story.txt"), "utf8"),
      // Without the line that names the files written (in any language: it names the output directory).
      table: table
        .split("\n")
        .filter((line) => !line.includes(out))
        .join("\n"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each lesson's template file → its scenario file in scenarios/. */
export function lessonScenarios(): Map<string, string> {
  const scenarios = readdirSync("scenarios");
  const map = new Map<string, string>();
  for (const file of lessonFiles()) {
    const scenario = scenarios.find((s) => s.startsWith(file.slice(0, 3)) && s.endsWith(".yaml"));
    if (!scenario) throw new Error(`${LESSON_SOURCES}/${file}: no scenarios/${file.slice(0, 3)}*.yaml to take its numbers from`);
    map.set(file, scenario);
  }
  return map;
}

/**
 * The page's path under LESSON_PAGES ("01-normal-week.md", "es/01-normal-week.md") → its generated Markdown.
 * `templates` replaces a template's text (by the same path under LESSON_SOURCES) and `only` builds
 * only the lessons of these template names, for tests.
 */
export async function buildLessons(templates: ReadonlyMap<string, string> = new Map(), only?: readonly string[]): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  const scenarios = new Map([...lessonScenarios()].filter(([file]) => !only || only.includes(file)));
  const profiles = profileFacts();
  const before = lang();
  try {
    for (const l of LESSON_LANGS) {
      setLang(l);
      const runs = new Map<string, Run>();
      for (const [file, scenario] of scenarios) runs.set(file, await runLesson(scenario, l));
      const lessons = Object.fromEntries([...runs].map(([file, run]) => [file.slice(0, 2), run.results]));
      for (const [file, run] of runs) {
        const name = join(langDir(l), file);
        const source = join(LESSON_SOURCES, name);
        const template = templates.get(name) ?? readFileSync(source, "utf8");
        const data: LessonData = { ...run, profiles, lessons };
        setLang(l);
        pages.set(name, fillLesson(template, data, source));
      }
    }
  } finally {
    setLang(before);
  }
  return pages;
}
