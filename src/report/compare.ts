/**
 * Several scenarios side by side: the rows (compare-rows.ts) as CSV, the
 * verdict on each against a baseline (verdict.ts), and charts with one line
 * or bar per scenario that count ALL the mail sent, delivered or not. The
 * terminal table is cli/text/compare-table.ts, the page compare-html.ts.
 */
import type { ChartConfiguration } from "chart.js";
import { giveUpAfter } from "../core/profile.js";
import type { RunResult } from "../core/simulate.js";
import { calendarAxis, chartOptions, type NamedChart } from "./charts.js";
import { compareRows } from "./compare-rows.js";
import { csv } from "./csv.js";
import type { Check } from "./expectations.js";
import { pct, t } from "../i18n/index.js";
import { human, timeUnit } from "./format.js";
import { delivered, deliveredWithin, type MailOutcomes } from "./mail-outcomes.js";
import { DASHES } from "./metrics.js";
import type { Summary } from "./summary.js";
import { verdict } from "./verdict.js";

export interface Variant {
  /** The scenario's name (or file name when names clash). */
  name: string;
  result: RunResult;
  summary: Summary;
  outcomes: MailOutcomes;
  /** The scenario's own `expect:` bounds, checked on this run (none without `expect:`). */
  checks: Check[];
}

export interface Verdicts {
  baseline: string;
  /** Why that one: "the first scenario given" or "chosen with --baseline". */
  chosen: string;
  /** One sentence per variant other than the baseline, in the variants' order. */
  sentences: { name: string; text: string }[];
}

export function verdicts(variants: Variant[], baseline: number, chosen: string): Verdicts {
  const base = variants[baseline]!;
  return {
    baseline: base.name,
    chosen,
    sentences: variants.filter((_, i) => i !== baseline).map((v) => ({ name: v.name, text: verdict(base, v) })),
  };
}

/**
 * One row per metric and scenario, for spreadsheets. A number that does not
 * exist (a percentile that falls on undelivered mail, a queue that never
 * drained) is an empty `value` with the reason in `note`.
 */
export function compareCsv(variants: Variant[]): string {
  const rows: unknown[][] = [["scenario", "seed", "section", "metric", "value", "note"]];
  const table = compareRows(variants);
  variants.forEach((v, k) => {
    for (const r of table) rows.push([v.name, v.result.seed, r.section, r.label, r.cells[k]!.value ?? "", r.cells[k]!.note]);
  });
  return csv(rows);
}

export const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/** Total messages waiting (every backup MX and every sender) over time, one line per scenario. */
export function compareQueueChart(variants: Variant[]): NamedChart {
  const duration = Math.max(...variants.map((v) => v.result.model.duration));
  // Calendar dates when every scenario starts at the same moment (the shipped comparisons do); else time since each one's start.
  const start = variants[0]!.result.model.startEpochMs;
  const calendar = variants.every((v) => v.result.model.startEpochMs === start);
  const unit = calendar ? { name: "seconds" as const, seconds: 1 } : timeUnit(duration);
  const datasets = variants.map((v, k) => {
    const q = v.result.queues;
    const data: { x: number; y: number }[] = [];
    for (let b = 0; b < q.bins; b++) {
      let y = 0;
      for (let s = 0; s < q.series.length; s++) y += q.binMax[s]![b]!;
      data.push({ x: (b * q.binWidth) / unit.seconds, y });
    }
    const color = COLORS[k % COLORS.length];
    return { label: v.name, data, borderColor: color, backgroundColor: color, borderWidth: 3, borderDash: DASHES[k % DASHES.length], pointRadius: 0, stepped: "after" as const };
  });
  return {
    name: "compare-queue",
    config: {
      type: "line",
      data: { datasets },
      options: chartOptions(
        t("charts:compare.queueTitle"),
        t("charts:compare.queueSubtitle"),
        {
          x: calendar
            ? calendarAxis(start, duration)
            : { type: "linear", min: 0, max: duration / unit.seconds, title: { display: true, text: t("charts:compare.queueX", { unit: t(`charts:unit.${unit.name}`) }) } },
          y: { beginAtZero: true, title: { display: true, text: t("charts:compare.queueY") }, ticks: { precision: 0 } },
        },
      ),
    } as ChartConfiguration,
  };
}

