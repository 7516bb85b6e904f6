import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildLessons, langDir, LESSON_LANGS, LESSON_PAGES, LESSON_SOURCES, lessonFiles } from "../../src/cli/lessons.js";
import { setLang } from "../../src/i18n/index.js";
import { fillLesson, placeholders } from "../../src/report/lesson.js";

const QUESTION = { en: "## Check for understanding", es: "## Compruebe lo que ha entendido" } as const;

describe("the lesson series", () => {
  afterEach(() => setLang("en"));

  it("has nine numbered lesson scenarios, each with a page in English and in Spanish (and the decision page, made from scenarios/decide/)", () => {
    const scenarios = readdirSync("scenarios").filter((f) => /^\d\d-.*\.yaml$/.test(f));
    expect(scenarios).toHaveLength(9);
    const all = readdirSync(LESSON_PAGES).filter((f) => f.endsWith(".md"));
    expect(all).toContain("decide.md");
    const pages = all.filter((f) => f !== "decide.md");
    expect(pages.map((p) => p.slice(0, 3)).sort()).toEqual(scenarios.map((s) => s.slice(0, 3)).sort());
    expect(readdirSync(join(LESSON_PAGES, "es")).sort()).toEqual(pages.sort());
    expect(lessonFiles("es")).toEqual(lessonFiles("en"));
  });

  it("pages carry the numbers of the current runs, in both languages, and end with a question (regenerate: npm run lessons)", async () => {
    const built = await buildLessons();
    expect(built.size).toBe(9 * LESSON_LANGS.length);
    for (const l of LESSON_LANGS) {
      for (const file of lessonFiles(l)) {
        const name = join(langDir(l), file);
        const text = built.get(name)!;
        expect(readFileSync(join(LESSON_PAGES, name), "utf8"), `${name} is out of date; run npm run lessons`).toBe(text);
        expect(text).toMatch(new RegExp(`${QUESTION[l]}\\n\\n[^#]+\\?`));
        expect(text).not.toMatch(/\{\{/);
      }
    }
  }, 240_000);

  it("a Spanish template has the English one's placeholders and assertions, in the same order, so its numbers are the same", () => {
    for (const file of lessonFiles("en")) {
      const en = placeholders(readFileSync(join(LESSON_SOURCES, file), "utf8"));
      expect(en.length).toBeGreaterThan(3);
      expect(placeholders(readFileSync(join(LESSON_SOURCES, "es", file), "utf8")), file).toEqual(en);
    }
  });

  it("each lesson links to its other language's page, and the link resolves", () => {
    for (const file of lessonFiles("en")) {
      const links: Array<[string, string]> = [
        [join(LESSON_PAGES, file), `es/${file}`],
        [join(LESSON_PAGES, "es", file), `../${file}`],
      ];
      for (const [page, target] of links) {
        expect(readFileSync(page, "utf8"), page).toContain(`](${target})`);
        expect(existsSync(join(dirname(page), target)), `${page} → ${target}`).toBe(true);
      }
    }
  });

  const results = {
    meta: { start: "2008-03-10T00:00:00Z", duration_s: 8 * 86400 },
    outages: [{ server: "a", mode: "refused", start_s: 118800, end_s: 248400, start_at: "2008-03-11T09:00:00Z" }],
    summary: {
      messages: { created: 12000, bounced: 900, delivered_via_secondary: 7, bounced_by: { "b.example.com": 900 }, still_queued_at: { "b.example.com": 12, a: 5 } },
      connections: { "b.example.com": { role: "relay", opened: 919 }, a: { role: "mailbox" } },
      latency: { overall: { p50_s: 5400 } },
    },
  };
  const data = { results, story: "1. a", table: "t" };
  const sample =
    "{{ summary.messages.bounced }} / {{ summary.messages.created }} / {{ summary.messages.bounced | pct }} / {{ summary.latency.overall.p50_s | human }} / " +
    "{{ outages.0.duration_s | hours }} / {{ meta.duration_s | days }} / {{ outages.0.start_at | when }} / {{ summary.connections.b.example.com.opened }} / {{ backup.reached }}";

  it("fills values, durations and shares in the page's language, and refuses a path results.json lacks", () => {
    expect(fillLesson(sample, data, "x.md")).toContain("900 / 12,000 / 7.5% / 1h 30m / 36 hours / 8 days / Tuesday at 09:00 / 919 / 919");
    setLang("es");
    const es = fillLesson(sample, data, "x.md");
    expect(es).toContain("900 / 12.000 / 7,5 % / 1h 30m / 36 horas / 8 días / martes a las 09:00 / 919 / 919");
    expect(es).toMatch(/^<!-- Generado por `npm run lessons` a partir de x\.md;/);
    setLang("en");
    expect(() => fillLesson("{{ summary.nope }}", data, "x.md")).toThrow(/x\.md: \{\{ summary\.nope \}\} is not in results\.json/);
    // A whole object would print "[object Object]"; a number of seconds read as a date would depend on the time zone.
    expect(() => fillLesson("{{ summary.messages }}", data, "x.md")).toThrow(/not a number or a text/);
    expect(() => fillLesson("{{ summary.messages.created | when }}", data, "x.md")).toThrow(/needs an ISO UTC time/);
    // An assertion the run cannot contradict checks nothing.
    for (const tautology of ["1 == 1", "summary.messages.created == summary.messages.created", "summary.messages.created - summary.messages.created == 0"]) {
      expect(() => fillLesson(`{{ assert ${tautology} }}`, data, "x.md"), tautology).toThrow(/holds whatever the run does/);
    }
    expect(fillLesson("{{ assert summary.messages.created >= 0 }}ok", data, "x.md")).toContain("ok");
  });

  it("counts the mail that reached the backup with what bounced there and what is still queued there, not what is queued elsewhere", () => {
    // 7 delivered through b, 900 bounced by b, 12 still in b's queue; the 5 queued at a (the mailbox) never reached the backup.
    expect(fillLesson("{{ backup.reached }} {{ backup.delivered }} {{ backup.bounced }} {{ backup.queued }}", data, "x.md")).toContain("919 7 900 12");
  });

  it("checks assertions in place: nothing printed when the run agrees, the page refused when it does not", () => {
    expect(fillLesson("Nothing is lost.{{ assert summary.messages.bounced - 900 == 0 }} End", data, "x.md")).toContain("Nothing is lost. End");
    expect(fillLesson("{{ assert backup.reached == summary.connections.b.example.com.opened }}ok", data, "x.md")).toContain("\nok");
    expect(() => fillLesson("Nothing is lost.{{ assert summary.messages.bounced == 0 }}", data, "x.md")).toThrow(
      /x\.md: the run contradicts the lesson: \{\{ assert summary\.messages\.bounced == 0 \}\} \(900 == 0 is false\)/,
    );
    expect(() => fillLesson("{{ assert summary.messages.nope > 1 }}", data, "x.md")).toThrow(/summary\.messages\.nope is not in results\.json/);
    expect(() => fillLesson("{{ assert summary.messages.bounced }}", data, "x.md")).toThrow(/cannot read the assertion/);
  });
});
