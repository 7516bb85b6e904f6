/**
 * Chart.js configurations for a run's charts: pure data, rendered to PNG by
 * the CLI (cli/render-png.ts). Built to be read on a projector: a title, axis
 * labels with units, a legend, time in hours or days, outages shaded.
 */
import type { ChartConfiguration } from "chart.js";
import { FAILURE_INFO, FAILURE_MODES, type FailureMode } from "../core/failure-modes.js";
import { BOUNCED, CONNECTION_RESULTS, DELIVERED, PATH_CODE, PATH_INFO, PATHS, type ConnectionResult, type Path } from "../core/outcomes.js";
import { messageRecord } from "../core/records.js";
import type { RunResult } from "../core/simulate.js";
import type { StoryAttempt } from "./explain.js";
import { human, timeUnit } from "./format.js";
import type { Summary } from "./summary.js";

export interface NamedChart {
  /** File name without extension. */
  name: string;
  config: ChartConfiguration;
}

export const PATH_COLORS: Record<Path, string> = {
  direct: "#1f77b4",
  "via-secondary": "#ff7f0e",
  "sender-retry": "#2ca02c",
};
/** Backup queues' colours: ten that stay apart (green is the senders', red the outages'). */
const SERIES_COLORS = ["#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#1f77b4", "#393b79", "#ad494a"];
const SENDERS_COLOR = "#2ca02c";
const OUTAGE_FILL = "rgba(214, 39, 40, 0.12)";

export function charts(r: RunResult, s: Summary): NamedChart[] {
  return [queueDepthChart(r), latencyChart(r, s), timelineChart(r)];
}

/** Shaded boxes, one per outage window of any server, labelled with the server and mode; x = (t − offset) / unit. */
function outageAnnotations(r: RunResult, unit: number, offset = 0): Record<string, unknown> {
  const boxes: Record<string, unknown> = {};
  // Labels only when there are few windows: a flapping server's dozens of labels would print over each other.
  const windows = r.outages.reduce((n, ws) => n + ws.filter((w) => w.start < r.model.duration).length, 0);
  const labelled = windows <= 6;
  r.model.servers.forEach((server, i) => {
    r.outages[i]!.forEach((w, k) => {
      if (w.start >= r.model.duration) return;
      boxes[`outage-${i}-${k}`] = {
        type: "box",
        xMin: (w.start - offset) / unit,
        xMax: (Math.min(w.end, r.model.duration) - offset) / unit,
        backgroundColor: OUTAGE_FILL,
        borderWidth: 0,
        label: {
          display: labelled,
          content: `${server.name} down (${w.mode})`,
          position: { x: "start", y: "start" },
          font: { size: 14 },
          color: "#a01010",
        },
      };
    });
  });
  return boxes;
}

function timeAxis(r: RunResult) {
  const unit = timeUnit(r.model.duration);
  return {
    unit,
    axis: {
      type: "linear" as const,
      min: 0,
      max: r.model.duration / unit.seconds,
      title: { display: true, text: `Time since the start (${unit.name})` },
      ticks: { stepSize: unit.name === "days" ? 1 : 6 },
    },
  };
}

/** "shaded: outage windows", or with many windows, how many and of which servers (they are not labelled then). */
function outageNote(r: RunResult): string {
  const counts = r.model.servers
    .map((s, i) => ({ name: s.name, n: r.outages[i]!.filter((w) => w.start < r.model.duration).length }))
    .filter((c) => c.n > 0);
  const total = counts.reduce((n, c) => n + c.n, 0);
  if (total <= 6) return "shaded: outage windows";
  return `shaded: ${counts.map((c) => `${c.n} outages of ${c.name}`).join(", ")}`;
}