/** Round times for the log axis of the delivery curve, seconds. */
const NICE_TIMES = [60, 600, 3600, 6 * 3600, 86400, 2 * 86400, 4 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 90 * 86400, 365 * 86400];
const NICE_LABELS = ["1 min", "10 min", "1 h", "6 h", "1 d", "2 d", "4 d", "7 d", "14 d", "30 d", "90 d", "1 y"];
/** Points per curve: log-spaced, enough for the steps to look like steps. */
const CURVE_POINTS = 240;

/** "name: 96.9% delivered; 2.5% bounced, 0.6% still queued": the end of a curve and its gap to 100%. */
export function outcomeLabel(name: string, created: number, counts: { delivered: number; bounced: number; still_queued: number }): string {
  const p = (n: number) => pct(created ? (100 * n) / created : 0, 1);
  return t("charts:compare.outcome", { name, delivered: p(counts.delivered), bounced: p(counts.bounced), queued: p(counts.still_queued) });
}

/** A scenario's curve label (outcomeLabel of its legitimate mail). */
export function curveLabel(v: Variant): string {
  const l = v.outcomes.legitimate;
  return outcomeLabel(v.name, l.created, { delivered: delivered(l), bounced: l.bounced, still_queued: l.still_queued });
}

/** The times a delivery curve is drawn at, seconds: log-spaced from a minute to `duration`. */
export function curveTimes(duration: number): number[] {
  return Array.from({ length: CURVE_POINTS }, (_, i) => 60 * (duration / 60) ** (i / (CURVE_POINTS - 1)));
}

/**
 * The x axis of a delivery curve: time since sending on a log scale from a
 * minute to `duration`, ticked at round times and at the run's end.
 */
export function logTimeAxis(duration: number): Record<string, unknown> {
  // Round times, and the run's end (a round time too close to it would print over its label).
  const ticks = [
    ...NICE_TIMES.map((t, i) => ({ t, label: NICE_LABELS[i]! })).filter(({ t }) => t <= duration / 1.6),
    { t: duration, label: t("charts:compare.end", { duration: human(duration) }) },
  ];
  return {
    type: "logarithmic",
    min: 60,
    max: duration,
    title: { display: true, text: t("charts:compare.logX") },
    afterBuildTicks: (axis: { ticks: { value: number }[] }) => void (axis.ticks = ticks.map(({ t }) => ({ value: t }))),
    ticks: { callback: (value: number) => ticks.find(({ t }) => t === value)?.label ?? "" },
  };
}

/** The y axis of a delivery curve: 0 to 100% (with room above 100 for the line that marks it). */
export function percentDeliveredAxis(title: string): Record<string, unknown> {
  return { min: 0, max: 105, title: { display: true, text: title }, ticks: { stepSize: 10, callback: (v: number) => (v <= 100 ? pctTick(v) : "") } };
}

/** A tick of a % axis: "40%" / "40 %" (a whole or one-decimal number, as Chart.js gives it). */
export function pctTick(v: number): string {
  const text = String(v).replace(".", t("charts:decimalMark"));
  return t("charts:percentTick", { v: text });
}

/** The thin grey line at 100%: every message sent, delivered. */
export const ALL_DELIVERED_LINE = { type: "line", yMin: 100, yMax: 100, borderColor: "#999", borderWidth: 1, drawTime: "beforeDatasetsDraw" };

/**
 * The share of ALL legitimate mail sent that was delivered within t of being
 * sent, against t on a log scale from a minute to the run's length: mail
 * that bounced or is still queued never arrives, so a curve stops short of
 * 100% by exactly that much.
 */
