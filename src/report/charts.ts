/**
 * Chart.js configurations for a run's charts: pure data, rendered to PNG by
 * the CLI (cli/render-png.ts). Built to be read on a projector: a title, axis
 * labels with units, a legend, time as calendar dates and hours (UTC, from
 * the scenario's start), outages shaded, the moments that make the point
 * marked (the queue's peak, its drain, a queue lifetime running out, a
 * flush), and an empty chart that says why it is empty. Every fixed text
 * comes from the "charts" catalog, in the chosen language.
 */
import type { ChartConfiguration } from "chart.js";
import { FAILURE_INFO, FAILURE_MODES, type FailureMode } from "../core/failure-modes.js";
import { BOUNCED, CONNECTION_RESULTS, DELIVERED, PATH_CODE, PATHS, type ConnectionResult, type Path } from "../core/outcomes.js";
import { giveUpAfter } from "../core/profile.js";
import { messageRecord, notificationsOf } from "../core/records.js";
import type { RunResult } from "../core/simulate.js";
import { dateText, dec, int, t } from "../i18n/index.js";
import type { StoryAttempt } from "./explain.js";
import { human } from "./format.js";
import { DASHES } from "./metrics.js";
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
const MARKER_COLOR = "#333333";

export function charts(r: RunResult, s: Summary): NamedChart[] {
  return [queueDepthChart(r), latencyChart(r, s), timelineChart(r)];
}

/** Outage windows that start within the run, of every server. */
function windowCount(r: RunResult): number {
  return r.outages.reduce((n, ws) => n + ws.filter((w) => w.start < r.model.duration).length, 0);
}

/** Up to this many outage windows are labelled and get their own markers (drain, queue lifetime); a flapping server's dozens would print over each other. */
const FEW_WINDOWS = 6;

/** Shaded boxes, one per outage window of any server, labelled with the server and mode; x = (t − offset) / unit. */
function outageAnnotations(r: RunResult, unit: number, offset = 0): Record<string, unknown> {
  const boxes: Record<string, unknown> = {};
  const labelled = windowCount(r) <= FEW_WINDOWS;
  r.model.servers.forEach((server, i) => {
    r.outages[i]!.forEach((w, k) => {
      if (w.start >= r.model.duration) return;
      boxes[`outage-${i}-${k}`] = {
        type: "box",
        xMin: (w.start - offset) / unit,
        xMax: (Math.min(w.end, r.model.duration) - offset) / unit,
        backgroundColor: OUTAGE_FILL,
        borderWidth: 0,
        drawTime: "beforeDatasetsDraw",
        label: {
          display: labelled,
          content: t("charts:outage.down", { server: server.name, mode: t(`charts:outage.mode.${w.mode}`) }),
          position: { x: "start", y: "start" },
          font: { size: 14 },
          color: "#a01010",
        },
      };
    });
  });
  return boxes;
}

/** "Mon 5 Jan" / "lun 5 ene": a UTC day, as the chosen language names it. */
export function dayText(epochMs: number): string {
  const part = (o: Intl.DateTimeFormatOptions) => dateText(epochMs, o).replace(/\./g, "");
  // Short enough for a tick a day over two weeks ("lun 5 ene"; "lun 5 de ene" runs into its neighbours).
  return t("charts:day", { weekday: part({ weekday: "short" }), day: part({ day: "numeric" }), month: part({ month: "short" }) });
}