/** Options every chart shares: no animation, a title and subtitle, a legend, optional shaded outages. */
export function chartOptions(
  title: string,
  subtitle: string,
  scales: Record<string, unknown>,
  annotations?: Record<string, unknown>,
): ChartConfiguration["options"] {
  return {
    responsive: false,
    animation: false,
    scales,
    plugins: {
      title: { display: true, text: title, font: { size: 22 } },
      subtitle: { display: true, text: subtitle, font: { size: 15 }, padding: { bottom: 10 } },
      legend: { display: true, position: "top" },
      ...(annotations ? { annotation: { annotations } } : {}),
    },
  } as ChartConfiguration["options"];
}

/** Lines a queue-depth chart can show and stay readable. */
const MAX_QUEUE_LINES = 10;

export function queueDepthChart(r: RunResult): NamedChart {
  const { unit, axis } = timeAxis(r);
  const q = r.queues;
  // The senders' queues are shown only when something waited there; of many backups, the busiest.
  const all = q.series.map((series, k) => ({ series, k })).filter(({ series, k }) => series.kind === "relay" || q.peak[k]! > 0);
  const shown =
    all.length <= MAX_QUEUE_LINES ? all : [...all].sort((a, b) => q.peak[b.k]! - q.peak[a.k]! || a.k - b.k).slice(0, MAX_QUEUE_LINES).sort((a, b) => a.k - b.k);
  const datasets = shown.map(({ series, k }, position) => {
    const data: { x: number; y: number }[] = [];
    for (let b = 0; b < q.bins; b++) data.push({ x: (b * q.binWidth) / unit.seconds, y: q.binMax[k]![b]! });
    data.push({ x: r.model.duration / unit.seconds, y: q.binEnd[k]![q.bins - 1]! });
    const color = series.kind === "senders" ? SENDERS_COLOR : SERIES_COLORS[position % SERIES_COLORS.length]!;
    return {
      label: series.kind === "senders" ? "senders' own queues (all senders)" : `${series.name} (backup MX queue)`,
      data,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 3,
      pointRadius: 0,
      stepped: "after" as const,
    };
  });
  return {
    name: "queue-depth",
    config: {
      type: "line",
      data: { datasets },
      options: chartOptions(
        `Queue depth over time: ${r.model.name}`,
        `Messages waiting for a retry (highest in each ${human(q.binWidth)} bin)${shown.length < all.length ? `, the ${shown.length} busiest of ${all.length} queues` : ""}; ${outageNote(r)}`,
        {
          x: axis,
          y: { type: "linear", beginAtZero: true, title: { display: true, text: "Messages queued" }, ticks: { precision: 0 } },
        },
        outageAnnotations(r, unit.seconds),
      ),
    },
  };
}

/** Latency buckets: upper bounds in seconds and labels. */
export const LATENCY_BUCKETS: { upTo: number; label: string }[] = [
  { upTo: 60, label: "< 1 min" },
  { upTo: 600, label: "1-10 min" },
  { upTo: 3600, label: "10 min-1 h" },
  { upTo: 4 * 3600, label: "1-4 h" },
  { upTo: 12 * 3600, label: "4-12 h" },
  { upTo: 86400, label: "12-24 h" },
  { upTo: 2 * 86400, label: "1-2 d" },
  { upTo: 4 * 86400, label: "2-4 d" },
  { upTo: 7 * 86400, label: "4-7 d" },
  { upTo: Infinity, label: "7 d or more" },
];

