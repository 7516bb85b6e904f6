/**
 * A run's mail split by sender profile (`profile.mta` of each legitimate
 * sender), as a chart: drawn only with two profiles or more, since one
 * profile's curve would repeat what the other charts already show, and a
 * single-profile run's outputs stay what they were. The compare and sweep
 * counterparts live beside their other charts (compare.ts, sweep.ts).
 */
import type { ChartConfiguration } from "chart.js";
import type { RunResult } from "../core/simulate.js";
import { chartOptions, type NamedChart } from "./charts.js";
import { t } from "../i18n/index.js";
import { ALL_DELIVERED_LINE, COLORS, curveTimes, logTimeAxis, outcomeLabel, pctTick, percentDeliveredAxis } from "./compare.js";
import { deliveredWithin, latenciesByProfile } from "./mail-outcomes.js";
import { DASHES } from "./metrics.js";
import type { ProfileCounts, Summary } from "./summary.js";

export const profileDelivered = (c: ProfileCounts) => c.delivered_direct + c.delivered_via_secondary + c.delivered_after_sender_retry;

/**
 * Point shapes, one per profile, with COLORS and DASHES: eight profiles'
 * lines often lie on top of each other (all at 100% once the outage is
 * over), and a colour alone does not tell eight apart on a projector.
 */
export const PROFILE_POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "cross", "rectRounded"];

/** A line of one profile: its colour, dash and point shape by its place in the name-ordered list of profiles. */
export function profileLine<T>(label: string, k: number, data: T[]) {
  const color = COLORS[k % COLORS.length];
  return { label, data, borderColor: color, backgroundColor: color, borderWidth: 3, borderDash: DASHES[k % DASHES.length], pointStyle: PROFILE_POINTS[k % PROFILE_POINTS.length] };
}

/**
 * For each sender profile, the share of its legitimate mail delivered within
 * t of being sent, against t on a log scale (as compare-delivery): a profile
 * whose senders gave up during the outage stops short of 100% by the mail
 * that bounced or was still queued. Undefined with fewer than two profiles.
 */
/** The % axis from `floor` (a multiple of 10) to just above 100%, ticked every 5% when zoomed in far enough for 10% ticks to be too few. */
function zoomedPercentAxis(floor: number): Record<string, unknown> {
  const axis = percentDeliveredAxis(t("charts:profile.y")) as { ticks: Record<string, unknown> };
  if (floor === 0) return axis;
  return { ...axis, min: floor, max: 100 + (100 - floor) / 20, ticks: { ...axis.ticks, stepSize: floor >= 70 ? 5 : 10 } };
}

/** Points between two markers of a curve. */
const MARK_EVERY = 24;

export function deliveryByProfileChart(r: RunResult, s: Summary): NamedChart | undefined {
  const profiles = Object.keys(s.by_profile);
  if (profiles.length < 2) return undefined;
  const latencies = latenciesByProfile(r);
  const duration = r.model.duration;
  const xs = curveTimes(duration);
  const datasets = profiles.map((mta, k) => {
    const c = s.by_profile[mta]!;
    const sorted = latencies[mta]!;
    const data = xs.map((x) => ({ x, y: c.created ? (100 * deliveredWithin(sorted, x)) / c.created : 0 }));
    const label = outcomeLabel(t("charts:compare.sent", { name: mta, n: c.created }), c.created, { ...c, delivered: profileDelivered(c) });
    // A marker every MARK_EVERY points, each profile's shifted, so the shapes of the legend are on the lines (240 per line would hide the steps).
    const pointRadius = (ctx: { dataIndex: number }) => ((ctx.dataIndex + k * 3) % MARK_EVERY === 0 ? 6 : 0);
    return { ...profileLine(label, k, data), pointRadius, pointHoverRadius: 0, stepped: "after" as const };
  });
  // Most mail arrives at once, so every line starts high; from 0% the eight would be squeezed into a sliver at the top.
  const lowest = Math.min(...datasets.map((d) => d.data[0]!.y));
  const floor = Math.max(0, Math.floor((lowest - 5) / 10) * 10);
  const options = chartOptions(
    t("charts:profile.title", { name: r.model.name }),
    t("charts:profile.subtitle") + (floor > 0 ? t("charts:profile.floor", { floor: pctTick(floor) }) : ""),
    { x: logTimeAxis(duration), y: zoomedPercentAxis(floor) },
    { all: ALL_DELIVERED_LINE },
  ) as Record<string, unknown> & { plugins: Record<string, unknown> };
  // Shapes in the legend, not boxes: they tell the lines apart where the colours are close.
  options.plugins.legend = { display: true, position: "top", labels: { usePointStyle: true, boxHeight: 10 } };
  return { name: "delivery-by-profile", config: { type: "line", data: { datasets }, options } as ChartConfiguration };
}
