// Regenerates docs/lessons/*.md from docs/lessons/src/*.md, and docs/lessons/es/*.md from
// docs/lessons/src/es/*.md, with numbers from fresh runs.
// Run with `npm run lessons`; test/cli/lessons.test.ts checks the pages are up to date.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildLessons, LESSON_PAGES } from "../dist/cli/lessons.js";

const pages = await buildLessons();
for (const [name, text] of pages) {
  mkdirSync(dirname(join(LESSON_PAGES, name)), { recursive: true });
  writeFileSync(join(LESSON_PAGES, name), text);
}
console.log(`updated ${pages.size} lesson pages in ${LESSON_PAGES}/`);
