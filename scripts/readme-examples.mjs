// Regenerates what the README shows from the article's scenario: the summary
// table (between the example-output markers) and the three example charts.
// Run with `npm run readme-examples`; test/cli/readme.test.ts checks the table.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = join(mkdtempSync(join(tmpdir(), "mxsim-readme-")), "article-outage");
const table = execFileSync(process.execPath, ["dist/cli/main.js", "run", "scenarios/02-article-outage.yaml", "--out", out], {
  encoding: "utf8",
  env: { ...process.env, NO_COLOR: "1" },
});
// The last line names the temporary folder; the README shows the default one.
const shown = table.replace(/^Wrote \S+\/:/m, "Wrote output/article-outage/:");
for (const chart of ["queue-depth", "latency", "timeline"]) {
  copyFileSync(join(out, `${chart}.png`), join("docs/images", `article-outage-${chart}.png`));
}
rmSync(join(out, ".."), { recursive: true, force: true });

const readme = readFileSync("README.md", "utf8");
const start = "<!-- example-output:start -->\n";
const end = "<!-- example-output:end -->";
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i < 0 || j < i) throw new Error("README.md has no example-output markers");
writeFileSync("README.md", `${readme.slice(0, i + start.length)}\`\`\`text\n$ npm run demo\n${shown}\`\`\`\n${readme.slice(j)}`);
console.log("updated README.md example output and docs/images/article-outage-*.png");
