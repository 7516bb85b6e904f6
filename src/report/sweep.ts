/**
 * A parameter sweep: one scenario value (an outage's length, say) varied over
 * a list, for one or more variants of a setup. At each point: the bounce rate
 * of the legitimate mail (overall and per sender profile), and the time to
 * delivery over ALL the mail sent, where a percentile that falls on mail that
 * bounced or was still queued is "not delivered", never a number. The
 * terminal table is cli/text/sweep-table.ts, the page sweep-html.ts.
 */
import type { ChartConfiguration } from "chart.js";
import { t } from "../i18n/index.js";
import { chartOptions, type NamedChart } from "./charts.js";
import { COLORS, pctTick } from "./compare.js";
import { csv } from "./csv.js";
import { allMailPercentile, NOT_DELIVERED, type MailOutcomes, type Percentile } from "./mail-outcomes.js";
import { DASHES } from "./metrics.js";
import { profileLine } from "./profile-charts.js";
import type { Summary } from "./summary.js";

/** The percentiles a sweep shows, over all mail sent. */
export const SWEEP_PERCENTILES = [50, 95, 99] as const;
export type SweepPercentile = `p${(typeof SWEEP_PERCENTILES)[number]}`;

export interface SweepPoint {
  /** The value as written (e.g. "36h"). */
  value: string;
  /** Its size in seconds, when the value is a duration. */
  seconds: number | null;
  /** Legitimate mail sent, and how it ended (means over the runs). */
  created: number;
  delivered: number;
  bounced: number;
  /** Still queued when the run ended (their fate is unknown). */
  queued: number;
  /** Bounced / sent, as a percentage. */
  bounceRate: number;
  /** (Bounced + still queued) / sent, as a percentage. */
  undeliveredRate: number;
  /** Time to delivery over all the legitimate mail of every run of the point, seconds or "not delivered". */
  p50: Percentile;
  p95: Percentile;
  p99: Percentile;
  /** Bounce rate (%) of each sender profile's legitimate mail. */
  byProfile: Record<string, number>;
}

export interface SweepSeries {
  variant: string;
  points: SweepPoint[];
}

/** One run of a point, as a sweep needs it. */
export interface SweepRun {
  summary: Summary;
  outcomes: MailOutcomes;
}

const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
const rate = (n: number, of: number) => (of ? (100 * n) / of : 0);

/** A point from its runs: counts and rates averaged, percentiles over the mail of all the runs together. */
export function sweepPoint(value: string, seconds: number | null, runs: SweepRun[]): SweepPoint {
  const legit = runs.map((r) => r.outcomes.legitimate);
  const pooled = new Float64Array(legit.reduce((n, l) => n + l.latencies.length, 0));
  legit.reduce((at, l) => (pooled.set(l.latencies, at), at + l.latencies.length), 0);
  pooled.sort();
  const sent = legit.reduce((n, l) => n + l.created, 0);
  const pct = (p: number) => allMailPercentile(pooled, sent, p / 100);
  const mtas = [...new Set(runs.flatMap((r) => Object.keys(r.summary.by_profile)))].sort();
  return {
    value,
    seconds,
    created: mean(legit.map((l) => l.created)),
    delivered: mean(legit.map((l) => l.created - l.bounced - l.still_queued)),
    bounced: mean(legit.map((l) => l.bounced)),
    queued: mean(legit.map((l) => l.still_queued)),
    bounceRate: mean(legit.map((l) => rate(l.bounced, l.created))),
    undeliveredRate: mean(legit.map((l) => rate(l.bounced + l.still_queued, l.created))),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    byProfile: Object.fromEntries(
      mtas.map((mta) => [mta, mean(runs.map((r) => r.summary.by_profile[mta]).map((c) => (c ? rate(c.bounced, c.created) : 0)))]),
    ),
  };
}

/** "between 6d and 7d" / "already at 1h" / "none in this sweep": where bounces begin. */
export function bouncesBegin(points: SweepPoint[]): string {
  const i = points.findIndex((p) => p.bounced > 0);
  if (i < 0) return "none in this sweep";
  if (i === 0) return `already at ${points[0]!.value}`;
  return `between ${points[i - 1]!.value} and ${points[i]!.value}`;
}

