/**
 * report.html: one self-contained page per run (no network, images embedded
 * as data URIs, no script) with the scenario's description, the summary,
 * every chart with a plain-language note on what it shows, and the story of
 * one message. Every piece of scenario text is escaped.
 */
import escapeHtml from "escape-html";
import type { Model } from "../core/model.js";
import { PATHS } from "../core/outcomes.js";
import { inLang, lang, t } from "../i18n/index.js";
import { human, isoAt } from "./format.js";
import { num, pathTitle, shareOf } from "./report-text.js";
import { runIntroText } from "./run-intro.js";
import { runVerdict } from "./run-verdict.js";
import type { Summary } from "./summary.js";

export interface ReportChart {
  title: string;
  /** What the reader is looking at, in plain words. */
  note: string;
  /** The PNG, base64-encoded. */
  png: string;
}

export interface ReportInput {
  model: Model;
  summary: Summary;
  seed: number;
  version: string;
  charts: ReportChart[];
  story: { message: number; steps: string[]; chart?: string };
  /** The scenario file the run read, shown collapsed at the end of the page. */
  scenarioText?: string;
}

/** The charts `mxsim run` draws, by chart name. */
export const CHART_NAMES = ["queue-depth", "latency", "timeline", "delivery-by-profile"] as const;

/** Notes for the charts `mxsim run` draws, by chart name: read (or spread) in the language current at that moment. */
export const CHART_NOTES: Record<string, { title: string; note: string }> = Object.fromEntries(
  CHART_NAMES.map((name) => [
    name,
    {
      get title() {
        return t(`report:chart.${name}.title`);
      },
      get note() {
        return t(`report:chart.${name}.note`);
      },
    },
  ]),
);

const e = (s: string | number) => escapeHtml(String(s));
/** Text between tags needs only &, < and > escaped (the page's fixed paragraphs keep their apostrophes). */
const textOnly = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function table(head: string[], rows: (string | number)[][]): string {
  return (
    `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="n"' : ""}>${e(c)}</td>`).join("")}</tr>`).join("") +
    "</tbody></table>"
  );
}

export function reportHtml(input: ReportInput): string {
  const { model } = input;
  return `<!doctype html>
