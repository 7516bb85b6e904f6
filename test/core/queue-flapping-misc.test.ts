/**
 * Behaviour tests for corners of the core that other tests leave open: the
 * event queue's order (against a sorted reference) and its sequence-number
 * renumbering, the flapping outage generator (against invariants and
 * metamorphic relations: the horizon truncates, fixed windows only remove
 * the drawn windows they overlap, streams belong to a server by name), the
 * work limit, the simulation's stepping and bookkeeping, and a few profile,
 * attempt-log, MX-lookup and queue-tracker rules at their exact boundaries.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AttemptLog } from "../../src/core/attempt-log.js";
import { EventQueue } from "../../src/core/event-queue.js";
import { runOutages } from "../../src/core/failures.js";
import type { Model, Outage } from "../../src/core/model.js";
import { senderPlan } from "../../src/core/mx-lookup.js";
import { delayWarningAt, PROFILE_DEFAULTS } from "../../src/core/profile.js";
import { QueueTracker } from "../../src/core/queue-tracker.js";
import { Streams } from "../../src/core/rng.js";
import { Simulation, simulate, WorkLimitExceeded } from "../../src/core/simulate.js";
import { WorkLimitExceeded as WorkLimitExceededDirect } from "../../src/core/work-limit.js";
import { attemptReport, model } from "../helpers.js";

/** The walk of a deferral that really tried a host (what every MTA but Exim ignores for its warnings). */
const TRIED = { tried: 1, skipped: 0, skippedExpired: 0, triedExpired: 0, siteFailure: true };

// ---------------------------------------------------------------------------------------------
// EventQueue
// ---------------------------------------------------------------------------------------------

interface Ref {
  t: number;
  seq: number;
  kind: number;
}
const byTimeThenSeq = (a: Ref, b: Ref) => a.t - b.t || a.seq - b.seq;

/** Runs `ops` (≥ 0: push at that time; -1: pop) on `q` and on a sorted reference, comparing every pop. */
function checkAgainstReference(q: EventQueue, ops: number[], maxPending = Infinity): void {
  const ref: Ref[] = [];
  let seq = 0;
  for (const op of ops) {
    if (op >= 0) {
      if (ref.length >= maxPending) continue;
      q.push(op, seq % 5, seq);
      ref.push({ t: op, seq, kind: seq % 5 });
      seq++;
    } else if (ref.length > 0) {
      ref.sort(byTimeThenSeq);
      const want = ref.shift()!;
      expect(q.pop()).toBe(want.t);
      expect(q.id).toBe(want.seq);
      expect(q.kind).toBe(want.kind);
    }
    expect(q.size).toBe(ref.length);
    ref.sort(byTimeThenSeq);
    expect(q.peekTime()).toBe(ref.length > 0 ? ref[0]!.t : Infinity);
  }
  ref.sort(byTimeThenSeq);
  for (const want of ref) {
    expect(q.pop()).toBe(want.t);
    expect(q.id).toBe(want.seq);
  }
  expect(q.size).toBe(0);
}

describe("EventQueue: order against a reference sorted by (time, sequence)", () => {
  it("pops in (time, FIFO) order with many equal times, random pushes and pops", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(-1), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        checkAgainstReference(new EventQueue(1), ops);
      }),
      { numRuns: 200 },
    );
  });

  it("pops in (time, FIFO) order when every event shares one time (sift-down over equal times)", () => {
    const q = new EventQueue(1);
    for (let i = 0; i < 50; i++) q.push(7, 1, i);
    const got: number[] = [];
    for (let i = 0; i < 25; i++) {
      expect(q.pop()).toBe(7);
      got.push(q.id);
    }
    for (let i = 50; i < 80; i++) q.push(7, 1, i);
    while (q.size > 0) {
      expect(q.pop()).toBe(7);
      got.push(q.id);
    }
    expect(got).toEqual(Array.from({ length: 80 }, (_, i) => i));
  });

  it("pops a heap drained down to one and two elements correctly (last-child boundary)", () => {
    // Pop sequences that reach every small size: the last slot is a left child with no right sibling.
    for (let n = 1; n <= 12; n++) {
      const times = Array.from({ length: n }, (_, i) => (i * 7) % 5);
      const q = new EventQueue(1);
      times.forEach((t, i) => q.push(t, 0, i));
      const want = times.map((t, i) => ({ t, seq: i, kind: 0 })).sort(byTimeThenSeq);
      for (const w of want) {
        expect(q.pop()).toBe(w.t);
        expect(q.id).toBe(w.seq);
      }
    }
  });
});