/** "14:05": a UTC time of day, 24-hour clock in both languages. */
export function clockText(epochMs: number): string {
  return dateText(epochMs, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

/** "Mon 5 Jan 14:05": a moment of the run, t seconds after its start. */
export function whenText(r: RunResult, seconds: number): string {
  const ms = r.model.startEpochMs + seconds * 1000;
  return `${dayText(ms)} ${clockText(ms)}`;
}

/** Steps between ticks of a calendar axis, seconds: the smallest that gives at most a dozen ticks. */
const TICK_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400];
const MAX_TICKS = 12;

/**
 * The ticks of a calendar time axis over [0, duration] seconds since a start
 * at `startEpochMs`: at round UTC times (midnights for a step of a day or
 * more, Mondays for weeks), each labelled with its day ("Mon 5 Jan") or its
 * time of day, the day written under the first time of each day.
 */
export function calendarTicks(startEpochMs: number, duration: number): { value: number; label: string | string[] }[] {
  const step = TICK_STEPS.find((s) => duration / s <= MAX_TICKS) ?? TICK_STEPS.at(-1)!;
  const start = startEpochMs / 1000;
  // Weeks start on a Monday (1970-01-01 was a Thursday: Mondays are 4 days after a multiple of 7 days).
  const phase = step >= 7 * 86400 ? 4 * 86400 : 0;
  const first = Math.ceil((start - phase) / step) * step + phase;
  const ticks: { value: number; label: string | string[] }[] = [];
  let lastDay = "";
  for (let e = first; e - start <= duration + 1e-6; e += step) {
    const ms = e * 1000;
    const day = dayText(ms);
    if (step >= 86400) ticks.push({ value: e - start, label: day });
    else {
      ticks.push({ value: e - start, label: day !== lastDay ? [clockText(ms), day] : clockText(ms) });
      lastDay = day;
    }
  }
  return ticks;
}

/** A linear x axis in seconds since the run's start, ticked and labelled in calendar time (UTC). */
function timeAxis(r: RunResult) {
  return calendarAxis(r.model.startEpochMs, r.model.duration);
}

/** A linear x axis in seconds since `startEpochMs`, over [0, duration], ticked and labelled in calendar time (UTC). */
export function calendarAxis(startEpochMs: number, duration: number) {
  const ticks = calendarTicks(startEpochMs, duration);
  const labels = new Map(ticks.map((k) => [k.value, k.label]));
  return {
    type: "linear" as const,
    min: 0,
    max: duration,
    title: { display: true, text: t("charts:axis.calendar") },
    afterBuildTicks: (axis: { ticks: { value: number }[] }) => void (axis.ticks = ticks.map(({ value }) => ({ value }))),
    ticks: { autoSkip: false, maxRotation: 0, callback: (value: number) => labels.get(value) ?? "" },
  };
}

/** "shaded: outage windows", or with many windows, how many and of which servers (they are not labelled then). */
function outageNote(r: RunResult): string {
  const counts = r.model.servers
    .map((s, i) => ({ name: s.name, n: r.outages[i]!.filter((w) => w.start < r.model.duration).length }))
    .filter((c) => c.n > 0);
  const total = counts.reduce((n, c) => n + c.n, 0);
  if (total === 0) return t("charts:outage.none");
  if (total <= FEW_WINDOWS) return t("charts:outage.note");
  return t("charts:outage.noteMany", { list: counts.map((c) => t("charts:outage.count", { count: c.n, server: c.name })).join(", ") });
}

/** Options every chart shares: no animation, a title and subtitle, a legend, optional shaded outages and markers (drawn over the axes' edges, never clipped). */
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
    // Room for the last tick label and for markers' labels at the right edge.
    layout: { padding: { right: 24 } },
    plugins: {
      title: { display: true, text: title, font: { size: 22 } },
      subtitle: { display: true, text: subtitle, font: { size: 15 }, padding: { bottom: 10 } },
      legend: { display: true, position: "top" },
      ...(annotations ? { annotation: { clip: false, annotations } } : {}),
    },
  } as ChartConfiguration["options"];
}

/** A sentence in the middle of an empty plot, saying why it is empty. */
export function emptyNote(text: string, x: number, y: number): Record<string, unknown> {
  return {
    type: "label",
    xValue: x,
    yValue: y,
    content: text,
    color: "#444",
    font: { size: 20, style: "italic" },
    backgroundColor: "rgba(255, 255, 255, 0.9)",
    padding: 12,
  };
}

/** Lines a queue-depth chart can show and stay readable. */
const MAX_QUEUE_LINES = 10;
/** Bins a queue line is drawn with at most: finer bins are merged (their maximum kept), or a one-minute bin's line is a wall of spikes. */
const MAX_DRAWN_BINS = 240;

/** Widths a merged bin may have, seconds: round ones, for the subtitle to say "highest in each 30m bin". */
const ROUND_BINS = [60, 120, 300, 600, 900, 1200, 1800, 3600, 2 * 3600, 3 * 3600, 4 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400];

/** How many of the run's bins to merge into one drawn bin: the fewest that leave at most MAX_DRAWN_BINS and make a round width. */
function mergeFactor(bins: number, width: number): number {
  const least = Math.ceil(bins / MAX_DRAWN_BINS);
  const round = ROUND_BINS.find((w) => w >= least * width && w % width === 0);
  return round === undefined ? least : round / width;
}

/** A marker of the queue chart: a dashed vertical line at `x` seconds with a label, or a point. */
interface Marker {
  key: string;
  x: number;
  text: string;
  /** A point marker (the peak) at this height; a vertical line without. */
  y?: number;
  color?: string;
}

