/**
 * A parameter sweep: one scenario value (an outage's length, say) varied over
 * a list, for one or more variants of a setup; the bounce rate and the p95
 * delivery latency at each point, and where bounces begin. The terminal
 * table is cli/text/sweep-table.ts.
 */
import type { ChartConfiguration } from "chart.js";
import { chartOptions, type NamedChart } from "./charts.js";
import { csv } from "./csv.js";
import { DASHES } from "./metrics.js";

export interface SweepPoint {
  /** The value as written (e.g. "36h"). */
  value: string;
  /** Its size in seconds, when the value is a duration (the chart's x axis). */
  seconds: number | null;
  created: number;
  bounced: number;
  /** Still queued when the run ended (their fate is unknown). */
  queued: number;
  /** Bounced / created, as a percentage. */
  bounceRate: number;
  /** p95 delivery latency in seconds, or null when nothing was delivered. */
  p95: number | null;
}

export interface SweepSeries {
  variant: string;
  points: SweepPoint[];
}

/** "between 6d and 7d" / "from the first value, 1h" / "not within the sweep": where bounces begin. */
export function bouncesBegin(points: SweepPoint[]): string {
  const i = points.findIndex((p) => p.bounced > 0);
  if (i < 0) return "none in this sweep";
  if (i === 0) return `already at ${points[0]!.value}`;
  return `between ${points[i - 1]!.value} and ${points[i]!.value}`;
}

export function sweepCsv(param: string, seed: number, series: SweepSeries[]): string {
  const rows: unknown[][] = [["variant", "seed", "parameter", "value", "value_s", "created", "bounced", "still_queued", "bounce_rate_pct", "p95_latency_s"]];
  for (const s of series) {
    for (const p of s.points) rows.push([s.variant, seed, param, p.value, p.seconds ?? "", p.created, p.bounced, p.queued, p.bounceRate, p.p95 ?? ""]);
  }
  return csv(rows);
}

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

function sweepChart(name: string, title: string, yLabel: string, param: string, series: SweepSeries[], y: (p: SweepPoint) => number | null): NamedChart {
  // The points as written, evenly spaced: a --range is already log-spaced, and the labels stay readable.
  const labels = series[0]!.points.map((p) => p.value);
  const datasets = series.map((s, k) => ({
    label: s.variant,
    data: s.points.map(y),
    borderColor: COLORS[k % COLORS.length],
    backgroundColor: COLORS[k % COLORS.length],
    borderWidth: 3,
    borderDash: DASHES[k % DASHES.length],
    pointRadius: 5,
  }));
  return {
    name,
    config: {
      type: "line",
      data: { labels, datasets },
      options: chartOptions(title, `Varying ${param}; one line per variant`, {
        x: { title: { display: true, text: param } },
        y: { beginAtZero: true, title: { display: true, text: yLabel } },
      }),
    } as ChartConfiguration,
  };
}

export function sweepCharts(param: string, series: SweepSeries[]): NamedChart[] {
  return [
    sweepChart("sweep-bounces", "Bounced mail against the parameter", "% of messages bounced", param, series, (p) => p.bounceRate),
    sweepChart("sweep-p95", "95th percentile of delivery latency", "p95 latency (hours)", param, series, (p) => (p.p95 === null ? null : p.p95 / 3600)),
  ];
}