describe("EventQueue: renumbering the sequence numbers keeps the order and the times", () => {
  it("keeps (time, FIFO) order and exact times across many renumberings (2^seqBits sequence numbers)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1000 }), fc.constant(-1)), { maxLength: 300 }),
        (seqBits, ops) => {
          // Pending events must stay below 2^seqBits, so at most 2^seqBits − 1 are kept.
          checkAgainstReference(new EventQueue(1, seqBits), ops, 2 ** seqBits - 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("renumbers pending events of equal time whose heap slots are not in FIFO order", () => {
    // span 8: push 7 at time 5, pop some (the heap reshuffles its slots), push more to cross renumberings.
    const q = new EventQueue(1, 3);
    const ref: Ref[] = [];
    let seq = 0;
    const push = (t: number) => {
      q.push(t, 0, seq);
      ref.push({ t, seq: seq++, kind: 0 });
    };
    const pop = () => {
      ref.sort(byTimeThenSeq);
      const w = ref.shift()!;
      expect(q.pop()).toBe(w.t);
      expect(q.id).toBe(w.seq);
    };
    for (let i = 0; i < 7; i++) push(5);
    pop();
    pop();
    // Never more than 7 pending (span 8 allows at most 7 at a renumbering).
    for (let round = 0; round < 6; round++) {
      pop();
      pop();
      pop();
      push(5);
      push(9);
      push(5);
      pop();
      push(5);
    }
    while (ref.length > 0) pop();
    expect(q.size).toBe(0);
  });

  it("keeps late times exact after a renumbering (the time part of the key is preserved)", () => {
    const q = new EventQueue(1, 2); // span 4
    const times = [1_000_000, 3, 1_000_000, 3, 3, 1_000_000, 77, 3, 1_000_000];
    const ref: Ref[] = [];
    times.forEach((t, i) => {
      if (q.size === 3) {
        ref.sort(byTimeThenSeq);
        const w = ref.shift()!;
        expect(q.pop()).toBe(w.t);
        expect(q.id).toBe(w.seq);
      }
      q.push(t, 0, i);
      ref.push({ t, seq: i, kind: 0 });
      ref.sort(byTimeThenSeq);
      expect(q.peekTime()).toBe(ref[0]!.t);
    });
    ref.sort(byTimeThenSeq);
    for (const w of ref) {
      expect(q.pop()).toBe(w.t);
      expect(q.id).toBe(w.seq);
    }
  });

  it("refuses a renumbering when 2^seqBits events are pending, naming the limit", () => {
    const q = new EventQueue(1, 3); // span 8
    for (let i = 0; i < 8; i++) q.push(i % 2, 0, i);
    expect(() => q.push(0, 0, 8)).toThrow("more than 8 pending events");
    const q2 = new EventQueue(1, 2); // span 4
    for (let i = 0; i < 4; i++) q2.push(1, 0, i);
    expect(() => q2.push(1, 0, 4)).toThrow(/^more than 4 pending events$/);
  });

  it("renumbers without complaint when fewer than 2^seqBits events are pending", () => {
    const q = new EventQueue(1, 3); // span 8
    for (let i = 0; i < 8; i++) q.push(2, 0, i);
    expect(q.pop()).toBe(2); // 7 pending, the next push renumbers
    expect(q.id).toBe(0);
    expect(() => q.push(2, 0, 8)).not.toThrow();
    const ids: number[] = [];
    while (q.size > 0) {
      expect(q.pop()).toBe(2);
      ids.push(q.id);
    }
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

// ---------------------------------------------------------------------------------------------
// Flapping outage windows
// ---------------------------------------------------------------------------------------------

/** A model with the given servers (YAML lines under `servers:`), all mailboxes of example.com. */
function flapModel(servers: string, duration = "30d"): Model {
  return model(`
name: t
duration: ${duration}
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
${servers}
senders:
  s.test: { to: example.com, rate: 1/h }
`);
}
const P_FLAP = "  p.example.com: { role: mailbox, domains: [example.com], flapping: { up: 2h, down: 20m, mode: greeting-4xx } }";
const Q_FLAP = "  q.example.com: { role: mailbox, domains: [example.com], flapping: { up: 2h, down: 20m, mode: greeting-4xx } }";
const overlaps = (a: Outage, b: Outage) => a.start < b.end && b.start < a.end;

/** The model with server 0's fixed windows replaced. */
function withFixed(m: Model, fixed: Outage[]): Model {
  return { ...m, servers: m.servers.map((s, i) => (i === 0 ? { ...s, outages: fixed } : s)) };
}

describe("flapping windows: invariants", () => {
  it("each window lasts at least 1 s, windows are sorted and disjoint, all start before the run's end", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const m = flapModel(P_FLAP, "10d");
      const w = runOutages(m, new Streams(seed))[0]!;
      expect(w.length).toBeGreaterThan(50);
      for (let i = 0; i < w.length; i++) {
        expect(Number.isInteger(w[i]!.start) && Number.isInteger(w[i]!.end)).toBe(true);
        expect(w[i]!.end - w[i]!.start).toBeGreaterThanOrEqual(1);
        expect(w[i]!.start).toBeLessThan(m.duration);
        if (i > 0) expect(w[i]!.start).toBeGreaterThanOrEqual(w[i - 1]!.end);
      }
    }
  });

  it("windows are at least 1 s long even when the mean down time is far below a second", () => {
    const m = flapModel(P_FLAP, "2d");
    const tiny: Model = { ...m, servers: [{ ...m.servers[0]!, flapping: { up: 600, down: 0.001, mode: "refused" } }] };
    const w = runOutages(tiny, new Streams(3))[0]!;
    expect(w.length).toBeGreaterThan(100);
    for (let i = 0; i < w.length; i++) {
      expect(w[i]!.end - w[i]!.start).toBeGreaterThanOrEqual(1);
      if (i > 0) expect(w[i]!.start).toBeGreaterThanOrEqual(w[i - 1]!.end);
    }
  });

  it("down periods have the configured mean length (exponential, mean 20 min), not a fixed second", () => {
    const w = runOutages(flapModel(P_FLAP, "60d"), new Streams(7))[0]!;
    // 60 d / (2 h + 20 min) ≈ 617 windows: the sample mean is within a few percent of 1200 s.
    expect(w.length).toBeGreaterThan(450);
    const lengths = w.map((x) => x.end - x.start);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect(mean).toBeGreaterThan(1200 * 0.8);
    expect(mean).toBeLessThan(1200 * 1.2);
    expect(Math.max(...lengths)).toBeGreaterThan(3600); // the exponential's tail: some are over an hour
    expect(lengths.filter((l) => l <= 2).length).toBeLessThan(lengths.length / 10);
    // Up periods too: the mean gap between windows is about 2 h.
    const gaps = w.slice(1).map((x, i) => x.start - w[i]!.end);
    const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(meanGap).toBeGreaterThan(7200 * 0.8);
    expect(meanGap).toBeLessThan(7200 * 1.2);
  });
});

describe("flapping windows: the horizon only truncates the drawn sequence", () => {
  it("a run ending exactly at a drawn window's start leaves that window out (nothing starts at or after the end)", () => {
    const long = flapModel(P_FLAP, "10d");
    const all = runOutages(long, new Streams(11))[0]!;
    expect(all.length).toBeGreaterThan(20);
    for (const k of [1, 5, 17]) {
      const cut = all[k]!.start;
      const short: Model = { ...long, duration: cut };
      const w = runOutages(short, new Streams(11))[0]!;
      expect(w.every((x) => x.start < cut)).toBe(true);
      expect(w).toEqual(all.filter((x) => x.start < cut));
      expect(w.length).toBe(k);
      // One second later the window is in.
      expect(runOutages({ ...long, duration: cut + 1 }, new Streams(11))[0]!).toEqual(all.filter((x) => x.start <= cut));
    }
  });
});

describe("flapping windows: fixed windows remove only the drawn windows they overlap", () => {
  const base = flapModel(P_FLAP, "10d");
  const drawn = runOutages(base, new Streams(5))[0]!;

  /** What the rule says: the fixed windows, plus every drawn window (no fixed ones) that overlaps none of them. */
  const expected = (fixed: Outage[]) => [...fixed, ...drawn.filter((d) => !fixed.some((f) => overlaps(f, d)))].sort((a, b) => a.start - b.start);

  it("keeps a drawn window that starts exactly where a fixed window ends (half-open windows touch, not overlap)", () => {
    const w = drawn[6]!;
    const fixed: Outage[] = [{ start: w.start - 1, end: w.start, mode: "timeout" }];
    const got = runOutages(withFixed(base, fixed), new Streams(5))[0]!;
    expect(got).toContainEqual(w);
    expect(got).toEqual(expected(fixed));
  });

  it("keeps a drawn window that ends exactly where a fixed window starts", () => {
    const w = drawn[9]!;
    const fixed: Outage[] = [{ start: w.end, end: w.end + 1, mode: "timeout" }];
    const got = runOutages(withFixed(base, fixed), new Streams(5))[0]!;
    expect(got).toContainEqual(w);
    expect(got).toEqual(expected(fixed));
  });

  it("drops a drawn window that a fixed window overlaps by a single second at either end", () => {
    const a = drawn[4]!;
    const b = drawn[12]!;
    const fixed: Outage[] = [
      { start: a.end - 1, end: a.end + 1, mode: "timeout" },
      { start: b.start - 1, end: b.start + 1, mode: "timeout" },
    ];
    const got = runOutages(withFixed(base, fixed), new Streams(5))[0]!;
    expect(got).not.toContainEqual(a);
    expect(got).not.toContainEqual(b);
    expect(got).toEqual(expected(fixed));
  });

  it("agrees with the overlap rule for random fixed windows touching or overlapping drawn ones", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat({ max: drawn.length - 1 }), side: fc.constantFrom("before", "after", "over"), len: fc.integer({ min: 1, max: 4000 }), shift: fc.integer({ min: -2, max: 2 }) }), { maxLength: 8 }),
        (specs) => {
          const fixed: Outage[] = [];
          for (const s of specs) {
            const d = drawn[s.at]!;
            const f: Outage =
              s.side === "before"
                ? { start: d.start - s.len + s.shift, end: d.start + s.shift, mode: "timeout" }
                : s.side === "after"
                  ? { start: d.end + s.shift, end: d.end + s.len + s.shift, mode: "timeout" }
                  : { start: d.start + s.shift, end: d.start + s.shift + s.len, mode: "timeout" };
            if (f.start < 0 || f.end <= f.start) continue;
            if (fixed.some((g) => g.start <= f.end && f.start <= g.end)) continue; // fixed windows: disjoint, not touching
            fixed.push(f);
          }
          fixed.sort((a, b) => a.start - b.start);
          expect(runOutages(withFixed(base, fixed), new Streams(5))[0]).toEqual(expected(fixed));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("flapping windows: each server draws from its own named stream", () => {
  it("a server's windows do not move when another flapping server is listed before it", () => {
    const alone = runOutages(flapModel(P_FLAP), new Streams(9))[0]!;
    const withOther = runOutages(flapModel(`${Q_FLAP}\n${P_FLAP}`), new Streams(9));
    expect(withOther[1]).toEqual(alone);
    expect(withOther[0]).not.toEqual(alone);
  });

  it("two servers with the same flapping settings fail at different times, and renaming one changes its windows", () => {
    const both = runOutages(flapModel(`${P_FLAP}\n${Q_FLAP}`), new Streams(9));
    expect(both[0]).not.toEqual(both[1]);
    const m = flapModel(P_FLAP);
    const renamed: Model = { ...m, servers: [{ ...m.servers[0]!, name: "renamed.example.com" }] };
    expect(runOutages(renamed, new Streams(9))[0]).not.toEqual(runOutages(m, new Streams(9))[0]);
  });
});

describe("flapping windows: the window-count limit", () => {
  const m = flapModel(P_FLAP, "5d");
  const all = runOutages(m, new Streams(2))[0]!;

  it("allows exactly the limit, and throws WorkLimitExceeded naming the limit one past it", () => {
    const n = all.length;
    expect(n).toBeGreaterThan(10);
    expect(runOutages(m, new Streams(2), n)[0]).toEqual(all);
    let caught: unknown;
    try {
      runOutages(m, new Streams(2), n - 1);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WorkLimitExceeded);
    const e = caught as WorkLimitExceeded;
    expect(e.what).toBe("outage windows");
    expect(e.limit).toBe(n - 1);
    expect(e.message).toBe(`more than ${n - 1} outage windows`);
  });

  it("counts the fixed windows of every server toward the limit", () => {
    const fixed: Outage[] = [{ start: 0, end: 1, mode: "timeout" }];
    const withOne = withFixed(m, fixed);
    const total = runOutages(withOne, new Streams(2))[0]!.length; // fixed + drawn
    expect(() => runOutages(withOne, new Streams(2), total)).not.toThrow();
    expect(() => runOutages(withOne, new Streams(2), total - 1)).toThrow(`more than ${total - 1} outage windows`);
  });

  it("a WorkLimitExceeded says what ran over and by which limit", () => {
    const e = new WorkLimitExceededDirect("events", 12345);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe("more than 12345 events");
    expect(new WorkLimitExceededDirect("bytes", 7).message).toBe("more than 7 bytes");
  });

  it("simulate passes maxOutageWindows on: the run stops with WorkLimitExceeded", () => {
    const sm = flapModel(P_FLAP, "5d");
    expect(() => simulate(sm, { seed: 2, maxOutageWindows: 3 })).toThrow("more than 3 outage windows");
  });
});

// ---------------------------------------------------------------------------------------------
// The simulation: stepping, conservation, invalid recipients, flushes, drain windows
// ---------------------------------------------------------------------------------------------

const SMALL = `
name: t
duration: 2d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 1h, duration: 6h }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com } }
senders:
  a.test: { to: example.com, rate: 10/h }
`;

describe("Simulation.step", () => {
  it("step(n) stops after n events and says the run is not over; the steps add up to the whole run", () => {
    const m = model(SMALL);
    const whole = simulate(m);
    expect(whole.events).toBeGreaterThan(100);
    const sim = new Simulation(m);
    expect(sim.step(1)).toBe(false);
    expect(sim.processed).toBe(1);
    expect(sim.step(10)).toBe(false);
    expect(sim.processed).toBe(11);
    let calls = 0;
    while (!sim.step(7)) calls++;
    expect(calls).toBeGreaterThan(10);
    const r = sim.result();
    expect(r.events).toBe(whole.events);
    expect(Array.from(r.messages.outcome.subarray(0, r.messages.count))).toEqual(Array.from(whole.messages.outcome.subarray(0, whole.messages.count)));
    expect(Array.from(r.messages.done.subarray(0, r.messages.count))).toEqual(Array.from(whole.messages.done.subarray(0, whole.messages.count)));
  });

  it("a finished run keeps answering true to step and processes nothing more", () => {
    const sim = new Simulation(model(SMALL));
    expect(sim.step(Infinity)).toBe(true);
    const n = sim.processed;
    expect(sim.step(Infinity)).toBe(true);
    expect(sim.step(1)).toBe(true);
    expect(sim.processed).toBe(n);
  });

  it("result() before the horizon is refused with a message saying so", () => {
    const sim = new Simulation(model(SMALL));
    sim.step(1);
    expect(() => sim.result()).toThrow("the simulation has not reached its horizon yet");
  });

  it("result() refuses a run whose counts do not add up (conservation check), with the counts", () => {
    const sim = new Simulation(model(SMALL));
    while (!sim.step(Infinity));
    // Corrupt the bookkeeping from outside: one message too many in the first node's queue.
    const queues = (sim as unknown as { queues: QueueTracker }).queues;
    const messages = (sim as unknown as { messages: { count: number } }).messages;
    queues.nodeDepth[0] = queues.nodeDepth[0]! + 1;
    expect(() => sim.result()).toThrow(new RegExp(`^conservation violated: ${messages.count} created, \\d+ delivered \\+ \\d+ bounced \\+ \\d+ queued \\+ \\d+ in transit$`));
  });
});

describe("invalid recipients: the configured share of a sender's messages", () => {
  const scenario = (share: number) => `
name: t
duration: 4d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com] }
senders:
  spam.test: { to: example.com, rate: 60/h, invalid_recipients: ${share} }
`;
  it.each([0.1, 0.3, 0.8])("about %s of the messages go to made-up recipients", (share) => {
    const r = simulate(model(scenario(share)));
    const n = r.messages.count;
    expect(n).toBeGreaterThan(5000);
    let bad = 0;
    for (let m = 0; m < n; m++) bad += r.messages.badRcpt[m]!;
    // Binomial(n, share): 5 standard deviations is well under 0.04 here.
    expect(Math.abs(bad / n - share)).toBeLessThan(0.04);
  });

  it("no message goes to a made-up recipient when the share is 0", () => {
    const r = simulate(model(scenario(0)));
    expect(r.messages.count).toBeGreaterThan(5000);
    expect(r.messages.badRcpt.subarray(0, r.messages.count).every((b) => b === 0)).toBe(true);
  });
});

describe("a flush retries only the messages waiting at the flushed node", () => {
  const twoSenders = (actions: string) =>
    model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1d }] }
senders:
  a.test: { to: example.com, at: [0s] }
  b.test: { to: example.com, at: [0s] }
actions: ${actions}
`);

  it("messages queued at another node are not attempted at the flush", () => {
    const r = simulate(twoSenders("[{ at: 10h, flush: a.test }]"));
    const a = r.attempts!;
    const at = (name: string) => {
      const out: number[] = [];
      for (let i = 0; i < a.count; i++) if (r.nodes[a.node[i]!]!.name === name) out.push(a.start[i]!);
      return out;
    };
    // qmail's grid for birth 0: 0, 400, 1600, 3600, 6400, 10000, …; 36000 s is not on it.
    expect(at("a.test")).toContain(36000);
    expect(at("b.test")).not.toContain(36000);
    const without = simulate(twoSenders("[]"));
    const b = without.attempts!;
    const bTimes: number[] = [];
    for (let i = 0; i < b.count; i++) if (without.nodes[b.node[i]!]!.name === "b.test") bTimes.push(b.start[i]!);
    expect(at("b.test")).toEqual(bTimes);
  });

  it("a flush at a node holding no waiting message changes nothing (messages delivered to it stay done)", () => {
    const scenario = (actions: string) =>
      model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1h }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com } }
senders:
  a.test: { to: example.com, at: [0s, 10s, 20s] }
actions: ${actions}
`);
    const without = simulate(scenario("[]"));
    const flushed = simulate(scenario("[{ at: 5h, flush: p.example.com }]"));
    const n = without.messages.count;
    expect(n).toBe(3);
    for (let m = 0; m < n; m++) {
      expect(without.nodes[without.messages.holder[m]!]!.name).toBe("p.example.com"); // delivered there: its last holder
      expect(without.messages.done[m]!).toBeLessThan(5 * 3600);
    }
    // Only the flush event itself is added; no message is touched.
    expect(flushed.events).toBe(without.events + 1);
    expect(flushed.attempts!.count).toBe(without.attempts!.count);
    for (const col of ["outcome", "done", "due", "forced", "attempts", "holder"] as const) {
      expect(Array.from(flushed.messages[col].subarray(0, n)), col).toEqual(Array.from(without.messages[col].subarray(0, n)));
    }
  });
});