/** The sender profiles of any point of any series, in name order. */
export function sweepProfiles(series: SweepSeries[]): string[] {
  return [...new Set(series.flatMap((s) => s.points.flatMap((p) => Object.keys(p.byProfile))))].sort();
}

/**
 * One row per variant and point. A percentile that falls on undelivered
 * mail is an empty cell, and `not_delivered` names those percentiles.
 */
export function sweepCsv(param: string, seed: number, series: SweepSeries[]): string {
  const mtas = sweepProfiles(series);
  const head = ["variant", "seed", "parameter", "value", "value_s", "created", "delivered", "bounced", "still_queued", "bounce_rate_pct", "undelivered_pct"];
  const rows: unknown[][] = [[...head, ...SWEEP_PERCENTILES.map((p) => `p${p}_latency_s`), "not_delivered", ...mtas.map((m) => `bounce_rate_pct_${m}`)]];
  for (const s of series) {
    for (const p of s.points) {
      const pcts = SWEEP_PERCENTILES.map((q) => p[`p${q}`]);
      const missing = SWEEP_PERCENTILES.filter((q) => p[`p${q}`] === NOT_DELIVERED).map((q) => `p${q}`);
      rows.push([
        ...[s.variant, seed, param, p.value, p.seconds ?? "", p.created, p.delivered, p.bounced, p.queued, p.bounceRate, p.undeliveredRate],
        ...pcts.map((x) => (x === NOT_DELIVERED ? "" : x)),
        missing.join(" "),
        ...mtas.map((m) => p.byProfile[m] ?? ""),
      ]);
    }
  }
  return csv(rows);
}

function lineDataset(label: string, k: number, data: (number | null)[]) {
  const color = COLORS[k % COLORS.length];
  return { label, data, borderColor: color, backgroundColor: color, borderWidth: 3, borderDash: DASHES[k % DASHES.length], pointRadius: 6 };
}

/** Room on the right for the last point and its label, which Chart.js would cut in half. */
const PADDED = { layout: { padding: { right: 36 } } };

/**
 * The bounce rate of the legitimate mail against the parameter, one line per
 * variant; where some mail was still queued at the end, a thinner line above
 * it adds that mail (bounced or never delivered).
 */
export function sweepBounceChart(param: string, series: SweepSeries[]): NamedChart {
  // The points as written, evenly spaced: a --range is already log-spaced, and the labels stay readable.
  const labels = series[0]!.points.map((p) => p.value);
  const datasets = series.flatMap((s, k) => {
    const line = lineDataset(t("charts:sweep.bounced", { name: s.variant }), k, s.points.map((p) => p.bounceRate));
    if (!s.points.some((p) => p.queued > 0)) return [line];
    return [line, { ...lineDataset(t("charts:sweep.bouncedOrQueued", { name: s.variant }), k, s.points.map((p) => p.undeliveredRate)), borderWidth: 2, borderDash: [3, 3], pointRadius: 4, pointStyle: "rect" }];
  });
  return {
    name: "sweep-bounces",
    config: {
      type: "line",
      data: { labels, datasets },
      options: {
        ...chartOptions(t("charts:sweep.bounceTitle"), t("charts:sweep.bounceSubtitle", { param }), {
          x: { title: { display: true, text: param } },
          y: { beginAtZero: true, title: { display: true, text: t("charts:sweep.bounceY") }, ticks: { callback: (v: number) => pctTick(v) } },
        }),
        ...PADDED,
      },
    } as ChartConfiguration,
  };
}

/**
 * The p-th percentile of the time to delivery over all mail, in hours, one
 * line per variant. A point where it is "not delivered" has no height: it is
 * drawn as a cross in a band across the top labelled so, never as a number.
 */
