/**
 * report.html: one self-contained page per run (no network, images embedded
 * as data URIs, no script) with the scenario's description, the summary,
 * every chart with a plain-language note on what it shows, and the story of
 * one message. Every piece of scenario text is escaped.
 */
import escapeHtml from "escape-html";
import type { Model } from "../core/model.js";
import { PATH_INFO, PATHS } from "../core/outcomes.js";
import { human, isoAt } from "./format.js";
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

/** Notes for the charts `mxsim run` draws, by chart name. */
export const CHART_NOTES: Record<string, { title: string; note: string }> = {
  "queue-depth": {
    title: "Queue depth over time",
    note:
      "How many messages were waiting for a retry, in the backup MX's queue and in the senders' own queues. " +
      "The shaded bands are the outages. The queue grows while the primary is down and drains after it comes back: " +
      "each queued message waits for its own next retry, so the drain takes a while.",
  },
  latency: {
    title: "Delivery latency by path",
    note:
      "How long messages took from sending to the mailbox, for each way they got there. Mail delivered directly arrives " +
      "in seconds; mail that waited on the backup MX or in a sender's queue arrives hours or days later.",
  },
  timeline: {
    title: "Messages created, delivered and bounced",
    note:
      "Messages sent (dashed), delivered and bounced per time bin. During an outage deliveries stop; when the primary " +
      "returns, the queued mail arrives in a burst. Bounces appear when messages outlive a queue lifetime.",
  },
  "delivery-by-profile": {
    title: "Each sender profile's mail delivered within a given time",
    note:
      "One line per sending MTA (spam left out): the share of that sender's mail that had reached its mailbox within the time on the " +
      "x axis. Each sender retries on its own schedule and gives up after its own time, so the lines part during an outage: a line " +
      "that stops below 100% at the right edge lost the rest, bounced or still queued when the run ended (the legend says how much).",
  },
};

const e = (s: string | number) => escapeHtml(String(s));

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
<html lang="en">
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
<p class="meta">Seed ${e(input.seed)} · ${e(human(model.duration))} simulated from ${e(isoAt(model.startEpochMs, 0))} · mxsim ${e(input.version)}</p>
<p class="verdict"><strong>In one sentence:</strong> ${e(runVerdict(input.summary))}</p>
${model.description ? `<p>${e(model.description)}</p>` : ""}
${INTRO}
<h2>Summary</h2>
${summaryTables(model, input.summary)}
<h2>Charts</h2>
${chartFigures(input.charts) || "<p>Charts were not drawn for this run (--no-charts).</p>"}
<h2>The story of message ${e(input.story.message)}</h2>
<ol class="story">
${storySteps(input.story.steps)}
</ol>
${storyChart(input.story)}
${input.scenarioText !== undefined ? `<details><summary>The scenario file this run read</summary>\n<pre class="scenario">${e(input.scenarioText)}</pre>\n</details>` : ""}
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

const INTRO = `<div class="intro">
<p><strong>What you are looking at.</strong> A domain publishes MX records: the lowest preference is its primary mail server,
which holds the mailboxes; a higher one may be a backup MX that only queues mail. Senders try the MX hosts in order and
move to the next one when they cannot deliver to the first (which failures count depends on the sender's software).
A backup MX keeps what it accepts and retries the primary on its own schedule, so that mail arrives late, and bounces
if it waits longer than the backup's queue lifetime. This page shows what happened to every message of one simulated run.</p>
</div>`;

/** The summary's tables, one a line: messages, latency, and (when there are any) queue peaks, drain times and connections. */
function summaryTables(model: Model, s: Summary): string {
  const connections = connectionRows(s);
  return [
    table(["Messages", "count", "share"], countRows(s)),
    table(["Delivery latency", "count", "p50", "p90", "p99", "max"], latencyRows(s)),
    s.peak_queue.length ? table(["Queue", "peak depth", "first reached at"], queueRows(model, s)) : "",
    s.drain.length ? table(["Queue", "after the outage of", "empty again after"], drainRows(model, s)) : "",
    connections.length ? table(["Connections to", "connection attempts", "sessions"], connections) : "",
  ].join("\n");
}

/** Every server that got a connection: TCP connection attempts and sessions opened (the TCP connection succeeded). */
function connectionRows(s: Summary): (string | number)[][] {
  return Object.entries(s.connections)
    .filter(([, c]) => c.attempted > 0)
    .map(([name, c]) => [name, c.attempted, c.opened]);
}

function countRows(s: Summary): (string | number)[][] {
  const m = s.messages;
  const pct = (n: number) => (m.created > 0 ? `${((100 * n) / m.created).toFixed(1)}%` : "-");
  return [
    ["created", m.created, ""],
    [PATH_INFO.direct.title, m.delivered_direct, pct(m.delivered_direct)],
    [PATH_INFO["via-secondary"].title, m.delivered_via_secondary, pct(m.delivered_via_secondary)],
    [PATH_INFO["sender-retry"].title, m.delivered_after_sender_retry, pct(m.delivered_after_sender_retry)],
    ["bounced", m.bounced, pct(m.bounced)],
    ...Object.entries(m.bounced_by).map(([by, n]) => [`bounced by ${by}`, n, pct(n)]),
    ["still queued at the end", m.still_queued, pct(m.still_queued)],
    ["delay warnings sent", s.notifications.delayed, ""],
    ["backscatter (DSNs to forged senders)", s.notifications.backscatter, ""],
  ];
}

function latencyRows(s: Summary): (string | number)[][] {
  const lat = (label: string, l: Summary["latency"]["overall"]) =>
    l ? [label, l.count, human(l.p50_s), human(l.p90_s), human(l.p99_s), human(l.max_s)] : [label, 0, "-", "-", "-", "-"];
  return [lat("all delivered", s.latency.overall), ...PATHS.map((p) => lat(PATH_INFO[p].title, s.latency[p]))];
}

function queueRows(model: Model, s: Summary): (string | number)[][] {
  return s.peak_queue.map((q) => [`${q.node} (${q.kind === "sender" ? "sender's own queue" : "backup MX"})`, q.peak, q.peak > 0 ? isoAt(model.startEpochMs, q.at_s) : "-"]);
}

function drainRows(model: Model, s: Summary): (string | number)[][] {
  return s.drain.map((d) => [
    d.queue,
    `${d.outage_of} from ${isoAt(model.startEpochMs, d.outage_start_s)} for ${human(d.outage_end_s - d.outage_start_s)}`,
    d.drain_s === null ? "not within the run" : human(d.drain_s),
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
    ? `<figure><img alt="Timeline of message ${story.message}" src="data:image/png;base64,${story.chart}"><figcaption><strong>The same story on a timeline.</strong> One lane per mail server involved; a mark for each attempt and each connection, over the outage windows.</figcaption></figure>`
    : "";
}
