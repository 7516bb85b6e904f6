/** sweep.html: the sweep on one self-contained page (html-page.ts): the table, the bounce rate per sender profile, where bounces begin, the charts. */
import { human } from "./format.js";
import { esc, figures, page, pageTable, type PageCell, type PageChart } from "./html-page.js";
import { NOT_DELIVERED, type Percentile } from "./mail-outcomes.js";
import { bouncesBegin, sweepProfiles, type SweepSeries } from "./sweep.js";

export interface SweepHtmlInput {
  param: string;
  seed: number;
  runs: number;
  series: SweepSeries[];
  version: string;
  /** The PNGs drawn, by chart name (none with --no-charts). */
  charts: { name: string; png: string }[];
}

export const SWEEP_CHART_NOTES: Record<string, { title: string; note: string }> = {
  "sweep-bounces": {
    title: "Bounced legitimate mail against the parameter",
    note:
      "The share of the legitimate mail that bounced at each value, one line per setup: where a line leaves zero, bounces begin. " +
      "A dotted line above it adds the mail still queued when the run ended: bounced or not, that mail never arrived within the run.",
  },
  "sweep-bounces-by-profile": {
    title: "Bounced legitimate mail by sender profile, for the setup that bounces the most",
    note:
      "One line per sending MTA: the share of that sender's mail that bounced at each value, for the setup named in the title (the " +
      "one that bounces the most; the table above has every setup). Each sender gives up after its own time, so as the value grows " +
      "the senders that give up first leave zero first; the thick grey line is all the setup's legitimate mail together.",
  },
  "sweep-p95": {
    title: "95th percentile of the time to delivery, over all mail sent",
    note:
      "95% of all the legitimate mail sent was delivered within this time. Where more than 5% bounced or was still queued, no time is " +
      "true: the point is a cross in the red band at the top, \"not delivered\".",
  },
};

const timeCell = (p: Percentile): PageCell => (p === NOT_DELIVERED ? { text: NOT_DELIVERED, missing: true } : { text: human(p), numeric: true });

export function sweepHtml(input: SweepHtmlInput): string {
  const { series, param } = input;
  const charts: PageChart[] = input.charts.map((c) => ({ ...(SWEEP_CHART_NOTES[c.name] ?? { title: c.name, note: "" }), png: c.png }));
  const head = [param, "legitimate mail sent", "bounced", "still queued", "p50", "p95", "p99"];
  const rows = series.flatMap((s) => [
    s.variant,
    ...s.points.map((p): PageCell[] => [
      { text: p.value },
      { text: String(round(p.created)), numeric: true },
      { text: `${round(p.bounced)} (${p.bounceRate.toFixed(1)}%)`, numeric: true },
      { text: String(round(p.queued)), numeric: true },
      timeCell(p.p50),
      timeCell(p.p95),
      timeCell(p.p99),
    ]),
  ]);
  const body = `<p class="meta">Varying ${esc(param)} · seed ${esc(input.seed)}${input.runs > 1 ? ` · mean of ${esc(input.runs)} runs per point, percentiles over the mail of all of them` : ""} · mxsim ${esc(input.version)}</p>
<h2>Where bounces begin</h2>
<div class="verdict"><ul>
${series.map((s) => `<li><strong>${esc(s.variant)}</strong>: ${esc(bouncesBegin(s.points))}</li>`).join("\n")}
</ul></div>
<h2>Point by point</h2>
<p>Times to delivery are over all legitimate mail sent; one that falls on mail that bounced or was still queued is "not delivered".</p>
${pageTable(head, rows)}
${profileTable(series)}
<h2>Charts</h2>
${figures(charts)}`;
  return page(`sweep of ${param}`, body);
}

const round = (x: number) => Math.round(x * 10) / 10;

function profileTable(series: SweepSeries[]): string {
  const mtas = sweepProfiles(series);
  if (mtas.length < 2) return "";
  const rows = series.flatMap((s) => [
    s.variant,
    ...s.points.map((p): PageCell[] => [{ text: p.value }, ...mtas.map((m) => ({ text: p.byProfile[m] === undefined ? "-" : `${p.byProfile[m]!.toFixed(1)}%`, numeric: true }))]),
  ]);
  return `<h2>Bounce rate by sender profile</h2>\n${pageTable(["", ...mtas], rows)}`;
}