export function sweepLatencyChart(param: string, series: SweepSeries[], p: (typeof SWEEP_PERCENTILES)[number] = 95): NamedChart {
  const labels = series[0]!.points.map((pt) => pt.value);
  const key = `p${p}` as const;
  const hours = (x: Percentile) => (x === NOT_DELIVERED ? null : x / 3600);
  const finite = series.flatMap((s) => s.points.map((pt) => hours(pt[key]))).filter((x): x is number => x !== null);
  // The band of the undelivered points sits above the highest number, so it never reads as a time.
  const top = Math.max(1, ...finite) * 1.4;
  const band = top / 1.2;
  const datasets = series.flatMap((s, k) => {
    const line = lineDataset(s.variant, k, s.points.map((pt) => hours(pt[key])));
    if (!s.points.some((pt) => pt[key] === NOT_DELIVERED)) return [line];
    // Each variant's crosses at their own height in the band, so that two at one point both show.
    const y = band + ((top - band) * (k + 1)) / (series.length + 1);
    const marks = { ...lineDataset(t("charts:sweep.notDelivered", { name: s.variant }), k, s.points.map((pt) => (pt[key] === NOT_DELIVERED ? y : null))), showLine: false, pointStyle: "crossRot", pointRadius: 11, borderWidth: 4 };
    return [line, marks];
  });
  const annotations = {
    band: {
      type: "box",
      yMin: band,
      yMax: top,
      backgroundColor: "rgba(214, 39, 40, 0.10)",
      borderWidth: 0,
      label: { display: true, content: t("charts:sweep.band", { share: pctTick(100 - p) }), position: { x: "start", y: "center" }, font: { size: 15 }, color: "#a01010" },
    },
  };
  return {
    name: `sweep-p${p}`,
    config: {
      type: "line",
      data: { labels, datasets },
      options: {
        ...chartOptions(t("charts:sweep.latencyTitle", { p }), t("charts:sweep.latencySubtitle", { param }), {
          x: { title: { display: true, text: param } },
          y: { min: 0, max: top, title: { display: true, text: t("charts:sweep.latencyY", { p }) }, ticks: { callback: (v: number) => (v < band ? String(Math.round(v * 10) / 10).replace(".", t("charts:decimalMark")) : "") } },
        }, annotations),
        ...PADDED,
      },
    } as ChartConfiguration,
  };
}

/** The variant that bounced the most legitimate mail over all its points (the first of a tie). */
export function mostBounces(series: SweepSeries[]): SweepSeries {
  const total = (s: SweepSeries) => s.points.reduce((n, p) => n + p.bounced, 0);
  return series.reduce((best, s) => (total(s) > total(best) ? s : best));
}

/**
 * The bounce rate of each sender profile against the parameter, one line per
 * profile, for ONE variant: the one that bounces the most. A line per profile
 * and variant (eight profiles, four variants: 32 lines) is a tangle no class
 * can read, and small multiples would shrink each chart to a corner of the
 * projector. The variant that bounces the most is where the profiles part:
 * which senders give up first as the parameter grows; the other variants'
 * rates by profile are in the table beside it (sweep.html, sweep.csv). A thick
 * grey line is the variant's bounce rate over all its legitimate mail.
 * Undefined with fewer than two profiles.
 */
export function sweepProfileChart(param: string, series: SweepSeries[]): NamedChart | undefined {
  const mtas = sweepProfiles(series);
  if (mtas.length < 2) return undefined;
  const chosen = mostBounces(series);
  const labels = chosen.points.map((p) => p.value);
  const all = { label: t("charts:sweep.allMail"), data: chosen.points.map((p) => p.bounceRate), borderColor: "#999", backgroundColor: "#999", borderWidth: 10, pointRadius: 0, order: 1 };
  const datasets = [...mtas.map((mta, k) => ({ ...profileLine(mta, k, chosen.points.map((p) => p.byProfile[mta] ?? null)), pointRadius: 7, order: 0 })), all];
  const which = series.length > 1 ? t("charts:sweep.which", { n: series.length }) : "";
  return {
    name: "sweep-bounces-by-profile",
    config: {
      type: "line",
      data: { labels, datasets },
      options: {
        ...chartOptions(t("charts:sweep.profileTitle", { name: chosen.variant }), t("charts:sweep.profileSubtitle", { param, which }), {
          x: { title: { display: true, text: param } },
          // Grace: a point at the top would be cut in half by the plot's edge.
          y: { beginAtZero: true, grace: "5%", title: { display: true, text: t("charts:sweep.profileY") }, ticks: { callback: (v: number) => (v <= 100 ? pctTick(v) : "") } },
        }),
        ...PADDED,
      },
    } as ChartConfiguration,
  };
}

export function sweepCharts(param: string, series: SweepSeries[]): NamedChart[] {
  const byProfile = sweepProfileChart(param, series);
  return [sweepBounceChart(param, series), ...(byProfile ? [byProfile] : []), sweepLatencyChart(param, series, 95)];
}
