/**
 * Several scenarios side by side: a CSV file of the numbers that matter to a
 * sysadmin choosing a setup (metrics.ts), and charts with one line or bar per
 * scenario. The terminal table is cli/text/compare-table.ts.
 */
import type { ChartConfiguration } from "chart.js";
import { DELIVERED } from "../core/message-table.js";
import type { RunResult } from "../core/simulate.js";
import { chartOptions, LATENCY_BUCKETS, type NamedChart } from "./charts.js";
import { csv } from "./csv.js";
import { timeUnit } from "./format.js";
import { DASHES, METRICS } from "./metrics.js";
import type { Summary } from "./summary.js";

export interface Variant {
  /** The scenario's name (or file name when names clash). */
  name: string;
  result: RunResult;
  summary: Summary;
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