/** Why the queue chart is empty, from the run: no outage at all, no backup MX, or every message accepted at once. */
function emptyQueueReason(r: RunResult): string {
  const relays = r.model.servers.filter((s) => s.role === "relay").length;
  const down = windowCount(r) > 0 || r.model.servers.some((s) => s.flapping !== undefined || s.greylisting.delay > 0);
  if (!down) return t(relays ? "charts:empty.queueNoOutage" : "charts:empty.queueNoOutageNoBackup");
  return t("charts:empty.queueAcceptedAtOnce");
}

/**
 * The markers of a queue chart, for the lines it shows (`shown`: series
 * indices): each line's peak (time and depth), and with few outage windows
 * (FEW_WINDOWS: a flapping primary's dozens would bury the lines) when each
 * backup queue was empty again after an outage (the drain) and when mail
 * queued at a backup at an outage's start expires (the start plus the
 * backup's queue lifetime, when inside the run and the backup still holds
 * mail then); an administrator's flush,
 * always. At most three of each kind.
 */
export function queueMarkers(r: RunResult, shown: number[]): Marker[] {
  const q = r.queues;
  const d = r.model.duration;
  const markers: Marker[] = [];
  const busiest = shown.filter((k) => q.peak[k]! > 0).sort((a, b) => q.peak[b]! - q.peak[a]! || a - b).slice(0, 3);
  for (const k of busiest) {
    const series = q.series[k]!;
    const name = series.kind === "senders" ? t("charts:queue.sendersShort") : series.name;
    markers.push({ key: `peak-${k}`, x: q.peakAt[k]!, y: q.peak[k]!, text: t("charts:marker.peak", { queue: name, count: q.peak[k]!, n: int(q.peak[k]!), when: whenText(r, q.peakAt[k]!) }) });
  }
  const few = windowCount(r) <= FEW_WINDOWS;
  if (few) {
    const relays = shown.filter((k) => q.series[k]!.kind === "relay" && q.peak[k]! > 0);
    // The drains of the backups' queues, and of the senders' when they held the mail (no backup, or one never used).
    const drained = relays.length ? relays : shown.filter((k) => q.peak[k]! > 0);
    const drains = q.drains.filter((dr) => drained.includes(dr.series));
    let n = 0;
    // A queue still not empty at the end is said once, however many outages it did not drain after.
    const undrained = new Set<number>();
    for (const dr of drains) {
      if (n >= 3) break;
      const window = r.drainWindows[dr.window]!;
      if (Number.isNaN(dr.drainedAt)) {
        // Still mail in the queue at the end: say so only if some was queued when the outage ended.
        const bin = Math.min(q.bins - 1, Math.floor(dr.from / q.binWidth));
        if (q.binEnd[dr.series]![bin]! > 0 && !undrained.has(dr.series) && undrained.add(dr.series))
          markers.push({ key: `drain-${n++}`, x: d, text: q.series[dr.series]!.kind === "senders" ? t("charts:marker.neverDrainedSenders") : t("charts:marker.neverDrained", { queue: q.series[dr.series]!.name }), color: "#a01010" });
      } else if (dr.drainedAt > dr.from) {
        const series = q.series[dr.series]!;
        markers.push({
          key: `drain-${n++}`,
          x: dr.drainedAt,
          text: t(series.kind === "senders" ? "charts:marker.drainSenders" : "charts:marker.drain", { queue: series.name, after: human(dr.drainedAt - window.end), when: whenText(r, dr.drainedAt) }),
        });
      }
    }
    n = 0;
    for (const k of relays) {
      const server = r.model.servers.find((s) => s.name === q.series[k]!.name);
      if (!server) continue;
      const lifetime = giveUpAfter(server.profile);
      r.model.servers.forEach((primary, i) => {
        if (primary.role === "relay") return;
        for (const w of r.outages[i]!) {
          const x = w.start + lifetime;
          // Only while the backup still holds mail then: a lifetime that runs out on an empty queue changes nothing.
          if (w.start >= d || x >= d || n >= 3 || q.binMax[k]![Math.min(q.bins - 1, Math.floor(x / q.binWidth))]! === 0) continue;
          markers.push({
            key: `lifetime-${n++}`,
            x,
            color: "#a01010",
            text: t("charts:marker.lifetime", { queue: server.name, lifetime: human(lifetime), when: whenText(r, w.start) }),
          });
        }
      });
    }
  }
  // Without an outage (greylisting, a busy primary) there is no drain to mark: when the queues emptied for good, if well before the end.
  if (windowCount(r) === 0) {
    let last = -1;
    for (const k of shown) for (let b = q.bins - 1; b > last; b--) if (q.binMax[k]![b]! > 0) last = b;
    const from = (last + 1) * q.binWidth;
    if (last >= 0 && from < 0.8 * d && shown.every((k) => q.binEnd[k]![q.bins - 1] === 0)) {
      const grey = r.model.servers.find((s) => s.greylisting.delay > 0 && s.greylisting.autoWhitelist > 0);
      const why = grey ? t("charts:marker.whitelisted", { server: grey.name, count: grey.greylisting.autoWhitelist }) : "";
      markers.push({ key: "empty-from", x: from, text: t("charts:marker.emptyFrom", { when: whenText(r, from), why }) });
    }
  }
  r.model.actions
    .filter((a) => a.kind === "flush" && a.at < d)
    .slice(0, 3)
    .forEach((a, i) => markers.push({ key: `flush-${i}`, x: a.at, text: t("charts:marker.flush", { node: r.nodes[a.node]!.name, when: whenText(r, a.at) }), color: "#1f5fa0" }));
  return markers;
}

