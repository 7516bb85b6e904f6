/** A scenario's description in several languages: the reader's language in the summary and report, English in results.json. */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { simulate } from "../../src/core/simulate.js";
import { setLang } from "../../src/i18n/index.js";
import { reportHtml } from "../../src/report/html.js";
import { summarize } from "../../src/report/summary.js";
import { loadScenario } from "../../src/scenario/load.js";
import { summaryTable } from "../../src/cli/text/summary-table.js";
import { cli } from "../cli/helpers.js";

const ARTICLE = "scenarios/02-article-outage.yaml";
const modelOf = (text: string) => {
  const r = loadScenario(text, "t.yaml");
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.model;
};

afterEach(() => setLang("en"));

describe("a description per language", () => {
  const model = modelOf(readFileSync(ARTICLE, "utf8"));
  const es = model.descriptions!.es!;
  const en = model.descriptions!.en!;

  it("the model's description is the English one; the summary and report.html show the reader's", () => {
    expect(model.description).toBe(en);
    expect(es).toMatch(/MX secundario/);
    const r = simulate(model);
    const s = summarize(r);
    setLang("es");
    expect(summaryTable(model, s, { color: false, seed: r.seed })).toContain(es);
    expect(summaryTable(model, s, { color: false, seed: r.seed })).not.toContain(en);
    expect(reportHtml({ model, summary: s, seed: r.seed, version: "test", charts: [], story: { message: 0, steps: [] } })).toContain("El ejemplo del art");
    setLang("en");
    expect(summaryTable(model, s, { color: false, seed: r.seed })).toContain(en);
  });

  it("results.json keeps the English description whatever the language", async () => {
    const json = async (l: string) => JSON.parse((await cli("run", ARTICLE, "--json", "--no-charts", "--out", `/tmp/mxsim-desc-${l}-${process.pid}`, "--lang", l)).stdout);
    const [a, b] = [await json("en"), await json("es")];
    expect(a.description).toBe(en);
    expect(b.description).toBe(en);
  });

  it("a scenario written in one language only shows that text in any language", () => {
    const only = readFileSync(ARTICLE, "utf8").replace(/(description:\n) {2}en: >-\n(?: {4}.*\n)+/, "$1");
    expect(only).not.toBe(readFileSync(ARTICLE, "utf8"));
    const m = modelOf(only);
    expect(m.description).toBe(es);
  });

  it("a language mxsim does not write is an error naming the key", () => {
    const bad = readFileSync(ARTICLE, "utf8").replace("  es: >-", "  fr: >-");
    const r = loadScenario(bad, "t.yaml");
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.diagnostics[0]!.path, r.diagnostics[0]!.message]).toEqual(["description.fr", expect.stringMatching(/unknown key "fr"/)]);
  });
});
