/** compare.html: the comparison on one self-contained page (html-page.ts): the verdicts, every row, each scenario's expectations, the charts. */
import { inLang } from "../i18n/index.js";
import type { Variant, Verdicts } from "./compare.js";
import { compareRows } from "./compare-rows.js";
import { human } from "./format.js";
import { esc, figures, page, pageTable, type PageCell, type PageChart } from "./html-page.js";

export interface CompareHtmlInput {
  variants: Variant[];
  verdicts: Verdicts;
  seed: number;
  version: string;
  /** The PNGs drawn, by chart name (none with --no-charts). */
  charts: { name: string; png: string }[];
}

/** What each compare chart shows, in plain words. */
export const COMPARE_CHART_NOTES: Record<string, { title: string; note: string }> = {
  "compare-delivery": {
    title: "Share of all mail delivered within a given time",
    note:
      "For each setup, the share of all the legitimate mail sent that had reached its mailbox within the time on the x axis. " +
      "A line that stops below 100% at the right edge lost the rest: it bounced, or was still queued when the run ended. " +
      "The higher and the further left a line, the better.",
  },
  "compare-outcomes": {
    title: "What became of the legitimate mail",
    note: "Each bar is all the legitimate mail sent in one setup, split by how it ended: delivered (by path), bounced (red) or still queued (grey).",
  },
  "compare-by-profile": {
    title: "Legitimate mail that never arrived, by sender profile",
    note:
      "For each sending MTA, one bar per setup: the share of that sender's mail that bounced (solid) or was still queued when the run " +
      "ended (pale, on top), with the numbers written on the bar. Without a backup, each sender gives up after its own time (under the " +
      "name), so the senders that give up first lose the most; a bar that drops to 0 in another setup is mail that setup saves.",
  },
  "compare-spam": {
    title: "What became of the spam",
    note:
      "Spam sent with forged senders. Rejected at SMTP time costs nothing; accepted and then bounced means a notification to an innocent " +
      "third party whose address was forged (backscatter); delivered through a backup MX is spam that got past the primary's checks.",
  },
  "compare-queue": {
    title: "Mail waiting in queues",
    note: "All queues added up (backup MXs and the senders' own), over time: mail that waits is mail that arrives late, or not at all.",
  },
};

export function compareHtml(input: CompareHtmlInput): string {
  const { variants, verdicts } = input;
  const names = variants.map((v) => v.name);
  const charts: PageChart[] = input.charts.map((c) => ({ ...(COMPARE_CHART_NOTES[c.name] ?? { title: c.name, note: "" }), png: c.png }));
  const body = `<p class="meta">Seed ${esc(input.seed)} for every scenario · mxsim ${esc(input.version)}</p>
<ul>
${variants.map((v) => `<li><strong>${esc(v.name)}</strong> (${esc(human(v.result.model.duration))}): ${esc(inLang(v.result.model.descriptions, v.result.model.description))}</li>`).join("\n")}
</ul>
<h2>Verdict</h2>
<div class="verdict">
<p>Against <strong>${esc(verdicts.baseline)}</strong>, the baseline (${esc(verdicts.chosen)}):</p>
<ul>
${verdicts.sentences.map((s) => `<li>${esc(s.text)}</li>`).join("\n")}
</ul>
</div>
${expectationsHtml(variants)}
<h2>Side by side</h2>
<p>Legitimate mail counts every message sent, delivered or not; a time to delivery that falls on mail that bounced or was still queued is "not delivered".</p>
${pageTable(["", ...names], tableRows(variants))}
<h2>Charts</h2>
${figures(charts)}`;
  return page(`compare ${names.join(", ")}`, body);
}

function tableRows(variants: Variant[]): (PageCell[] | string)[] {
  const rows: (PageCell[] | string)[] = [];
  let section = "";
  for (const r of compareRows(variants)) {
    if (r.section !== section) rows.push((section = r.section));
    rows.push([{ text: r.label, indent: r.indent > 0 }, ...r.cells.map((c) => ({ text: c.text, numeric: true, missing: c.value === null && c.note !== "" }))]);
  }
  return rows;
}

function expectationsHtml(variants: Variant[]): string {
  if (variants.every((v) => v.checks.length === 0)) return "";
  const items = variants.map((v) => {
    if (v.checks.length === 0) return `<li><strong>${esc(v.name)}</strong>: no expectations</li>`;
    const checks = v.checks.map((c) => `<li${c.ok ? "" : ' class="broken"'}>${c.ok ? "ok" : "BROKEN"}: ${esc(c.text)}</li>`).join("");
    return `<li><strong>${esc(v.name)}</strong><ul>${checks}</ul></li>`;
  });
  return `<h2>Expectations (expect:)</h2>\n<ul>\n${items.join("\n")}\n</ul>`;
}
