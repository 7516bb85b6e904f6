/**
 * Whether a server answers at a given time. Outage windows are half-open,
 * [start, end): at `end` the server is up again.
 */
import { FAILURE_CODE } from "./failure-modes.js";
import type { Outage } from "./model.js";

/** Returned by `modeAt` when the server is up. */
export const UP = -1;

/**
 * The failure mode (an index into FAILURE_MODES) of the window covering `t`,
 * or UP. `outages` must be sorted by start and not overlap.
 */
export function modeAt(outages: readonly Outage[], t: number): number {
  // Binary search for the last window starting at or before t.
  let lo = 0;
  let hi = outages.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (outages[mid]!.start <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return UP;
  const w = outages[found]!;
  return t < w.end ? FAILURE_CODE[w.mode] : UP;
}
