/**
 * The parts of compare.html and sweep.html: a self-contained page like
 * report.html (no network, no script, charts as data URIs, its style), every
 * piece of scenario text escaped.
 */
import escapeHtml from "escape-html";
import { t } from "../i18n/index.js";

export const esc = (s: string | number) => escapeHtml(String(s));

/** A chart as the page embeds it: the PNG base64-encoded, a title and what to look at. */
export interface PageChart {
  title: string;
  note: string;
  png: string;
}

const STYLE = `body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; }
td.n { text-align: right; white-space: nowrap; }
td.nd { text-align: right; color: #a01010; font-style: italic; white-space: nowrap; }
tr.section th { background: #e8e8f0; text-align: left; }
td.indent { padding-left: 2em; }
th { background: #f2f2f2; }
figure { margin: 1.5em 0; }
figure img { width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { margin-top: 0.4em; }
.verdict { background: #f7f7f2; border-left: 4px solid #ccb; padding: 0.6em 1em; }
.broken { color: #a01010; font-weight: bold; }`;

/**
 * A whole page: `<h1>mxsim: title</h1>` and the body's HTML (already escaped).
 * `pageLang` is the language its text is written in: compare.html and sweep.html are
 * English whatever --lang says (only their charts and descriptions follow it).
 */
export function page(title: string, body: string, pageLang: string = "en"): string {
  return `<!doctype html>
<html lang="${pageLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mxsim: ${esc(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>mxsim: ${esc(title)}</h1>
${body}
</body>
</html>
`;
}

/** A cell: text, right-aligned when `numeric`; "not delivered" and its kin in red italics. */
export interface PageCell {
  text: string;
  numeric?: boolean;
  missing?: boolean;
  indent?: boolean;
}

/** A table; a row that is a string is a section heading across all columns. */
export function pageTable(head: string[], rows: (PageCell[] | string)[]): string {
  const cell = (c: PageCell) => `<td${c.missing ? ' class="nd"' : c.numeric ? ' class="n"' : c.indent ? ' class="indent"' : ""}>${esc(c.text)}</td>`;
  const body = rows
    .map((r) => (typeof r === "string" ? `<tr class="section"><th colspan="${head.length}">${esc(r)}</th></tr>` : `<tr>${r.map(cell).join("")}</tr>`))
    .join("\n");
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function figures(charts: PageChart[]): string {
  if (charts.length === 0) return `<p>${esc(t("report:page.noCharts"))}</p>`;
  return charts
    .map((c) => `<figure><img alt="${esc(c.title)}" src="data:image/png;base64,${c.png}"><figcaption><strong>${esc(c.title)}.</strong> ${esc(c.note)}</figcaption></figure>`)
    .join("\n");
}
