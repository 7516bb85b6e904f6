/**
 * Builds docs/lessons/*.md from docs/lessons/src/*.md: each template is
 * filled with the numbers of the scenario with the same number in scenarios/
 * (run on its own seed, without charts). Used by `npm run lessons` and by the
 * test that checks the committed pages are up to date.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fillLesson } from "../report/lesson.js";
import { runCli } from "./cli.js";

export const LESSON_SOURCES = "docs/lessons/src";
export const LESSON_PAGES = "docs/lessons";

/** The page name → its generated Markdown. */
export async function buildLessons(): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  const scenarios = readdirSync("scenarios");
  for (const file of readdirSync(LESSON_SOURCES).filter((f) => /^\d\d-.*\.md$/.test(f)).sort()) {
    const scenario = scenarios.find((s) => s.startsWith(file.slice(0, 3)) && s.endsWith(".yaml"));
    if (!scenario) throw new Error(`${LESSON_SOURCES}/${file}: no scenarios/${file.slice(0, 3)}*.yaml to take its numbers from`);
    const dir = mkdtempSync(join(tmpdir(), "mxsim-lesson-"));
    try {
      let table = "";
      let err = "";
      const code = await runCli(["run", join("scenarios", scenario), "--out", join(dir, "out"), "--no-charts"], {
        stdout: (t) => (table += t),
        stderr: (t) => (err += t),
        color: false,
      });
      if (code !== 0) throw new Error(`scenarios/${scenario}: exit ${code}: ${err}`);
      const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8"));
      const story = readFileSync(join(dir, "out", "story.txt"), "utf8");
      const template = readFileSync(join(LESSON_SOURCES, file), "utf8");
      pages.set(file, fillLesson(template, { results, story, table: table.replace(/^Wrote .*\n/m, "") }, `${LESSON_SOURCES}/${file}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return pages;
}
