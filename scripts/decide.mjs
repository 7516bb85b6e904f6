// Regenerates docs/lessons/decide.md from fresh runs of scenarios/decide/ (src/cli/decide.ts).
// Run by `npm run lessons`; test/cli/decide.test.ts checks the page is up to date.
import { writeFileSync } from "node:fs";
import { buildDecidePage, DECIDE_PAGE } from "../dist/cli/decide.js";

writeFileSync(DECIDE_PAGE, buildDecidePage());
console.log(`updated ${DECIDE_PAGE}`);
