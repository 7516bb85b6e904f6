/**
 * Many runs of one scenario, each with its own random streams (run number r
 * in every stream's name): the mean of each metric with a 95% confidence
 * interval (Student's t), as simulation practice asks for (Ciw's docs,
 * ns-3's "independent replications"). The terminal table is
 * cli/text/replications-table.ts.
 */
import { csv } from "./csv.js";
import { METRICS } from "./metrics.js";
import type { Summary } from "./summary.js";

/** Two-sided 95% critical values of Student's t for 1–30 degrees of freedom (standard tables). */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
/** Beyond 30: the value for the nearest tabulated df at or below (conservative). */
const T95_LARGE: [number, number][] = [
  [120, 1.98],
  [60, 2.0],
  [40, 2.021],
];

export function tCritical95(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T95[df - 1]!;
  for (const [d, t] of T95_LARGE) if (df >= d) return t;
  return 2.042;
}

export interface Estimate {
  n: number;
  mean: number;
  sd: number;
  /** Half-width of the 95% confidence interval of the mean (NaN for one run). */
  ci95: number;
  min: number;
  max: number;
}

export function estimate(values: number[]): Estimate {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, sd, ci95: n > 1 ? (tCritical95(n - 1) * sd) / Math.sqrt(n) : NaN, min: Math.min(...values), max: Math.max(...values) };
}

/** Each metric over the runs (metrics a run has no value for, such as latency with no delivery, are left out of it). */
export function aggregate(runs: Summary[]): Record<string, Estimate | null> {
  const out: Record<string, Estimate | null> = {};
  for (const m of METRICS) {
    const values = runs.map((s) => m.value(s)).filter((v): v is number => v !== null && Number.isFinite(v));
    out[m.label] = values.length > 0 ? estimate(values) : null;
  }
  return out;
}

/** One row per run, one column per metric. */
export function runsCsv(name: string, seed: number, runs: Summary[]): string {
  return csv(
    [
      ["scenario", "seed", "run", ...METRICS.map((m) => m.label)],
      ...runs.map((s, r) => [name, seed, r, ...METRICS.map((m) => {
        const v = m.value(s);
        return v === null ? "" : v === Infinity ? "inf" : v;
      })]),
    ],
  );
}
