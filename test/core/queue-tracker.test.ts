/**
 * Queue depth over time: exact peaks per node, binned series for the charts
 * (the highest depth within each bin and the depth at its end), and how long
 * each queue takes to empty after an outage. Checked against a step function
 * of the depth computed here from the same changes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QueueTracker } from "../../src/core/queue-tracker.js";

/** Two nodes feed series 0 ("relay"), node 2 feeds series 1 ("senders"), node 3 no series. */
function tracker(binWidth: number, duration: number) {
  return new QueueTracker(
    [
      { name: "relay", kind: "relay" },
      { name: "senders", kind: "senders" },
    ],
    Int32Array.of(0, 0, 1, -1),
    binWidth,
    duration,
  );
}

/** The depth of the changes `ch` (time-ordered) just after time t, and the highest within [a, b). */
const depthAt = (ch: { t: number; d: number }[], t: number) => ch.filter((c) => c.t <= t).reduce((n, c) => n + c.d, 0);
function maxIn(ch: { t: number; d: number }[], a: number, b: number): number {
  let depth = depthAt(ch, a - 0.5);
  let best = depth;
  for (const c of ch) {
    if (c.t < a) continue;
    if (c.t >= b) break;
    depth += c.d;
    best = Math.max(best, depth);
  }
  return best;
}

describe("QueueTracker", () => {
  it("bins hold the highest depth within them and the depth at their end; idle bins carry the depth on", () => {
    const q = tracker(100, 1000);
    const ch = [
      { t: 10, d: +1 },
      { t: 20, d: +1 },
      { t: 30, d: -1 },
      { t: 250, d: +1 },
      { t: 250, d: +1 },
      { t: 640, d: -1 },
      { t: 641, d: -1 },
      { t: 650, d: -1 },
    ];
    for (const c of ch) q.change(0, c.t, c.d);
    q.finish();
    for (let b = 0; b < q.bins; b++) {
      expect(q.binMax[0]![b], `max of bin ${b}`).toBe(maxIn(ch, b * 100, (b + 1) * 100));
      expect(q.binEnd[0]![b], `end of bin ${b}`).toBe(depthAt(ch, (b + 1) * 100 - 0.5));
    }
    expect(q.peak[0]).toBe(3);
    expect(q.peakAt[0]).toBe(250);
    expect(Array.from(q.binMax[1]!)).toEqual(new Array(10).fill(0));
  });

  it("per node: exact peaks and when they were first reached; nodes share their series", () => {
    const q = tracker(60, 600);
    q.change(0, 5, +1);
    q.change(1, 6, +1);
    q.change(1, 7, +1);
    q.change(0, 8, -1);
    q.change(1, 9, -1);
    q.change(1, 100, +1);
    q.change(3, 50, +1); // a node with no series still has its own depth
    q.finish();
    expect(Array.from(q.nodePeak)).toEqual([1, 2, 0, 1]);
    expect(Array.from(q.nodePeakAt)).toEqual([5, 7, 0, 50]);
    expect(Array.from(q.nodeDepth)).toEqual([0, 2, 0, 1]);
    expect(q.peak[0]).toBe(3); // nodes 0 and 1 together at t = 7
    expect(q.peakAt[0]).toBe(7);
  });

  it("a change at or after the end falls into the last bin", () => {
    const q = tracker(100, 250);
    expect(q.bins).toBe(3);
    q.change(0, 260, +1);
    q.finish();
    expect(Array.from(q.binMax[0]!)).toEqual([0, 0, 1]);
    expect(Array.from(q.binEnd[0]!)).toEqual([0, 0, 1]);
  });

  it("drains: from an outage's end until the series is first empty; an empty series is drained at once", () => {
    const q = tracker(100, 10_000);
    q.change(0, 100, +1);
    q.change(0, 200, +1);
    q.watchDrain(0, 300); // relay holds 2, senders hold 0
    q.change(0, 400, -1);
    q.change(0, 450, -1); // empty at 450
    q.change(0, 500, +1);
    q.watchDrain(1, 600); // relay holds 1: never empty again
    q.finish();
    expect(q.drains.map((d) => [d.series, d.window, d.from, d.drainedAt])).toEqual([
      [0, 0, 300, 450],
      [1, 0, 300, 300],
      [0, 1, 600, NaN],
      [1, 1, 600, 600],
    ]);
  });

  it("random change sequences agree with the step function", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 70 }), up: fc.boolean() }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 50 }),
        (steps, width) => {
          const q = tracker(width, 3000);
          const ch: { t: number; d: number }[] = [];
          let t = 0;
          let depth = 0;
          for (const s of steps) {
            t += s.dt;
            const d = s.up || depth === 0 ? +1 : -1;
            depth += d;
            ch.push({ t, d });
            q.change(0, t, d);
          }
          q.finish();
          for (let b = 0; b < q.bins; b++) {
            const hi = b === q.bins - 1 ? Infinity : (b + 1) * width;
            expect(q.binMax[0]![b], `max of bin ${b}`).toBe(maxIn(ch, b * width, hi));
            expect(q.binEnd[0]![b], `end of bin ${b}`).toBe(depthAt(ch, hi - 0.5));
          }
          expect(q.peak[0]).toBe(Math.max(0, ...ch.map((_, i) => depthAt(ch.slice(0, i + 1), Infinity))));
        },
      ),
    );
  });
});
