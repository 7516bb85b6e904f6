import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "../../src/i18n/index.js";
import { simulate } from "../../src/core/simulate.js";
import { reportHtml } from "../../src/report/html.js";
import { runVerdict } from "../../src/report/run-verdict.js";
import { summarize } from "../../src/report/summary.js";
import { loadScenario } from "../../src/scenario/load.js";

const summaryOf = (file: string) => {
  const r = loadScenario(readFileSync(file, "utf8"), file);
  if (!r.ok) throw new Error(file);
  return { model: r.model, summary: summarize(simulate(r.model)) };
};

describe("report.html's one-sentence verdict", () => {
  it("tells what became of the legitimate mail with the summary's numbers", () => {
    const { summary: s } = summaryOf("scenarios/04-outage-longer-than-lifetime.yaml");
    const m = s.messages;
    const v = runVerdict(s);
    expect(v).toContain(`Of ${m.created} legitimate messages sent, ${m.delivered} (`);
    expect(v).toContain(`${m.delivered_direct} directly, ${m.delivered_via_secondary} through a backup MX`);
    expect(v).toContain(`${m.bounced} (${((100 * m.bounced) / m.created).toFixed(1)}%) bounced`);
  });

  it("keeps spam apart: its rejections are not bounces; its cost is the backscatter", () => {
    const { summary: s } = summaryOf("scenarios/07-spam-backscatter.yaml");
    const v = runVerdict(s);
    expect(v).toContain("none bounced");
    expect(v).toContain(`servers sent ${s.notifications.backscatter} backscatter DSNs to forged senders`);
  });

  it("opens the page, and the scenario file is at its end, collapsed and escaped", () => {
    const { model, summary } = summaryOf("scenarios/02-article-outage.yaml");
    const html = reportHtml({ model, summary, seed: 42, version: "t", charts: [], story: { message: 0, steps: [] }, scenarioText: "name: <b>x</b>\n" });
    expect(html.indexOf('<p class="verdict">')).toBeLessThan(html.indexOf("<h2>Summary</h2>"));
    expect(html).toContain('<details><summary>The scenario file this run read</summary>\n<pre class="scenario">name: &lt;b&gt;x&lt;/b&gt;\n</pre>');
  });

  describe("in Spanish", () => {
    afterEach(() => setLang("en"));

    it("tells the same numbers with Spanish words, decimal commas and a space before %", () => {
      const { summary: s } = summaryOf("scenarios/04-outage-longer-than-lifetime.yaml");
      const m = s.messages;
      setLang("es");
      const v = runVerdict(s);
      const share = (n: number) => `${((100 * n) / m.created).toFixed(1).replace(".", ",")} %`;
      expect(v).toContain(`Enviados: ${m.created.toLocaleString("es-ES")} mensajes legítimos. Se entregaron ${m.delivered.toLocaleString("es-ES")} (${share(m.delivered)})`);
      expect(v).toContain(`${m.bounced.toLocaleString("es-ES")} (${share(m.bounced)}) rebotaron`);
    });

    it("tells spam's backscatter, and the page says it is Spanish", () => {
      const { model, summary } = summaryOf("scenarios/07-spam-backscatter.yaml");
      setLang("es");
      expect(runVerdict(summary)).toContain("ninguno rebotó");
      expect(runVerdict(summary)).toContain(`DSN de backscatter (retrodispersión) a remitentes falsificados`);
      const html = reportHtml({ model, summary, seed: 3, version: "t", charts: [], story: { message: 0, steps: [] } });
      expect(html).toContain('<html lang="es">');
      expect(html).toContain("<strong>En una frase:</strong>");
    });
  });
});