export function deliveryCurveChart(variants: Variant[]): NamedChart {
  const duration = Math.max(...variants.map((v) => v.result.model.duration));
  const xs = curveTimes(duration);
  const datasets = variants.map((v, k) => {
    const l = v.outcomes.legitimate;
    const data = xs.map((x) => ({ x, y: l.created ? (100 * deliveredWithin(l.latencies, x)) / l.created : 0 }));
    const color = COLORS[k % COLORS.length];
    return { label: curveLabel(v), data, borderColor: color, backgroundColor: color, borderWidth: 3, borderDash: DASHES[k % DASHES.length], pointRadius: 0, stepped: "after" as const };
  });
  const annotations: Record<string, unknown> = { all: ALL_DELIVERED_LINE, ...gapLabels(variants, duration) };
  return {
    name: "compare-delivery",
    config: {
      type: "line",
      data: { datasets },
      options: chartOptions(
        t("charts:compare.deliveryTitle"),
        t("charts:compare.deliverySubtitle"),
        { x: logTimeAxis(duration), y: percentDeliveredAxis(t("charts:compare.deliveryY")) },
        annotations,
      ),
    } as ChartConfiguration,
  };
}

/**
 * The gap of each curve that stops short of 100%, drawn as a bar in the
 * curve's colour from its end up to 100% near the right edge, and said in
 * words in the empty lower right, one line per curve.
 */
function gapLabels(variants: Variant[], duration: number): Record<string, unknown> {
  const marks: Record<string, unknown> = {};
  let k = 0;
  variants.forEach((v, i) => {
    const l = v.outcomes.legitimate;
    const gap = l.bounced + l.still_queued;
    if (gap === 0 || l.created === 0) return;
    const color = COLORS[i % COLORS.length];
    const x = duration / 1.25 ** (k + 1);
    marks[`gap-${i}`] = { type: "line", xMin: x, xMax: x, yMin: (100 * delivered(l)) / l.created, yMax: 100, borderColor: color, borderWidth: 6 };
    marks[`gap-label-${i}`] = {
      type: "label",
      xValue: duration,
      yValue: 30 - 7 * k++,
      position: { x: "end", y: "center" },
      content: t("charts:compare.gap", { name: v.name, share: pct((100 * gap) / l.created, 1), bounced: l.bounced, queued: l.still_queued }),
      color,
      font: { size: 16, weight: "bold" },
    };
  });
  return marks;
}

const OUTCOME_STACK = [
  { key: "direct", color: "#1f77b4", of: (v: Variant) => v.outcomes.legitimate.delivered_direct },
  { key: "viaSecondary", color: "#ff7f0e", of: (v: Variant) => v.outcomes.legitimate.delivered_via_secondary },
  { key: "senderRetry", color: "#2ca02c", of: (v: Variant) => v.outcomes.legitimate.delivered_after_sender_retry },
  { key: "bounced", color: "#d62728", of: (v: Variant) => v.outcomes.legitimate.bounced },
  { key: "stillQueued", color: "#7f7f7f", of: (v: Variant) => v.outcomes.legitimate.still_queued },
];

const SPAM_STACK = [
  { key: "spamDirect", color: "#8c564b", of: (v: Variant) => v.outcomes.spam?.delivered_direct ?? 0 },
  { key: "spamViaBackup", color: "#ff7f0e", of: (v: Variant) => v.outcomes.spam?.delivered_via_secondary ?? 0 },
  { key: "spamRejected", color: "#2ca02c", of: (v: Variant) => v.outcomes.spam?.rejected ?? 0 },
  { key: "spamBackscatter", color: "#d62728", of: (v: Variant) => v.outcomes.spam?.bounced_after_acceptance ?? 0 },
  { key: "spamDropped", color: "#bcbd22", of: (v: Variant) => v.outcomes.spam?.dropped ?? 0 },
  { key: "stillQueued", color: "#7f7f7f", of: (v: Variant) => v.outcomes.spam?.still_queued ?? 0 },
];