describe("drain windows", () => {
  it("are ordered by end time, then by server, when two mailbox servers' outages end together", () => {
    const r = simulate(
      model(`
name: t
duration: 1d
dns:
  a.com: { mx: [{ preference: 10, host: p1.a.com }] }
  b.com: { mx: [{ preference: 10, host: p2.b.com }] }
servers:
  p1.a.com: { role: mailbox, domains: [a.com], outages: [{ start: 1h, duration: 2h }, { start: 5h, duration: 1h }] }
  p2.b.com: { role: mailbox, domains: [b.com], outages: [{ start: 2h, duration: 1h }, { start: 4h, duration: 2h }, { start: 8h, duration: 1h }] }
senders:
  s.test: { to: a.com, rate: 1/h }
`),
    );
    const want = [
      { server: 0, start: 3600, end: 10800 },
      { server: 1, start: 7200, end: 10800 },
      { server: 0, start: 18000, end: 21600 },
      { server: 1, start: 14400, end: 21600 },
      { server: 1, start: 28800, end: 32400 },
    ];
    expect(r.drainWindows).toEqual(want);
  });
});

// ---------------------------------------------------------------------------------------------
// Profiles: warnings at their exact thresholds
// ---------------------------------------------------------------------------------------------

describe("delay warnings at their thresholds", () => {
  it("Postfix warns at the first deferral with age ≥ delay_warning_time − 1, not a second earlier", () => {
    const p = { ...PROFILE_DEFAULTS.postfix, delay_warning_time: 3600 };
    const birth = 100;
    expect(delayWarningAt(p, TRIED, birth, birth + 3598, Infinity, 0)).toBeNaN();
    expect(delayWarningAt(p, TRIED, birth, birth + 3599, Infinity, 0)).toBe(birth + 3599);
    expect(delayWarningAt(p, TRIED, birth, birth + 3600, Infinity, 0)).toBe(birth + 3600);
    expect(delayWarningAt(p, TRIED, birth, birth + 3599, Infinity, 1)).toBeNaN(); // one warning only
    expect(delayWarningAt(PROFILE_DEFAULTS.postfix, TRIED, birth, birth + 999999, Infinity, 0)).toBeNaN(); // off by default
  });

  it("OpenSMTPD warns when the next try is at or after birth + bounce_warn_interval, stamped at that time", () => {
    const p = PROFILE_DEFAULTS.opensmtpd;
    expect(p.bounce_warn_interval).toBe(14400);
    const birth = 1000;
    expect(delayWarningAt(p, TRIED, birth, 2000, birth + 14399, 0)).toBeNaN();
    expect(delayWarningAt(p, TRIED, birth, 2000, birth + 14400, 0)).toBe(birth + 14400);
    expect(delayWarningAt(p, TRIED, birth, 2000, birth + 20000, 0)).toBe(birth + 14400);
    expect(delayWarningAt(p, TRIED, birth, 2000, birth + 20000, 1)).toBeNaN();
    expect(delayWarningAt(p, TRIED, 50000, 51000, 50000 + 100, 0)).toBeNaN();
  });

  it("Exchange warns at the first deferral with age ≥ delay_notification_timeout", () => {
    const p = PROFILE_DEFAULTS.exchange;
    const dnt = p.delay_notification_timeout;
    expect(dnt).toBeGreaterThan(0);
    expect(delayWarningAt(p, TRIED, 500, 500 + dnt - 1, Infinity, 0)).toBeNaN();
    expect(delayWarningAt(p, TRIED, 500, 500 + dnt, Infinity, 0)).toBe(500 + dnt);
    expect(delayWarningAt(p, TRIED, 500, 500 + dnt, Infinity, 1)).toBeNaN();
  });
});