export function latencyChart(r: RunResult, s: Summary): NamedChart {
  const m = r.messages;
  const counts = new Map<number, number[]>(PATHS.map((p) => [PATH_CODE[p], LATENCY_BUCKETS.map(() => 0)]));
  for (let i = 0; i < m.count; i++) {
    if (m.outcome[i] !== DELIVERED) continue;
    const latency = m.done[i]! - m.created[i]!;
    const b = LATENCY_BUCKETS.findIndex((bucket) => latency < bucket.upTo);
    counts.get(m.path[i]!)![b]!++;
  }
  const datasets = PATHS.filter((p) => (s.latency[p]?.count ?? 0) > 0).map((p) => {
    const n = s.latency[p]!.count;
    return {
      label: `${PATH_INFO[p].title} (${n} messages)`,
      data: counts.get(PATH_CODE[p])!.map((c) => (100 * c) / n),
      backgroundColor: PATH_COLORS[p],
    };
  });
  return {
    name: "latency",
    config: {
      type: "bar",
      data: { labels: LATENCY_BUCKETS.map((b) => b.label), datasets },
      options: chartOptions(
        `Delivery latency by path: ${r.model.name}`,
        `Time from sending to arrival in the mailbox; each path's bars add up to 100%` +
          (s.messages.bounced > 0 ? `; ${s.messages.bounced} bounced messages are not shown` : ""),
        {
          x: { title: { display: true, text: "Delivery latency (time from sending to the mailbox)" } },
          y: { beginAtZero: true, max: 100, title: { display: true, text: "% of the path's delivered messages" } },
        },
      ),
    },
  };
}

/** Counts per bin: one hour for runs up to 10 days, 6 hours up to 60 days, else one day. */
function countBin(duration: number): { seconds: number; label: string } {
  if (duration <= 10 * 86400) return { seconds: 3600, label: "hour" };
  if (duration <= 60 * 86400) return { seconds: 6 * 3600, label: "6 hours" };
  return { seconds: 86400, label: "day" };
}

export function timelineChart(r: RunResult): NamedChart {
  const { unit, axis } = timeAxis(r);
  const bin = countBin(r.model.duration);
  const n = Math.ceil(r.model.duration / bin.seconds);
  const created = new Array<number>(n).fill(0);
  const delivered = new Array<number>(n).fill(0);
  const bounced = new Array<number>(n).fill(0);
  const m = r.messages;
  for (let i = 0; i < m.count; i++) {
    created[Math.floor(m.created[i]! / bin.seconds)]!++;
    const at = Math.min(n - 1, Math.floor(m.done[i]! / bin.seconds));
    if (m.outcome[i] === DELIVERED) delivered[at]!++;
    else if (m.outcome[i] === BOUNCED) bounced[at]!++;
  }
  const series = (label: string, values: number[], color: string, dashed = false) => ({
    label,
    data: values.map((y, b) => ({ x: ((b + 0.5) * bin.seconds) / unit.seconds, y })),
    borderColor: color,
    backgroundColor: color,
    // "created" is dashed: in normal hours it lies right on top of "delivered".
    borderWidth: dashed ? 2 : 3,
    borderDash: dashed ? [8, 5] : [],
    pointRadius: 0,
  });
  return {
    name: "timeline",
    config: {
      type: "line",
      data: {
        datasets: [
          series("created (sent)", created, "#555555", true),
          series("delivered to a mailbox", delivered, PATH_COLORS.direct),
          series("bounced to the sender", bounced, "#d62728"),
        ],
      },
      options: chartOptions(
        `Messages created, delivered and bounced: ${r.model.name}`,
        `Counted per ${bin.label}; ${outageNote(r)}`,
        {
          x: axis,
          y: { beginAtZero: true, title: { display: true, text: `Messages per ${bin.label}` }, ticks: { precision: 0 } },
        },
        outageAnnotations(r, unit.seconds),
      ),
    },
  };
}