/** One horizontal bar per scenario, its parts adding up to 100% of the mail sent: every outcome drawn, bounces in red. */
function stackChart(name: string, title: string, subtitle: string, variants: Variant[], stack: typeof OUTCOME_STACK, total: (v: Variant) => number): NamedChart {
  const datasets = stack.map((s) => ({
    label: t(`charts:compare.stack.${s.key}`),
    data: variants.map((v) => (total(v) ? (100 * s.of(v)) / total(v) : 0)),
    backgroundColor: s.color,
  }));
  return {
    name,
    config: {
      type: "bar",
      data: { labels: variants.map((v) => t("charts:compare.sent", { name: v.name, n: total(v) })), datasets },
      options: {
        ...chartOptions(title, subtitle, {
          x: { stacked: true, min: 0, max: 100, title: { display: true, text: t("charts:compare.stackX") }, ticks: { callback: (v: number) => pctTick(v) } },
          y: { stacked: true },
        }),
        indexAxis: "y",
        // Room for the scenario names on the left and the 100% tick on the right.
        layout: { padding: { left: 12, right: 28 } },
      },
    } as ChartConfiguration,
  };
}

export function compareOutcomesChart(variants: Variant[]): NamedChart {
  return stackChart(
    "compare-outcomes",
    t("charts:compare.outcomesTitle"),
    t("charts:compare.outcomesSubtitle"),
    variants,
    OUTCOME_STACK,
    (v) => v.outcomes.legitimate.created,
  );
}

/** The spam side, only when some scenario has forged senders. */
export function compareSpamChart(variants: Variant[]): NamedChart | undefined {
  if (variants.every((v) => v.outcomes.spam === null)) return undefined;
  return stackChart(
    "compare-spam",
    t("charts:compare.spamTitle"),
    t("charts:compare.spamSubtitle"),
    variants,
    SPAM_STACK,
    (v) => v.outcomes.spam?.created ?? 0,
  );
}

/** The sender profiles of any scenario, in name order. */
export function compareProfiles(variants: Variant[]): string[] {
  return [...new Set(variants.flatMap((v) => Object.keys(v.summary.by_profile)))].sort();
}

/** "#1f77b4" at the given opacity: a scenario's colour, pale, for the mail still queued stacked on its bounces. */
const pale = (hex: string, alpha = 0.3) => `rgba(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")}, ${alpha})`;

/** % of a profile's legitimate mail in one outcome, in one scenario; null when the scenario has no such sender. */
function profileShare(v: Variant, mta: string, field: "bounced" | "still_queued"): number | null {
  const c = v.summary.by_profile[mta];
  if (!c) return null;
  return c.created ? (100 * c[field]) / c.created : 0;
}

/** "gives up after 1d": the longest a sender of that profile keeps a message, over the scenarios (verdict.ts says the same). */
function givesUpLabel(variants: Variant[], mta: string): string {
  const after = variants.flatMap((v) => v.result.model.senders.filter((s) => !s.forged && s.profile.mta === mta).map((s) => giveUpAfter(s.profile)));
  return after.length ? t("charts:compare.givesUp", { after: human(Math.max(...after)) }) : "";
}

/**
 * For each sender profile, the share of its legitimate mail that bounced
 * (solid) or was still queued at the end (pale, stacked on it), one bar per
 * scenario, each bar labelled with its numbers (a scenario that loses none
 * has no bar to see, so its "0%" says so): which providers' mail a backup
 * saves. Undefined with fewer than two profiles.
 */
export function compareProfileChart(variants: Variant[]): NamedChart | undefined {
  const profiles = compareProfiles(variants);
  if (profiles.length < 2) return undefined;
  const datasets = variants.flatMap((v, k) => {
    const color = COLORS[k % COLORS.length]!;
    const stack = `scenario-${k}`;
    const bounced = { label: t("charts:compare.profileBounced", { name: v.name }), stack, data: profiles.map((m) => profileShare(v, m, "bounced")), backgroundColor: color, borderColor: color, borderWidth: 1 };
    if (v.outcomes.legitimate.still_queued === 0) return [bounced];
    return [bounced, { label: t("charts:compare.profileQueued", { name: v.name }), stack, data: profiles.map((m) => profileShare(v, m, "still_queued")), backgroundColor: pale(color), borderColor: color, borderWidth: 2 }];
  });
  const highest = Math.max(...variants.flatMap((v) => profiles.map((m) => (profileShare(v, m, "bounced") ?? 0) + (profileShare(v, m, "still_queued") ?? 0))));
  return {
    name: "compare-by-profile",
    config: {
      type: "bar",
      data: { labels: profiles.map((m) => [m, givesUpLabel(variants, m)]), datasets },
      options: chartOptions(
        t("charts:compare.profileTitle"),
        t("charts:compare.profileSubtitle"),
        {
          x: { stacked: true, title: { display: true, text: t("charts:compare.profileX") } },
          // Room above the highest bar for its label; past 100% that room has no tick, since no share is more.
          y: {
            stacked: true,
            min: 0,
            ...(highest * 1.25 > 100 ? { max: 115 } : { suggestedMax: Math.max(1, highest) * 1.25 }),
            title: { display: true, text: t("charts:compare.profileY") },
            ticks: { callback: (v: number) => (v <= 100 ? pctTick(Math.round(v * 10) / 10) : "") },
          },
        },
      ),
      plugins: [BAR_VALUES],
    } as ChartConfiguration,
  };
}

