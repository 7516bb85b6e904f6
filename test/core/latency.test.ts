import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/core/simulate.js";
import { summarize } from "../../src/report/summary.js";
import { model } from "../helpers.js";

describe("latency percentiles", () => {
  it("from the streaming histogram are within its stated 0.1% of the exact ones", () => {
    const r = simulate(model(readFileSync("scenarios/04-outage-longer-than-lifetime.yaml", "utf8")));
    const exact = summarize(r);
    const streamed = summarize(r, 0); // force the histogram
    expect(exact.latency_method).toMatch(/^exact/);
    expect(streamed.latency_method).toMatch(/relative error at most 0\.1%/);
    for (const path of ["overall", "via-secondary"] as const) {
      const e = exact.latency[path]!;
      const s = streamed.latency[path]!;
      expect(s.count).toBe(e.count);
      expect(s.max_s).toBe(e.max_s);
      expect(s.mean_s).toBeCloseTo(e.mean_s, 6);
      for (const p of ["p50_s", "p90_s", "p95_s", "p99_s"] as const) {
        // Interpolated exact percentiles can fall between recorded values; compare with the nearest-rank value's scale.
        expect(Math.abs(s[p] - e[p])).toBeLessThanOrEqual(0.001 * e[p] + 1);
      }
    }
  });
});
