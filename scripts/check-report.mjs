// Opens mxsim's HTML pages in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) and checks that each works offline: no console
// errors, no page errors, no network requests, every image loaded and shown,
// an mxsim heading. Saves a full-page screenshot of each to look at.
//
//   node scripts/check-report.mjs [page.html] [--screenshot file.png]
//
// Without a page it builds them into a temporary folder and checks them all:
// the report.html of scenarios/02-article-outage.yaml (screenshot
// output/report-check.png) and of scenarios/07-spam-backscatter.yaml
// (output/report-spam-check.png), each in English and in Spanish (--lang es:
// output/report-es-check.png, output/report-spam-es-check.png; the page must say
// lang="es"), the compare.html of scenarios/compare/*.yaml
// (output/compare-check.png) and the sweep.html of an outage-length sweep
// (output/sweep-check.png). Exit code 0 when every page passes, 1 otherwise.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const shotAt = args.indexOf("--screenshot");
const screenshot = shotAt >= 0 ? args.splice(shotAt, 2)[1] : undefined;
const mxsim = (...argv) => execFileSync(process.execPath, ["dist/cli/main.js", ...argv], { stdio: "ignore" });

let pages;
let cleanup;
if (args[0]) pages = [{ file: args[0], screenshot: screenshot ?? "output/report-check.png" }];
else {
  const dir = mkdtempSync(join(tmpdir(), "mxsim-report-"));
  cleanup = () => rmSync(dir, { recursive: true, force: true });
  const compare = readdirSync("scenarios/compare").filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios/compare", f));
  mxsim("run", "scenarios/02-article-outage.yaml", "--out", join(dir, "run"), "--lang", "en");
  mxsim("run", "scenarios/02-article-outage.yaml", "--out", join(dir, "run-es"), "--lang", "es");
  mxsim("run", "scenarios/07-spam-backscatter.yaml", "--out", join(dir, "spam"), "--lang", "en");
  mxsim("run", "scenarios/07-spam-backscatter.yaml", "--out", join(dir, "spam-es"), "--lang", "es");
  mxsim("compare", ...compare, "--out", join(dir, "compare"));
  mxsim("sweep", compare[0], compare[1], "--set", "servers/fcmx1.blyx.com/outages/0/duration", "--range", "1h..10d", "--steps", "8", "--out", join(dir, "sweep"));
  pages = [
    { file: join(dir, "run", "report.html"), screenshot: "output/report-check.png", lang: "en", report: true },
    { file: join(dir, "run-es", "report.html"), screenshot: "output/report-es-check.png", lang: "es", report: true },
    { file: join(dir, "spam", "report.html"), screenshot: "output/report-spam-check.png", lang: "en", report: true },
    { file: join(dir, "spam-es", "report.html"), screenshot: "output/report-spam-es-check.png", lang: "es", report: true },
    { file: join(dir, "compare", "compare.html"), screenshot: "output/compare-check.png" },
    { file: join(dir, "sweep", "sweep.html"), screenshot: "output/sweep-check.png" },
  ];
}
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`check-report: no Chromium at ${executablePath}; install Debian's chromium package or set CHROMIUM`);
  process.exit(1);
}

const userDataDir = mkdtempSync(join(tmpdir(), "mxsim-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1200, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
});
const problems = [];
try {
  for (const p of pages) problems.push(...(await check(p)).map((m) => `${p.file}: ${m}`));
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  cleanup?.();
}
for (const p of problems) console.error(`check-report: ${p}`);
process.exit(problems.length > 0 ? 1 : 0);

/**
 * One page's problems (none when it passes); its screenshot saved to `shot`. A page built in a
 * language must say so (<html lang>); a run's report must open with its verdict and introduction.
 */
async function check({ file, screenshot: shot, lang, report }) {
  const problems = [];
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("request", (req) => {
    if (!req.url().startsWith("file:") && !req.url().startsWith("data:")) problems.push(`network request: ${req.url()}`);
  });
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
  const images = await page.$$eval("img", (imgs) =>
    imgs.map((img) => ({ alt: img.alt, ok: img.complete && img.naturalWidth > 0, shown: img.getBoundingClientRect().width > 0 })),
  );
  if (images.length === 0) problems.push("no charts on the page");
  for (const img of images) if (!img.ok || !img.shown) problems.push(`chart not visible: ${img.alt}`);
  if ((await page.$$("script")).length > 0) problems.push("the page has a script");
  const title = await page.textContent("h1");
  if (!title || !title.startsWith("mxsim:")) problems.push("no mxsim heading");
  const pageLang = await page.getAttribute("html", "lang");
  if (lang && pageLang !== lang) problems.push(`the page says lang="${pageLang}", not "${lang}"`);
  if (report) {
    for (const sel of ["p.verdict", "p.setup"]) if (!(await page.textContent(sel))?.trim()) problems.push(`no ${sel} paragraph`);
  }
  // A table wider than the page is cut off on a projector: every table must fit.
  const wide = await page.$$eval("table", (ts) => ts.filter((t) => t.getBoundingClientRect().right > document.documentElement.clientWidth).length);
  if (wide > 0) problems.push(`${wide} table(s) wider than the page`);
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  console.log(`check-report: ${file}: ${images.length} charts visible, ${problems.length} problems; screenshot ${shot}`);
  return problems;
}