/** "8.3%", "8.3% + 1.2%" when some was still queued, "0" when none: the numbers of one stacked bar. */
const barText = (bounced: number, queued: number) => {
  if (queued > 0) return `${pct(bounced, 1)} + ${pct(queued, 1)}`;
  // Exactly none as "0": "0.0%" would also be what 0.04% rounds to.
  return bounced > 0 ? pct(bounced, 1) : "0";
};

/**
 * Writes each bar's numbers above it, upright (a bar is too narrow for them
 * across): Chart.js draws no values itself, and a reader on a projector
 * cannot read 0.1% off an axis.
 */
const BAR_VALUES = {
  id: "mxsim-bar-values",
  afterDatasetsDraw(chart: BarChart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = "bold 13px 'DejaVu Sans', sans-serif";
    ctx.textBaseline = "middle";
    const stacks = new Map<string, number[]>();
    chart.data.datasets.forEach((d, i) => (stacks.get(d.stack) ?? stacks.set(d.stack, []).get(d.stack)!).push(i));
    for (const members of stacks.values()) {
      const top = chart.getDatasetMeta(members.at(-1)!).data;
      top.forEach((bar, j) => {
        const [bounced, queued] = [members[0]!, members[1]].map((i) => (i === undefined ? 0 : (chart.data.datasets[i]!.data[j] ?? NaN)));
        if (Number.isNaN(bounced)) return;
        const text = barText(bounced!, queued!);
        // Above the bar in its colour; where that would run past the top of the plot, inside it, dark on a white halo.
        const inside = bar.y - 6 - ctx.measureText(text).width < chart.chartArea.top;
        ctx.save();
        ctx.translate(bar.x, inside ? bar.y + 6 : bar.y - 6);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = inside ? "right" : "left";
        if (inside) {
          ctx.strokeStyle = "white";
          ctx.lineWidth = 4;
          ctx.strokeText(text, 0, 0);
        }
        ctx.fillStyle = inside ? "#222" : chart.data.datasets[members[0]!]!.borderColor;
        ctx.fillText(text, 0, 0);
        ctx.restore();
      });
    }
    ctx.restore();
  },
};

/** What BAR_VALUES reads of a drawn bar chart (Chart.js's own types do not say that a dataset has a stack). */
interface BarChart {
  ctx: {
    save(): void;
    restore(): void;
    translate(x: number, y: number): void;
    rotate(a: number): void;
    measureText(t: string): { width: number };
    fillText(t: string, x: number, y: number): void;
    strokeText(t: string, x: number, y: number): void;
    font: string;
    textBaseline: string;
    textAlign: string;
    fillStyle: string;
    strokeStyle: string;
    lineWidth: number;
  };
  chartArea: { top: number };
  data: { datasets: { stack: string; data: (number | null)[]; borderColor: string }[] };
  getDatasetMeta(i: number): { data: { x: number; y: number }[] };
}

export function compareCharts(variants: Variant[]): NamedChart[] {
  const spam = compareSpamChart(variants);
  const byProfile = compareProfileChart(variants);
  return [deliveryCurveChart(variants), compareOutcomesChart(variants), ...(byProfile ? [byProfile] : []), ...(spam ? [spam] : []), compareQueueChart(variants)];
}
