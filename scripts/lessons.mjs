// Regenerates docs/lessons/*.md from docs/lessons/src/*.md with numbers from fresh runs.
// Run with `npm run lessons`; test/cli/lessons.test.ts checks the pages are up to date.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildLessons, LESSON_PAGES } from "../dist/cli/lessons.js";

const pages = await buildLessons();
for (const [name, text] of pages) writeFileSync(join(LESSON_PAGES, name), text);
console.log(`updated ${pages.size} lesson pages in ${LESSON_PAGES}/`);
