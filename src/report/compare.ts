/**
 * Several scenarios side by side: a table of the numbers that matter to a
 * sysadmin choosing a setup, and charts with one line or bar per scenario.
 */
import type { ChartConfiguration } from "chart.js";
import Table from "cli-table3";
import { DELIVERED } from "../core/message-table.js";
import type { RunResult } from "../core/simulate.js";
import { chartOptions, LATENCY_BUCKETS, type NamedChart } from "./charts.js";
import { csv } from "./csv.js";
import { human, timeUnit } from "./format.js";
import type { Summary } from "./summary.js";

export interface Variant {
  /** The scenario's name (or file name when names clash). */
  name: string;
  result: RunResult;
  summary: Summary;
}

interface Metric {
  label: string;
  value: (s: Summary) => number | null;
  /** How to print it: a count, a share of created messages, or a duration. */
  kind: "count" | "share" | "time";
}

const worstDrain = (s: Summary) => {
  if (s.drain.length === 0) return null;
  if (s.drain.some((d) => d.drain_s === null)) return Infinity;
  return Math.max(...s.drain.map((d) => d.drain_s!));
};

export const METRICS: Metric[] = [
  { label: "messages created", value: (s) => s.messages.created, kind: "count" },
  { label: "delivered directly", value: (s) => s.messages.delivered_direct, kind: "share" },
  { label: "delivered via a secondary", value: (s) => s.messages.delivered_via_secondary, kind: "share" },
  { label: "delivered after sender retries", value: (s) => s.messages.delivered_after_sender_retry, kind: "share" },
  { label: "bounced", value: (s) => s.messages.bounced, kind: "share" },
  { label: "still queued at the end", value: (s) => s.messages.still_queued, kind: "share" },
  { label: "latency p50 (all delivered)", value: (s) => s.latency.overall?.p50_s ?? null, kind: "time" },
  { label: "latency p90", value: (s) => s.latency.overall?.p90_s ?? null, kind: "time" },
  { label: "latency p95", value: (s) => s.latency.overall?.p95_s ?? null, kind: "time" },
  { label: "latency p99", value: (s) => s.latency.overall?.p99_s ?? null, kind: "time" },
  { label: "latency max", value: (s) => s.latency.overall?.max_s ?? null, kind: "time" },
  { label: "peak queue (largest single queue)", value: (s) => Math.max(0, ...s.peak_queue.map((q) => q.peak)), kind: "count" },
  { label: "drain after the outage (slowest queue)", value: worstDrain, kind: "time" },
  { label: "delay warnings sent", value: (s) => s.notifications.delayed, kind: "count" },
  { label: "backscatter", value: (s) => s.notifications.backscatter, kind: "count" },
];

function show(m: Metric, s: Summary): string {
  const v = m.value(s);
  if (v === null) return "-";
  if (m.kind === "time") return v === Infinity ? "not drained" : human(v);
  if (m.kind === "share") return `${v} (${s.messages.created ? ((100 * v) / s.messages.created).toFixed(1) : "0.0"}%)`;
  return String(v);
}

export function compareTable(variants: Variant[], color = false): string {
  const t = new Table({
    head: ["", ...variants.map((v) => v.name)],
    style: { head: color ? ["bold"] : [], border: [] },
    colAligns: ["left", ...variants.map(() => "right" as const)],
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const m of METRICS) t.push([m.label, ...variants.map((v) => show(m, v.summary))]);
  return t.toString();
}

/** One row per metric and scenario, for spreadsheets. */
export function compareCsv(variants: Variant[]): string {
  const rows: unknown[][] = [["scenario", "seed", "metric", "value"]];
  for (const v of variants) {
    for (const m of METRICS) {
      const x = m.value(v.summary);
      rows.push([v.name, v.result.seed, m.label, x === null ? "" : x === Infinity ? "inf" : x]);
    }
  }
  return csv(rows);
}

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
/** Lines of different scenarios often coincide; a dash pattern each keeps them all visible. */
export const DASHES = [[], [12, 6], [4, 4], [16, 4, 4, 4], [2, 6]];

/** Total messages waiting (every backup MX and every sender) over time, one line per scenario. */
export function compareQueueChart(variants: Variant[]): NamedChart {
  const duration = Math.max(...variants.map((v) => v.result.model.duration));
  const unit = timeUnit(duration);
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
        "Mail waiting in queues, scenario by scenario",
        "Backup MX queues and senders' own queues added up (highest in each bin)",
        {
          x: { type: "linear", min: 0, max: duration / unit.seconds, title: { display: true, text: `Time since the start (${unit.name})` } },
          y: { beginAtZero: true, title: { display: true, text: "Messages waiting in queues" }, ticks: { precision: 0 } },
        },
      ),
    } as ChartConfiguration,
  };
}

/** The latency distribution of all delivered mail, one bar per scenario in each bucket. */
export function compareLatencyChart(variants: Variant[]): NamedChart {
  const datasets = variants.map((v, k) => {
    const m = v.result.messages;
    const counts = LATENCY_BUCKETS.map(() => 0);
    let n = 0;
    for (let i = 0; i < m.count; i++) {
      if (m.outcome[i] !== DELIVERED) continue;
      n++;
      counts[LATENCY_BUCKETS.findIndex((b) => m.done[i]! - m.created[i]! < b.upTo)]!++;
    }
    return { label: `${v.name} (${n} delivered)`, data: counts.map((c) => (n ? (100 * c) / n : 0)), backgroundColor: COLORS[k % COLORS.length] };
  });
  return {
    name: "compare-latency",
    config: {
      type: "bar",
      data: { labels: LATENCY_BUCKETS.map((b) => b.label), datasets },
      options: chartOptions("Delivery latency, scenario by scenario", "Each scenario's bars add up to 100% of its delivered messages", {
        x: { title: { display: true, text: "Delivery latency (time from sending to the mailbox)" } },
        y: { beginAtZero: true, title: { display: true, text: "% of delivered messages" } },
      }),
    },
  };
}
