import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FAILURE_MODES } from "../../src/core/failure-modes.js";
import { PATHS } from "../../src/core/outcomes.js";
import { CATALOGS, LANGS, setLang, tIn } from "../../src/i18n/index.js";
import { metricKey } from "../../src/cli/text/replications-table.js";
import { CHART_NAMES } from "../../src/report/html.js";
import { METRICS } from "../../src/report/metrics.js";
import { cli, tempDir } from "../cli/helpers.js";

afterEach(() => setLang("en"));

/** The report namespace's keys without their plural suffixes: what a missing translation would print. */
const KEYS = [...new Set(Object.keys(CATALOGS.en.report!).map((k) => k.replace(/_(one|many|other)$/, "")))];
/** Words of the English fixed text that Spanish output must not contain. */
const ENGLISH = [" the ", " and ", "messages", "delivered", "bounced", "queued"];

async function run(file: string, lang: string, ...more: string[]) {
  const out = tempDir();
  const r = await cli("run", file, "--out", out, "--lang", lang, ...more);
  expect(r.code, r.stderr).toBe(0);
  const files = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
  return { stdout: r.stdout.replaceAll(out, "OUT"), files, html: files["report.html"]!.toString("utf8") };
}

/** The page without the parts the scenario or other namespaces write: its description, the story's steps, the scenario file. */
function fixedHtml(html: string, description: string): string {
  return html
    .replace(/<ol class="story">[\s\S]*?<\/ol>/, "")
    .replace(/<details>[\s\S]*?<\/details>/, "")
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/src="data:[^"]*"/g, "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll(description.replace(/'/g, "&#39;"), "");
}

describe("the run's summary and report.html in Spanish", () => {
  for (const file of ["scenarios/02-article-outage.yaml", "scenarios/07-spam-backscatter.yaml", "scenarios/04-outage-longer-than-lifetime.yaml"]) {
    it(`${file}: no raw key and no English word in the fixed text`, async () => {
      const { stdout, html } = await run(file, "es", "--no-charts");
      // The shipped scenarios give their description in both languages: the Spanish one is shown.
      const description = (parse(readFileSync(file, "utf8")) as { description: { es: string } }).description.es;
      expect(stdout).toContain(description);
      const text = stdout.replace(description, "");
      const page = fixedHtml(html, description);
      expect(html).toContain('<html lang="es">');
      // File names (messages.csv) are names, not English.
      for (const out of [text, page].map((o) => o.replace(/[\w.-]+\.(csv|json|txt|html|png)\b/g, ""))) {
        for (const key of KEYS) expect(out).not.toContain(key);
        for (const word of ENGLISH) expect(out.toLowerCase()).not.toContain(word);
      }
      expect(page).toContain("Qué simula esta ejecución.");
    });
  }

  it("the chart captions too, when charts are drawn", async () => {
    const { html } = await run("scenarios/02-article-outage.yaml", "es");
    const captions = [...html.matchAll(/<figcaption>([\s\S]*?)<\/figcaption>/g)].map((m) => m[1]!).join(" ");
    expect(captions).toContain("Profundidad de las colas");
    for (const word of ENGLISH) expect(captions.toLowerCase()).not.toContain(word);
  });

  it("prints the same bytes on two runs; results.json, --json and the CSV files are the same in both languages", async () => {
    const [es1, es2, en] = [await run("scenarios/02-article-outage.yaml", "es", "--no-charts"), await run("scenarios/02-article-outage.yaml", "es", "--no-charts"), await run("scenarios/02-article-outage.yaml", "en", "--no-charts")];
    expect(es2.stdout).toBe(es1.stdout);
    expect(es2.html).toBe(es1.html);
    expect(es1.stdout).not.toBe(en.stdout);
    for (const name of Object.keys(en.files).filter((f) => /\.(json|csv)$/.test(f))) expect(es1.files[name]!.equals(en.files[name]!), name).toBe(true);
    const json = async (lang: string) => (await cli("run", "scenarios/07-spam-backscatter.yaml", "--no-charts", "--json", "--out", tempDir(), "--lang", lang)).stdout;
    expect(await json("es")).toBe(await json("en"));
  });

  it("a scenario's expectations are printed in Spanish and keep their English text in results.json", async () => {
    const dir = tempDir();
    const file = join(dir, "expect.yaml");
    writeFileSync(file, `${readFileSync("scenarios/02-article-outage.yaml", "utf8")}\nexpect: { bounced: 0, bounce_rate: 1, max_latency: 1h }\n`);
    const runIn = async (lang: string) => {
      const out = join(dir, lang);
      const r = await cli("run", file, "--no-charts", "--out", out, "--lang", lang);
      return { ...r, json: readFileSync(join(out, "results.json"), "utf8") };
    };
    const [es, en] = [await runIn("es"), await runIn("en")];
    expect(es.code).toBe(1);
    expect(es.stdout).toContain("Expectativas (1 incumplida: código de salida 1):");
    expect(es.stdout).toMatch(/ cumple {4}bounce_rate 0,00 % ≤ 1,00 %\n/);
    expect(es.stdout).toMatch(/ NO CUMPLE max_latency 1d 12h > 1h\n/);
    expect(en.stdout).toMatch(/ BROKEN max_latency 1d 12h > 1h\n/);
    expect(es.json).toBe(en.json);
    expect(JSON.parse(es.json).expectations.map((c: { text: string }) => c.text)).toContain("bounce_rate 0.00% ≤ 1.00%");
  });
});

describe("every key the report builds from a name is in both languages", () => {
  const names = [
    ...PATHS.map((p) => `path.${p}`),
    ...FAILURE_MODES.map((m) => `mode.${m}`),
    ...CHART_NAMES.flatMap((c) => [`chart.${c}.title`, `chart.${c}.note`]),
    ...METRICS.map((m) => `metric.${metricKey(m.label)}`),
  ];
  for (const l of LANGS) {
    it(l, () => {
      for (const n of names) expect(CATALOGS[l].report, n).toHaveProperty([n]);
      // The English metric titles are the labels results.json keeps.
      for (const m of METRICS) if (l === "en") expect(tIn("en", `report:metric.${metricKey(m.label)}`)).toBe(m.label);
    });
  }
});
