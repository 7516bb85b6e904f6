/** `mxsim sweep`'s table: one row per point, the bounce rate and p95 latency of each variant; then where bounces begin. */
import { human } from "../../report/format.js";
import { bouncesBegin, type SweepSeries } from "../../report/sweep.js";
import { boxTable } from "./table.js";

export function sweepTable(param: string, series: SweepSeries[]): string {
  const t = boxTable([param, ...series.flatMap((s) => [`${s.variant}: bounced`, "p95 latency"])], {
    colAligns: ["left", ...series.flatMap(() => ["right" as const, "right" as const])],
  });
  series[0]!.points.forEach((p, i) => {
    t.push([p.value, ...series.flatMap((s) => [`${s.points[i]!.bounceRate.toFixed(1)}%`, s.points[i]!.p95 === null ? "-" : human(s.points[i]!.p95!)])]);
  });
  const lines = series.map((s) => `Bounces begin for ${s.variant}: ${bouncesBegin(s.points)}.`);
  const unfinished = series[0]!.points.filter((_, i) => series.some((s) => s.points[i]!.queued > 0)).map((p) => p.value);
  if (unfinished.length > 0) {
    lines.push(
      `At ${unfinished.join(", ")} some messages were still queued when the run ended, so their fate is not counted; ` +
        "lengthen the scenario's duration to see it.",
    );
  }
  return `${t.toString()}\n${lines.join("\n")}`;
}
