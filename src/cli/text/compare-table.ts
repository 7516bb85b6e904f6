/** `mxsim compare`'s table: one row per metric, one column per scenario. */
import type { Variant } from "../../report/compare.js";
import { human } from "../../report/format.js";
import { METRICS, type Metric } from "../../report/metrics.js";
import type { Summary } from "../../report/summary.js";
import { boxTable } from "./table.js";

function show(m: Metric, s: Summary): string {
  const v = m.value(s);
  if (v === null) return "-";
  if (m.kind === "time") return v === Infinity ? "not drained" : human(v);
  if (m.kind === "share") return `${v} (${s.messages.created ? ((100 * v) / s.messages.created).toFixed(1) : "0.0"}%)`;
  return String(v);
}

export function compareTable(variants: Variant[], color = false): string {
  const t = boxTable(["", ...variants.map((v) => v.name)], {
    headStyle: color ? ["bold"] : [],
    colAligns: ["left", ...variants.map(() => "right" as const)],
  });
  for (const m of METRICS) t.push([m.label, ...variants.map((v) => show(m, v.summary))]);
  return t.toString();
}