/** A 14 px bold label's width on the 1280 px canvas, estimated from its characters (the plot is about 1150 px wide). */
const LABEL_CHAR_PX = 8.6;
const PLOT_PX = 1150;

/**
 * Where a marker's label goes so that none runs off the plot: beside its line
 * on the side asked for (`left`: ending at the line), else on the other side,
 * else in two lines, else moved inward from the edge it would pass. Long host
 * names and Spanish words make labels much longer than the English sample.
 */
export function fitLabel(x: number, text: string, span: number, left: boolean): { xValue: number; position: { x: "start" | "end"; y: "center" }; xAdjust: number; content: string | string[] } {
  const width = (lines: string[]) => ((Math.max(...lines.map((l) => l.length)) * LABEL_CHAR_PX + 16) / PLOT_PX) * span;
  const at = (lines: string[], end: boolean) => ({ xValue: x, position: { x: end ? ("end" as const) : ("start" as const), y: "center" as const }, xAdjust: end ? -8 : 8, content: lines.length === 1 ? lines[0]! : lines });
  const cut = text.length > 40 ? text.lastIndexOf(" ", Math.ceil(text.length / 2) + 8) : -1;
  const candidates = cut > 0 ? [[text], [text.slice(0, cut), text.slice(cut + 1)]] : [[text]];
  for (const lines of candidates) {
    const w = width(lines);
    const fitsLeft = x - w >= 0;
    const fitsRight = x + w <= span;
    if (left ? fitsLeft : fitsRight) return at(lines, left);
    if (left ? fitsRight : fitsLeft) return at(lines, !left);
  }
  // Too long for either side: the widest form, moved inward so that it ends at the plot's edge.
  const lines = candidates[candidates.length - 1]!;
  const w = width(lines);
  return { ...at(lines, false), xValue: Math.max(0, Math.min(x, span - w)), xAdjust: 0 };
}

/** The height between two stacked marker labels, as a share of the axis: less when there are many. */
const labelStep = (n: number) => Math.min(0.075, 0.45 / Math.max(1, n));

/**
 * Markers as annotations: a dashed line (or a ring at the peak) and a label
 * beside it, the labels stacked down from the top of the plot (`top`, in y
 * units) so they do not print over each other, on the left of their line in
 * the right part of the chart so none runs off the canvas.
 */
function markerAnnotations(markers: Marker[], duration: number, top: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sorted = [...markers].sort((a, b) => a.x - b.x);
  sorted.forEach((m, slot) => {
    const color = m.color ?? MARKER_COLOR;
    if (m.y === undefined) out[m.key] = { type: "line", xMin: m.x, xMax: m.x, borderColor: color, borderWidth: 2, borderDash: [6, 4] };
    else out[m.key] = { type: "point", xValue: m.x, yValue: m.y, radius: 9, borderColor: color, borderWidth: 3, backgroundColor: "rgba(0,0,0,0)" };
    out[`${m.key}-label`] = {
      type: "label",
      ...fitLabel(m.x, m.text, duration, m.x > duration * 0.55),
      yValue: top * (0.86 - labelStep(markers.length) * slot),
      color,
      font: { size: 14, weight: "bold" },
      backgroundColor: "rgba(255, 255, 255, 0.92)",
      padding: 3,
      // Drawn after the marker lines, so that a line crossing a label does not cut through its text.
      z: 10,
    };
  });
  return out;
}

