/**
 * The small parts of the core, each against an independent statement of what
 * it must do: outage windows (half-open), flapping draws, session slots, the
 * attempt log's sampling, the message columns, and the simulator's helpers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AttemptLog } from "../../src/core/attempt-log.js";
import { modeAt, UP } from "../../src/core/availability.js";
import { ensure } from "../../src/core/columns.js";
import { runOutages } from "../../src/core/failures.js";
import { MessageTable } from "../../src/core/message-table.js";
import { FAILURE_MODES, type Outage } from "../../src/core/model.js";
import { Streams } from "../../src/core/rng.js";
import { SessionSlots } from "../../src/core/session-slots.js";
import { defaultBinWidth, expectedMessages, nodesOf, WorkLimitExceeded } from "../../src/core/simulate.js";
import { attemptReport, model, noticeReport } from "../helpers.js";

describe("modeAt: outage windows are half-open [start, end)", () => {
  it("agrees with a linear scan over random sorted windows", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gap: fc.integer({ min: 0, max: 20 }), len: fc.integer({ min: 1, max: 20 }), m: fc.integer({ min: 0, max: 5 }) }), { maxLength: 12 }), fc.integer({ min: -5, max: 400 }), (ws, t) => {
        let at = 0;
        const outages: Outage[] = ws.map((w) => {
          const start = at + w.gap;
          at = start + w.len;
          return { start, end: at, mode: FAILURE_MODES[w.m]! };
        });
        const hit = outages.find((o) => o.start <= t && t < o.end);
        expect(modeAt(outages, t)).toBe(hit ? FAILURE_MODES.indexOf(hit.mode) : UP);
      }),
    );
  });

  it("is down at start, up again at end", () => {
    const w: Outage[] = [{ start: 10, end: 20, mode: "timeout" }];
    expect([9, 10, 19, 20].map((t) => modeAt(w, t))).toEqual([UP, FAILURE_MODES.indexOf("timeout"), FAILURE_MODES.indexOf("timeout"), UP]);
    expect(modeAt([], 5)).toBe(UP);
  });
});

describe("flapping servers: drawn windows", () => {
  const flapping = model(`
name: t
duration: 3d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com:
    role: mailbox
    domains: [example.com]
    flapping: { up: 2h, down: 20m, mode: greeting-4xx }
    outages: [{ start: 10h, duration: 5h, mode: timeout }, { start: 40h, duration: 1h }]
senders:
  s.test: { to: example.com, rate: 1/h }
`);
  it("are sorted, inside the run, at least a second long, and never overlap the fixed windows, which keep their modes", () => {
    const w = runOutages(flapping, new Streams(1))[0]!;
    expect(w.length).toBeGreaterThan(20);
    for (let i = 0; i < w.length; i++) {
      expect(w[i]!.end).toBeGreaterThan(w[i]!.start);
      expect(w[i]!.start).toBeLessThan(3 * 86400);
      if (i > 0) expect(w[i]!.start).toBeGreaterThanOrEqual(w[i - 1]!.end);
    }
    expect(w.filter((x) => x.mode === "timeout")).toEqual([{ start: 36000, end: 54000, mode: "timeout" }]);
    expect(w.filter((x) => x.mode === "refused")).toEqual([{ start: 144000, end: 147600, mode: "refused" }]);
    // About 3 days / (2 h + 20 min) drawn windows, give or take the randomness.
    const drawn = w.filter((x) => x.mode === "greeting-4xx").length;
    expect(drawn).toBeGreaterThan(15);
    expect(drawn).toBeLessThan(45);
  });

  it("are the same for the same seed and run, other for another run", () => {
    const a = runOutages(flapping, new Streams(1, 0))[0]!;
    expect(runOutages(flapping, new Streams(1, 0))[0]).toEqual(a);
    expect(runOutages(flapping, new Streams(1, 1))[0]).not.toEqual(a);
  });

  it("stop with WorkLimitExceeded past the number allowed", () => {
    expect(() => runOutages(flapping, new Streams(1), 5)).toThrow(WorkLimitExceeded);
  });
});

describe("session slots (a server's capacity)", () => {
  it("hold a slot for the session time; the next connection finding them all taken gets 421", () => {
    const s = new SessionSlots(2, 10);
    expect([s.take(0), s.take(0), s.take(0)]).toEqual([true, true, false]);
    expect(s.take(9)).toBe(false);
    expect([s.take(10), s.take(10), s.take(10)]).toEqual([true, true, false]);
  });

  it("agree with counting the sessions still open, over many connections (the ring buffer wraps)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }), fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 80 }), (cap, len, gaps) => {
        const slots = new SessionSlots(cap, len);
        const open: number[] = [];
        let t = 0;
        for (const g of gaps) {
          t += g;
          const live = open.filter((end) => end > t);
          const expected = live.length < cap;
          expect(slots.take(t), `connection at ${t}`).toBe(expected);
          open.length = 0;
          open.push(...live, ...(expected ? [t + len] : []));
        }
      }),
    );
  });

  it("without a capacity every connection is accepted", () => {
    const s = new SessionSlots(Infinity, 2);
    expect(Array.from({ length: 1000 }, () => s.take(0)).every(Boolean)).toBe(true);
  });
});

describe("the attempt log", () => {
  it("keeps only the messages it is asked to, with their own connections and notifications", () => {
    const log = new AttemptLog((m) => m % 2 === 0);
    log.connection(7, 1, 0);
    log.attempt(attemptReport(0, 5, 0, 1, 2, 7, NaN));
    log.connection(8, 2, 1);
    log.connection(9, 3, 1);
    log.attempt(attemptReport(1, 5, 2, 3, 2, 9, 10)); // dropped, and its two connections with it
    log.connection(6, 4, 0);
    log.attempt(attemptReport(2, 5, 4, 4, 0, 6, NaN));
    log.notification(noticeReport(1, 5, 3, 0, 0, -1));
    log.notification(noticeReport(2, 5, 4, 1, 0, 3));
    expect(log.count).toBe(2);
    expect(Array.from(log.message.subarray(0, 2))).toEqual([0, 2]);
    expect(Array.from(log.connEnd.subarray(0, 2))).toEqual([1, 2]);
    expect(Array.from(log.connHost.subarray(0, 2))).toEqual([7, 6]);
    expect(Array.from(log.next.subarray(0, 2))).toEqual([NaN, NaN]);
    expect(log.noteCount).toBe(1);
    expect([log.noteMessage[0], log.noteKind[0], log.noteReason[0]]).toEqual([2, 1, 3]);
  });

  it("grows past its first columns keeping every record", () => {
    const log = new AttemptLog();
    for (let i = 0; i < 1000; i++) {
      log.connection(i, i, 0);
      log.attempt(attemptReport(i, 1, i, i + 1, 2, i, i + 2));
    }
    expect(log.count).toBe(1000);
    expect(log.start[999]).toBe(999);
    expect(log.connEnd[999]).toBe(1000);
    expect(log.connAt[500]).toBe(500);
  });
});

describe("message columns", () => {
  it("give ids in order of creation and keep every value while growing 1.5× at a time", () => {
    const t = new MessageTable();
    for (let i = 0; i < 500; i++) expect(t.add(i * 2, i % 3, 7)).toBe(i);
    expect(t.count).toBe(500);
    expect([t.created[499], t.sender[499], t.holder[499], t.birth[499]]).toEqual([998, 1, 7, 998]);
    expect([t.done[0], t.due[0]]).toEqual([NaN, NaN]);
  });

  it("ensure: the same array while it is large enough, else a copy with room to spare", () => {
    const a = Int32Array.of(1, 2, 3);
    expect(ensure(a, 2, Int32Array)).toBe(a);
    const b = ensure(a, 3, Int32Array);
    expect(b.length).toBe(16);
    expect(Array.from(b.subarray(0, 3))).toEqual([1, 2, 3]);
    const c = ensure(new Int32Array(100), 100, Int32Array);
    expect(c.length).toBe(150);
    expect(ensure(new Int32Array(100), 400, Int32Array).length).toBeGreaterThan(400);
  });
});

describe("simulator helpers", () => {
  it("defaultBinWidth: the finest of 1m … 1d that gives at most 2000 bins, then whole days", () => {
    const cases: [number, number][] = [
      [3600, 60],
      [86400, 60],
      [5 * 86400, 300],
      [7 * 86400, 600],
      [30 * 86400, 1800],
      [100 * 86400, 7200],
      [365 * 86400, 21600],
      [3000 * 86400, 172800],
    ];
    for (const [d, w] of cases) {
      expect(defaultBinWidth(d), `${d} s`).toBe(w);
      expect(Math.ceil(d / w)).toBeLessThanOrEqual(2000);
    }
  });

  it("expectedMessages: rate × the time a sender sends, plus listed send times; nodesOf: servers, then senders", () => {
    const m = model(`
name: t
duration: 10h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com] }
senders:
  a.test: { to: example.com, rate: 6/h }
  b.test: { to: example.com, rate: 60/h, until: 30m }
  c.test: { to: example.com, at: [0s, 1h, 2h] }
`);
    expect(expectedMessages(m)).toBeCloseTo(60 + 30 + 3, 9);
    expect(nodesOf(m)).toEqual([
      { name: "p.example.com", kind: "server" },
      { name: "a.test", kind: "sender" },
      { name: "b.test", kind: "sender" },
      { name: "c.test", kind: "sender" },
    ]);
  });
});
