// Opens an mxsim report.html in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) and checks that it works offline: no console
// errors, no page errors, no network requests, every image loaded and shown.
// Saves a full-page screenshot to look at.
//
//   node scripts/check-report.mjs [report.html] [--screenshot file.png]
//
// Without a report it runs scenarios/02-article-outage.yaml into a temporary
// folder and checks that one. Exit code 0 when the page passes, 1 otherwise.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const shotAt = args.indexOf("--screenshot");
const screenshot = shotAt >= 0 ? args.splice(shotAt, 2)[1] : "output/report-check.png";
let report = args[0];
let cleanup;
if (!report) {
  const dir = mkdtempSync(join(tmpdir(), "mxsim-report-"));
  execFileSync(process.execPath, ["dist/cli/main.js", "run", "scenarios/02-article-outage.yaml", "--out", join(dir, "out")], { stdio: "ignore" });
  report = join(dir, "out", "report.html");
  cleanup = () => rmSync(dir, { recursive: true, force: true });
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
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("request", (req) => {
    if (!req.url().startsWith("file:") && !req.url().startsWith("data:")) problems.push(`network request: ${req.url()}`);
  });
  const url = pathToFileURL(resolve(report)).href;
  await page.goto(url, { waitUntil: "load" });
  const images = await page.$$eval("img", (imgs) =>
    imgs.map((img) => ({ alt: img.alt, ok: img.complete && img.naturalWidth > 0, shown: img.getBoundingClientRect().width > 0 })),
  );
  if (images.length === 0) problems.push("no charts on the page");
  for (const img of images) if (!img.ok || !img.shown) problems.push(`chart not visible: ${img.alt}`);
  const title = await page.textContent("h1");
  if (!title || !title.startsWith("mxsim:")) problems.push("no mxsim heading");
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`check-report: ${report}: ${images.length} charts visible, ${problems.length} problems; screenshot ${screenshot}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  cleanup?.();
}
for (const p of problems) console.error(`check-report: ${p}`);
process.exit(problems.length > 0 ? 1 : 0);