export function queueDepthChart(r: RunResult): NamedChart {
  const q = r.queues;
  const d = r.model.duration;
  // The senders' queues are shown only when something waited there; of many backups, the busiest.
  const all = q.series.map((series, k) => ({ series, k })).filter(({ series, k }) => series.kind === "relay" || q.peak[k]! > 0);
  const shown =
    all.length <= MAX_QUEUE_LINES ? all : [...all].sort((a, b) => q.peak[b.k]! - q.peak[a.k]! || a.k - b.k).slice(0, MAX_QUEUE_LINES).sort((a, b) => a.k - b.k);
  const merge = mergeFactor(q.bins, q.binWidth);
  const width = merge * q.binWidth;
  const datasets = shown.map(({ series, k }, position) => {
    const data: { x: number; y: number }[] = [];
    for (let b = 0; b < q.bins; b += merge) {
      let y = 0;
      for (let j = b; j < Math.min(q.bins, b + merge); j++) y = Math.max(y, q.binMax[k]![j]!);
      data.push({ x: b * q.binWidth, y });
    }
    data.push({ x: d, y: q.binEnd[k]![q.bins - 1]! });
    const color = series.kind === "senders" ? SENDERS_COLOR : SERIES_COLORS[position % SERIES_COLORS.length]!;
    return {
      label: series.kind === "senders" ? t("charts:queue.senders") : t("charts:queue.backup", { server: series.name }),
      data,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 3,
      // Dashes tell the lines apart in greyscale too (the senders' line dashed as the last pattern).
      borderDash: series.kind === "senders" ? [10, 5] : DASHES[position % DASHES.length],
      pointRadius: 0,
      stepped: "after" as const,
      // A few lines are filled, pale: short spikes (greylisting's five-minute waits) read as areas, not as hairlines.
      ...(shown.length <= 3 ? { fill: "origin", backgroundColor: `${color}33` } : {}),
    };
  });
  const highest = Math.max(0, ...shown.map(({ k }) => q.peak[k]!));
  const markers = queueMarkers(
    r,
    shown.map(({ k }) => k),
  );
  // Room above the highest point for the markers' labels, stacked down from the top (markerAnnotations), the lowest still above the data.
  const top = (Math.max(1, highest) * 1.1) / (0.86 - labelStep(markers.length) * Math.max(0, markers.length - 1));
  const annotations: Record<string, unknown> = { ...outageAnnotations(r, 1), ...markerAnnotations(markers, d, top) };
  if (highest === 0) annotations.empty = emptyNote(emptyQueueReason(r), d / 2, 0.5);
  else {
    // A backup that never queued anything while other queues did (lesson 3: the senders kept their mail): said on its line.
    const idle = shown.filter(({ series, k }) => series.kind === "relay" && q.peak[k]! === 0).map(({ series }) => series.name);
    if (idle.length)
      annotations.idle = {
        type: "label",
        ...fitLabel(d * 0.01, t("charts:marker.idle", { count: idle.length, servers: idle.join(", ") }), d, false),
        xAdjust: 0,
        yValue: top * 0.04,
        position: { x: "start", y: "end" },
        color: "#a05000",
        font: { size: 14, weight: "bold" },
        backgroundColor: "rgba(255, 255, 255, 0.85)",
      };
  }
  const bin = human(width);
  const busiest = shown.length < all.length ? t("charts:queue.busiest", { shown: shown.length, all: all.length }) : "";
  return {
    name: "queue-depth",
    config: {
      type: "line",
      data: { datasets },
      options: chartOptions(
        t("charts:queue.title", { name: r.model.name }),
        t("charts:queue.subtitle", { bin, busiest, outages: outageNote(r) }),
        {
          x: timeAxis(r),
          y:
            highest === 0
              ? { type: "linear", min: 0, max: 1, title: { display: true, text: t("charts:queue.yTitle") }, ticks: { display: false } }
              : { type: "linear", beginAtZero: true, suggestedMax: top, title: { display: true, text: t("charts:queue.yTitle") }, ticks: { precision: 0 } },
        },
        annotations,
      ),
    },
  };
}