// ---------------------------------------------------------------------------------------------
// Attempt log, MX lookup, queue tracker
// ---------------------------------------------------------------------------------------------

describe("the attempt log drops the connections of attempts it does not keep", () => {
  it("dropping the very first attempt leaves no connections, and the next kept attempt owns only its own", () => {
    const log = new AttemptLog((m) => m !== 0);
    log.connection(3, 0, 1);
    log.connection(4, 0, 2);
    log.attempt(attemptReport(0, 9, 0, 1, 0, 4, NaN));
    expect(log.count).toBe(0);
    expect(log.connCount).toBe(0);
    log.connection(5, 10, 0);
    log.attempt(attemptReport(1, 9, 10, 11, 0, 5, NaN));
    expect(log.count).toBe(1);
    expect(log.connCount).toBe(1);
    expect(log.connEnd[0]).toBe(1);
    expect(log.connHost[0]).toBe(5);
    // Dropping a later attempt rolls back to the last kept attempt's connections.
    log.connection(6, 20, 0);
    log.attempt(attemptReport(0, 9, 20, 21, 0, 6, NaN));
    expect(log.connCount).toBe(1);
  });
});

describe("MX lookup for spam software aiming at the backup", () => {
  it("a domain without MX records (null MX) gives an empty plan, not an error", () => {
    const m = model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
  nomail.test: { mx: [{ preference: 0, host: "." }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com] }
  s.example.com: { role: mailbox, domains: [example.com] }
senders:
  a.test: { to: example.com, rate: 1/h }
`);
    const d = m.domains.findIndex((x) => x.name === "nomail.test");
    expect(m.domains[d]!.mx).toEqual([]);
    const plan = senderPlan(m, d, true);
    expect(plan.hosts.length).toBe(0);
    expect(plan.prefs.length).toBe(0);
    const e = m.domains.findIndex((x) => x.name === "example.com");
    const backup = senderPlan(m, e, true);
    expect(Array.from(backup.prefs)).toEqual([20]);
  });
});

describe("queue tracker peaks", () => {
  it("a series' peak time is when the peak depth was first reached, not when it was reached again", () => {
    const q = new QueueTracker([{ name: "relay", kind: "relay" }], Int32Array.of(0), 60, 3600);
    q.change(0, 10, +1);
    q.change(0, 20, +1);
    q.change(0, 30, -1);
    q.change(0, 40, +1); // back at depth 2
    q.change(0, 50, -1);
    q.change(0, 60, +1); // and again
    expect(q.peak[0]).toBe(2);
    expect(q.peakAt[0]).toBe(20);
    expect(q.nodePeak[0]).toBe(2);
    expect(q.nodePeakAt[0]).toBe(20);
  });
});