<html lang="${lang()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mxsim: ${e(model.name)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>mxsim: ${e(model.name)}</h1>
<p class="meta">${e(t("report:html.meta", { seed: input.seed, duration: human(model.duration), start: isoAt(model.startEpochMs, 0), version: input.version }))}</p>
<p class="verdict"><strong>${e(t("report:html.verdict"))}</strong> ${e(runVerdict(input.summary))}</p>
<p class="setup"><strong>${e(t("report:html.setup"))}</strong> ${e(runIntroText(model))}</p>
${inLang(model.descriptions, model.description) ? `<p>${e(inLang(model.descriptions, model.description))}</p>` : ""}
${intro()}
<h2>${e(t("report:html.summary"))}</h2>
${summaryTables(model, input.summary)}
<h2>${e(t("report:html.charts"))}</h2>
${chartFigures(input.charts) || `<p>${e(t("report:html.noCharts"))}</p>`}
<h2>${e(t("report:html.story", { message: input.story.message }))}</h2>
<ol class="story">
${storySteps(input.story.steps)}
</ol>
${storyChart(input.story)}
${input.scenarioText !== undefined ? `<details><summary>${e(t("report:html.scenarioFile"))}</summary>\n<pre class="scenario">${e(input.scenarioText)}</pre>\n</details>` : ""}
</body>
</html>
`;
}

const STYLE = `body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; }
td.n { text-align: right; }
th { background: #f2f2f2; }
figure { margin: 1.5em 0; }
figure img { width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { margin-top: 0.4em; }
ol.story pre { white-space: pre-wrap; font-family: inherit; margin: 0.2em 0 0.6em; }
.intro { background: #f7f7f2; border-left: 4px solid #ccb; padding: 0.6em 1em; }
.verdict { font-size: 1.1em; }
details { margin: 2em 0; }
pre.scenario { background: #f7f7f7; border: 1px solid #ddd; padding: 0.8em; overflow-x: auto; }`;

/** What any run's page shows, for a reader new to MX failover. */
const intro = () => `<div class="intro">
<p><strong>${e(t("report:html.introTitle"))}</strong> ${textOnly(t("report:html.intro"))}</p>
</div>`;

/** The summary's tables, one a line: messages, latency, and (when there are any) queue peaks, drain times and connections. */
function summaryTables(model: Model, s: Summary): string {
  const connections = connectionRows(s);
  return [
    table([t("report:table.messages"), t("report:table.count"), t("report:table.share")], countRows(s)),
    table([t("report:table.latency"), t("report:table.count"), "p50", "p90", "p99", t("report:reps.max")], latencyRows(s)),
    s.peak_queue.length ? table([t("report:table.queue"), t("report:table.peakDepth"), t("report:table.firstReached")], queueRows(model, s)) : "",
    s.drain.length ? table([t("report:table.queue"), t("report:table.afterOutageOf"), t("report:table.emptyAgain")], drainRows(model, s)) : "",
    connections.length ? table([t("report:table.connectionsTo"), t("report:table.connectionAttemptsHead"), t("report:table.sessionsHead")], connections) : "",
  ].join("\n");
}

/** Every server that got a connection: TCP connection attempts and sessions opened (the TCP connection succeeded). */
function connectionRows(s: Summary): (string | number)[][] {
  return Object.entries(s.connections)
    .filter(([, c]) => c.attempted > 0)
    .map(([name, c]) => [name, num(c.attempted), num(c.opened)]);
}

function countRows(s: Summary): (string | number)[][] {
  const m = s.messages;
  const pct = (n: number) => (m.created > 0 ? shareOf(n, m.created) : "-");
  return [
    [t("report:table.created"), num(m.created), ""],
    [pathTitle("direct"), num(m.delivered_direct), pct(m.delivered_direct)],
    [pathTitle("via-secondary"), num(m.delivered_via_secondary), pct(m.delivered_via_secondary)],
    [pathTitle("sender-retry"), num(m.delivered_after_sender_retry), pct(m.delivered_after_sender_retry)],
    [t("report:table.bounced"), num(m.bounced), pct(m.bounced)],
    ...Object.entries(m.bounced_by).map(([by, n]) => [t("report:table.bouncedByLong", { by }), num(n), pct(n)]),
    [t("report:table.stillQueued"), num(m.still_queued), pct(m.still_queued)],
    [t("report:table.delayWarnings"), num(s.notifications.delayed), ""],
    [t("report:table.backscatter"), num(s.notifications.backscatter), ""],
  ];
}

function latencyRows(s: Summary): (string | number)[][] {
  const lat = (label: string, l: Summary["latency"]["overall"]) =>
    l ? [label, num(l.count), human(l.p50_s), human(l.p90_s), human(l.p99_s), human(l.max_s)] : [label, num(0), "-", "-", "-", "-"];
  return [lat(t("report:table.allDelivered"), s.latency.overall), ...PATHS.map((p) => lat(pathTitle(p), s.latency[p]))];
}

function queueRows(model: Model, s: Summary): (string | number)[][] {
  return s.peak_queue.map((q) => [
    t(q.kind === "sender" ? "report:table.senderQueue" : "report:table.backupQueue", { node: q.node }),
    num(q.peak),
    q.peak > 0 ? isoAt(model.startEpochMs, q.at_s) : "-",
  ]);
}

function drainRows(model: Model, s: Summary): (string | number)[][] {
  return s.drain.map((d) => [
    d.queue,
    t("report:table.outageOfFrom", { server: d.outage_of, start: isoAt(model.startEpochMs, d.outage_start_s), duration: human(d.outage_end_s - d.outage_start_s) }),
    d.drain_s === null ? t("report:table.notWithinRun") : human(d.drain_s),
  ]);
}

function chartFigures(charts: ReportChart[]): string {
  return charts
    .map(
      (c) =>
        `<figure><img alt="${e(c.title)}" src="data:image/png;base64,${c.png}"><figcaption><strong>${e(c.title)}.</strong> ${e(c.note)}</figcaption></figure>`,
    )
    .join("\n");
}

function storySteps(steps: string[]): string {
  return steps.map((step) => `<li><pre>${e(step)}</pre></li>`).join("\n");
}

function storyChart(story: ReportInput["story"]): string {
  return story.chart
    ? `<figure><img alt="${e(t("report:html.storyChartAlt", { message: story.message }))}" src="data:image/png;base64,${story.chart}"><figcaption><strong>${e(t("report:html.storyChartTitle"))}</strong> ${e(t("report:html.storyChartNote"))}</figcaption></figure>`
    : "";
}