/** Latency buckets: upper bounds in seconds and labels (catalog keys). */
export const LATENCY_BUCKETS: { upTo: number; key: string }[] = [
  { upTo: 60, key: "lt1m" },
  { upTo: 600, key: "1to10m" },
  { upTo: 3600, key: "10mto1h" },
  { upTo: 4 * 3600, key: "1to4h" },
  { upTo: 12 * 3600, key: "4to12h" },
  { upTo: 86400, key: "12to24h" },
  { upTo: 2 * 86400, key: "1to2d" },
  { upTo: 4 * 86400, key: "2to4d" },
  { upTo: 7 * 86400, key: "4to7d" },
  { upTo: Infinity, key: "7dplus" },
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
      label: t("charts:latency.series", { path: t(`charts:path.${p}`), count: n, n: int(n) }),
      data: counts.get(PATH_CODE[p])!.map((c) => (100 * c) / n),
      backgroundColor: PATH_COLORS[p],
    };
  });
  const labels = LATENCY_BUCKETS.map((b) => t(`charts:bucket.${b.key}`));
  const empty = datasets.length === 0;
  const annotations = empty
    ? { empty: emptyNote(t("charts:empty.latency", { created: int(s.messages.created), bounced: int(s.messages.bounced), queued: int(s.messages.still_queued) }), (labels.length - 1) / 2, 50) }
    : undefined;
  return {
    name: "latency",
    config: {
      type: "bar",
      data: { labels, datasets },
      options: chartOptions(
        t("charts:latency.title", { name: r.model.name }),
        t("charts:latency.subtitle") + (s.messages.bounced > 0 ? t("charts:latency.bouncedNote", { count: s.messages.bounced, n: int(s.messages.bounced) }) : ""),
        {
          x: { title: { display: true, text: t("charts:latency.xTitle") } },
          y: { beginAtZero: true, max: 100, title: { display: true, text: t("charts:latency.yTitle") } },
        },
        annotations,
      ),
    },
  };
}

/** Counts per bin: one hour for runs up to 10 days, 6 hours up to 60 days, else one day. */
function countBin(duration: number): { seconds: number; key: string } {
  if (duration <= 10 * 86400) return { seconds: 3600, key: "hour" };
  if (duration <= 60 * 86400) return { seconds: 6 * 3600, key: "sixHours" };
  return { seconds: 86400, key: "day" };
}

