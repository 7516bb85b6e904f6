/**
 * `mxsim sweep`'s tables: one row per point with each variant's bounce rate
 * and time to delivery over all mail (p50, p95, p99; "not delivered" where
 * a percentile falls on mail that never arrived); the bounce rate per sender
 * profile when there are two profiles or more; then where bounces begin.
 */
import { human } from "../../report/format.js";
import { NOT_DELIVERED, type Percentile } from "../../report/mail-outcomes.js";
import { bouncesBegin, sweepProfiles, type SweepSeries } from "../../report/sweep.js";
import { boxTable } from "./table.js";

const time = (p: Percentile) => (p === NOT_DELIVERED ? NOT_DELIVERED : human(p));
const right = (n: number) => Array.from({ length: n }, () => "right" as const);

export function sweepTable(series: SweepSeries[]): string {
  const t = boxTable(["value", ...series.flatMap((s) => [`${s.variant}: bounced`, "p50", "p95", "p99"])], {
    colAligns: ["left", ...right(4 * series.length)],
  });
  series[0]!.points.forEach((p, i) => {
    t.push([p.value, ...series.flatMap((s) => {
      const q = s.points[i]!;
      return [`${q.bounceRate.toFixed(1)}%`, time(q.p50), time(q.p95), time(q.p99)];
    })]);
  });
  const out = [t.toString(), "Times to delivery are over all legitimate mail sent: one that falls on mail that bounced or was still queued is \"not delivered\"."];
  const profiles = profileTable(series);
  if (profiles) out.push("", profiles);
  out.push(...series.map((s) => `Bounces begin for ${s.variant}: ${bouncesBegin(s.points)}.`));
  const unfinished = series[0]!.points.filter((_, i) => series.some((s) => s.points[i]!.queued > 0)).map((p) => p.value);
  if (unfinished.length > 0) {
    out.push(
      `At ${unfinished.join(", ")} some messages were still queued when the run ended, so their fate is not known; ` +
        "lengthen the scenario's duration to see it.",
    );
  }
  return out.join("\n");
}

/**
 * The bounce rate of each sender profile at each point: a row per variant and profile, a column per point (the
 * points are few, the profiles many: this way the table stays as wide as the main one); none with a single profile.
 */
function profileTable(series: SweepSeries[]): string | undefined {
  const mtas = sweepProfiles(series);
  if (mtas.length < 2) return undefined;
  const points = series[0]!.points;
  const t = boxTable(["bounce rate", "sender profile", ...points.map((p) => p.value)], { colAligns: ["left", "left", ...right(points.length)] });
  for (const s of series) {
    mtas.forEach((m, k) => {
      t.push([k === 0 ? s.variant : "", m, ...s.points.map((q) => (q.byProfile[m] === undefined ? "-" : `${q.byProfile[m]!.toFixed(1)}%`))]);
    });
  }
  return t.toString();
}
