/** `mxsim run --runs N`'s table: each metric's mean, 95% confidence interval and extremes over the runs. */
import { human } from "../../report/format.js";
import { METRICS } from "../../report/metrics.js";
import type { Estimate } from "../../report/replications.js";
import { boxTable } from "./table.js";

export function replicationsTable(agg: Record<string, Estimate | null>, runs: number): string {
  const t = boxTable([`Metric over ${runs} runs`, "mean", "95% CI", "min", "max"], { colAligns: ["left", "right", "right", "right", "right"] });
  for (const m of METRICS) {
    const e = agg[m.label];
    if (!e) {
      t.push([m.label, "-", "-", "-", "-"]);
      continue;
    }
    // Means and intervals of counts get a decimal; the extremes of counts are counts.
    const f = (x: number, decimals: number) => (Number.isNaN(x) ? "-" : m.kind === "time" ? human(x) : x.toFixed(decimals));
    t.push([m.label, f(e.mean, 1), Number.isNaN(e.ci95) ? "-" : `± ${f(e.ci95, 1)}`, f(e.min, 0), f(e.max, 0)]);
  }
  return t.toString();
}
