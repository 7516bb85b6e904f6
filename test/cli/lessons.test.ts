import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLessons, LESSON_PAGES } from "../../src/cli/lessons.js";
import { fillLesson } from "../../src/report/lesson.js";

describe("the lesson series", () => {
  it("has nine numbered lesson scenarios, each with a page (and the decision page, made from scenarios/decide/)", () => {
    const scenarios = readdirSync("scenarios").filter((f) => /^\d\d-.*\.yaml$/.test(f));
    expect(scenarios).toHaveLength(9);
    const all = readdirSync(LESSON_PAGES).filter((f) => f.endsWith(".md"));
    expect(all).toContain("decide.md");
    const pages = all.filter((f) => f !== "decide.md");
    expect(pages.map((p) => p.slice(0, 3)).sort()).toEqual(scenarios.map((s) => s.slice(0, 3)).sort());
  });

  it("pages carry the numbers of the current runs and end with a question (regenerate: npm run lessons)", async () => {
    const built = await buildLessons();
    expect(built.size).toBe(9);
    for (const [name, text] of built) {
      expect(readFileSync(join(LESSON_PAGES, name), "utf8"), `${name} is out of date; run npm run lessons`).toBe(text);
      expect(text).toMatch(/## Check for understanding\n\n[^#]+\?/);
      expect(text).not.toMatch(/\{\{/);
    }
  }, 120_000);

  it("fills values, durations and shares, and refuses a path results.json lacks", () => {
    const results = { summary: { messages: { created: 200, bounced: 15 }, latency: { overall: { p50_s: 5400 } } } };
    const data = { results, story: "1. a", table: "t" };
    expect(fillLesson("{{ summary.messages.bounced }} / {{ summary.messages.bounced | pct }} / {{ summary.latency.overall.p50_s | human }}", data, "x.md")).toContain(
      "15 / 7.5% / 1h 30m",
    );
    expect(() => fillLesson("{{ summary.nope }}", data, "x.md")).toThrow(/x\.md: \{\{ summary\.nope \}\} is not in results\.json/);
  });
});