/** Marker groups of the message timeline: what happened at each connection. */
type MarkerGroup = "accepted" | "connect-failed" | "error-answer" | "skipped";
const GROUP_OF: Record<ConnectionResult, MarkerGroup> = {
  accepted: "accepted",
  ...(Object.fromEntries(FAILURE_MODES.map((m) => [m, FAILURE_INFO[m].tcpFails || FAILURE_INFO[m].waits !== null ? "connect-failed" : "error-answer"])) as Record<
    FailureMode,
    MarkerGroup
  >),
  busy: "error-answer",
  "unknown-user": "error-answer",
  "relay-denied": "error-answer",
  loop: "error-answer",
  skipped: "skipped",
};
const resultsIn = (g: MarkerGroup) => CONNECTION_RESULTS.filter((r) => GROUP_OF[r] === g);
const CONNECTION_GROUPS: { label: string; results: readonly ConnectionResult[]; color: string; style: string }[] = [
  { label: "accepted", results: resultsIn("accepted"), color: "#2ca02c", style: "circle" },
  // The label names the modes of the group, so a silent host is not called a failed connection.
  { label: `no connection or no greeting (${resultsIn("connect-failed").join(", ")})`, results: resultsIn("connect-failed"), color: "#d62728", style: "crossRot" },
  { label: "answered with an error (4xx or 5xx)", results: resultsIn("error-answer"), color: "#ff7f0e", style: "triangle" },
  { label: "skipped (remembered as down)", results: resultsIn("skipped"), color: "#7f7f7f", style: "rect" },
];

/** The lanes of a message timeline: the sender, then each MTA in the order it first appears (making an attempt or contacted). */
function timelineLanes(sender: string, attempts: StoryAttempt[]): string[] {
  const lanes: string[] = [sender];
  for (const a of attempts) {
    if (!lanes.includes(a.by)) lanes.push(a.by);
    for (const c of a.connections) if (!lanes.includes(c.host)) lanes.push(c.host);
  }
  return lanes;
}

/** The points of a message timeline: attempt starts, then connections by marker group; x = the time as `x` maps it. */
function timelineDatasets(attempts: StoryAttempt[], x: (t: number) => number) {
  const starts = { label: "attempt starts", data: attempts.map((a) => ({ x: x(a.start), y: a.by })), backgroundColor: "#1f77b4", borderColor: "#1f77b4", pointStyle: "circle", pointRadius: 5 };
  const groups = CONNECTION_GROUPS.map((g) => ({
    label: g.label,
    data: attempts.flatMap((a) => a.connections.filter((c) => g.results.includes(c.result)).map((c) => ({ x: x(c.at), y: c.host }))),
    backgroundColor: g.color,
    borderColor: g.color,
    pointStyle: g.style,
    pointRadius: 9,
    borderWidth: 3,
  })).filter((d) => d.data.length > 0);
  return [starts, ...groups];
}

/**
 * One message's attempts on a timeline: a lane per MTA involved (the sender,
 * then each server in the order first contacted), a marker for each attempt's
 * start and for each connection, over the outage windows.
 */
export function messageTimelineChart(r: RunResult, m: number, attempts: StoryAttempt[]): NamedChart {
  const message = messageRecord(r, m);
  const created = message.created;
  const end = message.done ?? r.model.duration;
  const span = Math.max(end - created, 600);
  const unit = timeUnit(span);
  const lanes = timelineLanes(message.sender, attempts);
  // Time since the message was sent: the retry schedules read directly off the axis.
  const x = (t: number) => (t - created) / unit.seconds;
  const laneServers = new Set(lanes);
  const boxes = Object.fromEntries(
    Object.entries(outageAnnotations(r, unit.seconds, created)).filter(([key]) => laneServers.has(r.model.servers[Number(key.split("-")[1])]!.name)),
  );
  const lo = (-span * 0.03) / unit.seconds;
  const hi = x(Math.min(r.model.duration, end + span * 0.05));
  return {
    name: `message-${m}`,
    config: {
      type: "scatter",
      // Points on a category axis carry the lane's name as y, which Chart.js's types do not cover.
      data: { datasets: timelineDatasets(attempts, x) } as unknown as ChartConfiguration["data"],
      options: chartOptions(
        `The life of message ${m}, from ${lanes[0]}`,
        `Each attempt and each connection it made; ${outageNote(r)}`,
        {
          x: {
            type: "linear",
            min: lo,
            max: hi,
            ticks: { includeBounds: false },
            title: { display: true, text: `Time since the message was sent (${unit.name})` },
          },
          y: { type: "category", labels: lanes, offset: true, title: { display: true, text: "Who tries / who is contacted" } },
        },
        boxes,
      ),
    },
  };
}
