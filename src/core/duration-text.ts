/**
 * A duration in seconds written for people: the one wording of a length of
 * time that both the scenario layer (its warnings) and the reports use. It
 * lives in core because core is the only layer both may import (scenario
 * never imports report, report never imports scenario); nothing in the
 * simulation itself uses it. Pure: pretty-ms does no I/O and reads no clock.
 */
import prettyMs from "pretty-ms";

/** "3h 51m", "6m 40s", "7d 1h", "0s": a duration in seconds for people. */
export function human(seconds: number): string {
  if (!Number.isFinite(seconds)) return "-";
  if (Math.round(seconds) === 0) return "0s";
  return prettyMs(Math.round(seconds) * 1000, { unitCount: 2, secondsDecimalDigits: 0 });
}