export function timelineChart(r: RunResult): NamedChart {
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
  // Three lines told apart by width and dash as well as colour (greyscale, colour blindness): "created" is a
  // thin dark dashed line drawn on top of a wide pale "delivered", which it follows in normal hours.
  const series = (label: string, values: number[], color: string, width: number, dash: number[], order: number) => ({
    label,
    data: values.map((y, b) => ({ x: (b + 0.5) * bin.seconds, y })),
    borderColor: color,
    backgroundColor: color,
    borderWidth: width,
    borderDash: dash,
    pointRadius: 0,
    order,
  });
  const binText = t(`charts:bin.${bin.key}`);
  const annotations = outageAnnotations(r, 1);
  if (m.count === 0) annotations.empty = emptyNote(t("charts:empty.noMessages"), r.model.duration / 2, 0.5);
  return {
    name: "timeline",
    config: {
      type: "line",
      data: {
        datasets: [
          series(t("charts:flow.created"), created, "#222222", 2.5, [7, 4], 0),
          series(t("charts:flow.delivered"), delivered, "#7fb2e5", 7, [], 2),
          series(t("charts:flow.bounced"), bounced, "#d62728", 3, [2, 3], 1),
        ],
      },
      options: chartOptions(
        t("charts:flow.title", { name: r.model.name }),
        t("charts:flow.subtitle", { bin: binText, outages: outageNote(r) }),
        {
          x: timeAxis(r),
          y:
            m.count === 0
              ? { min: 0, max: 1, title: { display: true, text: t("charts:flow.yTitle", { bin: binText }) }, ticks: { display: false } }
              : { beginAtZero: true, title: { display: true, text: t("charts:flow.yTitle", { bin: binText }) }, ticks: { precision: 0 } },
        },
        annotations,
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
const CONNECTION_GROUPS: { group: MarkerGroup; results: readonly ConnectionResult[]; color: string; style: string }[] = [
  { group: "accepted", results: resultsIn("accepted"), color: "#2ca02c", style: "circle" },
  { group: "connect-failed", results: resultsIn("connect-failed"), color: "#d62728", style: "crossRot" },
  { group: "error-answer", results: resultsIn("error-answer"), color: "#ff7f0e", style: "triangle" },
  { group: "skipped", results: resultsIn("skipped"), color: "#7f7f7f", style: "rect" },
];

/** A group's legend text (the connect-failed group names its modes, so a silent host is not called a failed connection). */
const groupLabel = (g: MarkerGroup) => t(`charts:story.group.${g}`, { modes: resultsIn("connect-failed").join(", ") });

/**
 * The lanes of a message timeline: the sender, then every MX host of the
 * recipient's domain in preference order (contacted or not: a backup the
 * message never reached is part of the story), then any other MTA that made
 * an attempt or was contacted, in the order it first appears.
 */
export function timelineLanes(r: RunResult, senderIndex: number, attempts: StoryAttempt[]): string[] {
  const sender = r.model.senders[senderIndex]!;
  const lanes: string[] = [sender.name];
  const add = (name: string) => void (lanes.includes(name) || lanes.push(name));
  const domain = r.model.domains[sender.domain]!;
  for (const mx of [...domain.mx].sort((a, b) => a.preference - b.preference)) {
    const server = r.model.servers[mx.server]!;
    // A load balancer is never a connection's host: its members are, each on a lane of its own.
    if (server.role === "balancer") for (const k of server.members) add(r.model.servers[k]!.name);
    else add(server.name);
  }
  for (const a of attempts) {
    add(a.by);
    for (const c of a.connections) add(c.host);
  }
  return lanes;
}

/** The unit a message's story reads best in: seconds for a minute or two, minutes up to two hours, hours up to three days, then days. */
export function storyUnit(span: number): { key: "seconds" | "minutes" | "hours" | "days"; seconds: number } {
  if (span <= 120) return { key: "seconds", seconds: 1 };
  if (span <= 2 * 3600) return { key: "minutes", seconds: 60 };
  if (span <= 3 * 86400) return { key: "hours", seconds: 3600 };
  return { key: "days", seconds: 86400 };
}

/** The points of a message timeline: attempt starts, then connections by marker group; x = the time as `x` maps it. */
function timelineDatasets(attempts: StoryAttempt[], x: (t: number) => number) {
  const starts = {
    label: t("charts:story.attemptStarts"),
    data: attempts.map((a) => ({ x: x(a.start), y: a.by })),
    backgroundColor: "#1f77b4",
    borderColor: "#1f77b4",
    pointStyle: "circle",
    pointRadius: 5,
  };
  const groups = CONNECTION_GROUPS.map((g) => ({
    label: groupLabel(g.group),
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
 * One message's attempts on a timeline: a lane per MTA (the sender, every MX
 * host of the domain, any other server involved; a lane nothing happened on
 * says so), a marker for each attempt's start and for each connection, the
 * delay warnings and the bounce sent back (backscatter when the sender was
 * forged), the moment the message bounced, over the outage windows. Time
 * since the message was sent, in the unit that fits its story.
 */
export function messageTimelineChart(r: RunResult, m: number, attempts: StoryAttempt[]): NamedChart {
  const message = messageRecord(r, m);
  const created = message.created;
  const notes = r.attempts ? notificationsOf(r, m) : [];
  const end = Math.max(message.done ?? r.model.duration, ...notes.map((n) => n.at));
  const span = Math.max(end - created, 10);
  const unit = storyUnit(span);
  const lanes = timelineLanes(r, message.senderIndex, attempts);
  // Time since the message was sent: the retry schedules read directly off the axis.
  const x = (at: number) => (at - created) / unit.seconds;
  const laneServers = new Set(lanes);
  const lo = (-span * 0.03) / unit.seconds;
  const hi = x(Math.min(r.model.duration, created + span * 1.05));
  // Each outage shaded on its own server's lane only: which host was down when reads off the row.
  const boxes = Object.fromEntries(
    Object.entries(outageAnnotations(r, unit.seconds, created))
      .filter(([key, box]) => laneServers.has(r.model.servers[Number(key.split("-")[1])]!.name) && (box as { xMin: number }).xMin < hi && (box as { xMax: number }).xMax > lo)
      .map(([key, box]) => {
        const lane = lanes.indexOf(r.model.servers[Number(key.split("-")[1])]!.name);
        const b = box as { xMin: number; xMax: number };
        return [key, { ...b, xMin: Math.max(b.xMin, lo), xMax: Math.min(b.xMax, hi), yMin: lane - 0.45, yMax: lane + 0.45 }];
      }),
  );
  const busy = new Set(attempts.flatMap((a) => [a.by, ...a.connections.map((c) => c.host)]));
  busy.add(lanes[0]!);
  const forged = r.model.senders[message.senderIndex]!.forged;
  const datasets: unknown[] = timelineDatasets(attempts, x);
  const warnings = notes.filter((n) => n.kind === "delayed");
  const bounces = notes.filter((n) => n.kind === "failed");
  if (warnings.length)
    datasets.push({ label: t("charts:story.delayWarning"), data: warnings.map((n) => ({ x: x(n.at), y: n.by })), backgroundColor: "#bcbd22", borderColor: "#7a7a10", pointStyle: "rectRot", pointRadius: 9, borderWidth: 2 });
  if (bounces.length)
    datasets.push({
      label: t(forged ? "charts:story.bounceBackscatter" : "charts:story.bounce"),
      data: bounces.map((n) => ({ x: x(n.at), y: n.by })),
      backgroundColor: "#d62728",
      borderColor: "#800000",
      pointStyle: "star",
      pointRadius: 14,
      borderWidth: 3,
    });
  const annotations: Record<string, unknown> = { ...boxes };
  // A label beside its line, on the side with room: left of it in the right half of the axis, else right of it.
  const side = (at: number, gap: number) => (at > (lo + hi) / 2 ? { position: { x: "end", y: "end" }, xAdjust: -gap } : { position: { x: "start", y: "end" }, xAdjust: gap });
  if (message.outcome === "bounced" && message.done !== null) {
    annotations.bounce = { type: "line", xMin: x(message.done), xMax: x(message.done), borderColor: "#800000", borderWidth: 3, borderDash: [8, 4] };
    annotations["bounce-label"] = {
      type: "label",
      xValue: x(message.done),
      yValue: lanes[0],
      ...side(x(message.done), 8),
      yAdjust: -16,
      content: message.done - created < 1 ? t("charts:story.bouncedAtOnce") : t("charts:story.bouncedAt", { after: human(message.done - created) }),
      color: "#800000",
      font: { size: 15, weight: "bold" },
      backgroundColor: "rgba(255, 255, 255, 0.85)",
    };
  }
  r.model.actions.forEach((a, i) => {
    const node = r.nodes[a.node]!.name;
    if (a.kind !== "flush" || a.at < created || a.at > end || !laneServers.has(node)) return;
    annotations[`flush-${i}`] = { type: "line", xMin: x(a.at), xMax: x(a.at), borderColor: "#1f5fa0", borderWidth: 2, borderDash: [4, 4] };
    annotations[`flush-${i}-label`] = {
      type: "label",
      xValue: x(a.at),
      yValue: node,
      ...side(x(a.at), 6),
      yAdjust: -14,
      content: t("charts:story.flush", { node }),
      color: "#1f5fa0",
      font: { size: 14, weight: "bold" },
    };
  });
  const behind = new Map(r.model.servers.flatMap((s) => (s.role === "balancer" ? s.members.map((k) => [r.model.servers[k]!.name, s.name] as const) : [])));
  const display = lanes.map((l) => {
    const lines = [l, ...(behind.has(l) ? [t("charts:story.behind", { balancer: behind.get(l) })] : [])];
    if (!busy.has(l)) lines.push(t("charts:story.neverContacted"));
    return lines.length === 1 ? l : lines;
  });
  const options = chartOptions(
    t("charts:story.title", { id: m, sender: lanes[0] }),
    t("charts:story.subtitle", { when: whenText(r, created), outages: outageNote(r) }),
    {
      x: {
        type: "linear",
        min: lo,
        max: Math.max(hi, lo + 1 / unit.seconds),
        ticks: { includeBounds: false, callback: (v: number) => (v < 0 ? "" : Number.isInteger(v) ? int(v) : dec(v, 1)) },
        title: { display: true, text: t("charts:story.xTitle", { unit: t(`charts:unit.${unit.key}`) }) },
      },
      y: {
        type: "category",
        labels: lanes,
        offset: true,
        title: { display: true, text: t("charts:story.yTitle") },
        // A lane's name whole, however long (Chart.js would cut it at a fraction of the width).
        afterFit: (axis: { width: number }) => void (axis.width = Math.max(axis.width, 40 + 9.5 * Math.max(...lanes.map((l) => l.length)))),
        ticks: { callback: (_: unknown, i: number) => display[i] },
      },
    },
    annotations,
  ) as Record<string, unknown> & { plugins: Record<string, unknown> };
  // The legend shows each marker's shape, as drawn on the lanes.
  options.plugins.legend = { display: true, position: "top", labels: { usePointStyle: true, boxHeight: 12 } };
  return {
    name: `message-${m}`,
    config: {
      type: "scatter",
      // Points on a category axis carry the lane's name as y, which Chart.js's types do not cover.
      data: { datasets } as unknown as ChartConfiguration["data"],
      options: options as ChartConfiguration["options"],
    },
  };
}
