/** `mxsim run --runs N`'s table: each metric's mean, 95% confidence interval and extremes over the runs. */
import { dec, t } from "../../i18n/index.js";
import { human } from "../../report/format.js";
import { METRICS } from "../../report/metrics.js";
import type { Estimate } from "../../report/replications.js";
import { boxTable } from "./table.js";

/** A metric's name in the current language (its label, which results.json keeps, made a key: "latency-p50-all-delivered"). */
export function metricTitle(label: string): string {
  return t(`report:metric.${metricKey(label)}`);
}

export const metricKey = (label: string) => label.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");

export function replicationsTable(agg: Record<string, Estimate | null>, runs: number): string {
  const head = [t("report:reps.metric", { runs }), t("report:reps.mean"), t("report:reps.ci"), t("report:reps.min"), t("report:reps.max")];
  const tbl = boxTable(head, { colAligns: ["left", "right", "right", "right", "right"] });
  for (const m of METRICS) {
    const e = agg[m.label];
    const title = metricTitle(m.label);
    if (!e) {
      tbl.push([title, "-", "-", "-", "-"]);
      continue;
    }
    // Means and intervals of counts get a decimal; the extremes of counts are counts.
    const f = (x: number, decimals: number) => (Number.isNaN(x) ? "-" : m.kind === "time" ? human(x) : dec(x, decimals));
    tbl.push([title, f(e.mean, 1), Number.isNaN(e.ci95) ? "-" : `± ${f(e.ci95, 1)}`, f(e.min, 0), f(e.max, 0)]);
  }
  return tbl.toString();
}
