/**
 * Postfix's in-core destination queue, checked against qmgr's source (postfix-3.12, the same logic as 3.7):
 * qmgr_queue.c qmgr_queue_throttle / qmgr_queue_unthrottle / qmgr_queue_unthrottle_wrapper, qmgr_entry.c
 * qmgr_entry_done, qmgr_peer.c qmgr_peer_select (window > busy), qmgr_deliver.c qmgr_deliver_update (the
 * throttle, then qmgr_defer_todo when the queue died). Expected values are worked out from those functions.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BOUNCED } from "../../src/core/message-table.js";
import { LOAD, RUN, STORE, SUSPEND, WAIT } from "../../src/core/mta-rules.js";
import { ATTEMPT_RESULTS, CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { POSTFIX_DEFAULTS, PostfixDestinations, type PostfixProfile } from "../../src/core/profiles/postfix.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { firstConn, model } from "../helpers.js";

const D = 0;
const queue = (over: Partial<PostfixProfile> = {}) => new PostfixDestinations({ ...POSTFIX_DEFAULTS, ...over }, 2);

/** Admits `n` messages to domain D at `now`, returning what admit answered for each. */
function admitAll(q: PostfixDestinations, n: number, now = 0): number[] {
  return Array.from({ length: n }, (_, m) => q.admit(m, D, now, false));
}

describe("the concurrency window (qmgr_peer_select: window > busy_refcount)", () => {
  it("a fresh queue lets initial_destination_concurrency deliveries run; the rest wait, first in first out", () => {
    const q = queue();
    expect(admitAll(q, 7)).toEqual([RUN, RUN, RUN, RUN, RUN, WAIT, WAIT]);
    expect(q.inFlight(D)).toBe(5);
    // One success at t = 1 (window 5 < busy 5 + 5: it grows to 6) frees its slot and opens one more: messages 5 and 6 run.
    q.completed(D, 1, false);
    expect(q.windowOf(D, 1)).toBe(6);
    expect([q.nextReady(D, 1), q.nextReady(D, 1), q.nextReady(D, 1)]).toEqual([5, 6, -1]);
    expect(q.inFlight(D)).toBe(6);
  });

  it("initial_destination_concurrency above a non-zero limit is cut to the limit (qmgr_transport_create)", () => {
    const q = queue({ initial_destination_concurrency: 8, default_destination_concurrency_limit: 3 });
    expect(admitAll(q, 4)).toEqual([RUN, RUN, RUN, WAIT]);
  });

  it("grows by 1 per success only while window < busy + initial concurrency, and never past the limit", () => {
    const q = queue();
    admitAll(q, 5);
    // Five successes with no new dispatch in between ("batched"): busy counts the completing entry:
    // 5 < 5+5 → 6, 6 < 4+5 → 7, 7 < 3+5 → 8, 8 < 2+5 no, 8 < 1+5 no.
    const windows = [];
    for (let k = 0; k < 5; k++) {
      q.completed(D, 1, false);
      windows.push(q.windowOf(D, 1));
    }
    // The fifth completion empties the queue: it is deleted, and a new one starts at 5.
    expect(windows).toEqual([6, 7, 8, 8, 5]);
  });

  it("with every completion followed by dispatch the window doubles per cohort up to 20 (5-10-20)", () => {
    const q = queue();
    let next = 0;
    const admit = () => q.admit(next++, D, 0, false);
    for (let k = 0; k < 200; k++) admit();
    const seen = new Set<number>();
    for (let k = 0; k < 150; k++) {
      q.completed(D, 1, false);
      while (q.nextReady(D, 1) >= 0);
      seen.add(q.windowOf(D, 1));
      expect(q.inFlight(D)).toBeLessThanOrEqual(q.windowOf(D, 1));
    }
    expect(Math.max(...seen)).toBe(20);
  });

  it("a limit of 0 means no limit", () => {
    const q = queue({ default_destination_concurrency_limit: 0 });
    for (let m = 0; m < 100; m++) q.admit(m, D, 0, false);
    for (let k = 0; k < 60; k++) {
      q.completed(D, 1, false);
      while (q.nextReady(D, 1) >= 0);
    }
    expect(q.windowOf(D, 1)).toBeGreaterThan(20);
  });
});

describe("negative feedback and the dead destination (qmgr_queue_throttle)", () => {
  /** The window after each of `n` site failures of deliveries in flight, from a queue whose window is `w`. */
  function failures(w: number, n: number, over: Partial<PostfixProfile> = {}): number[] {
    const q = queue({ initial_destination_concurrency: w, ...over });
    admitAll(q, n + 1);
    const out = [];
    for (let k = 0; k < n; k++) {
      q.completed(D, 10, true);
      out.push(q.windowOf(D, 10));
    }
    return out;
  }

  it("from 5: 5 → 3 → 2 → dead at the third failure (1/5 + 1/3 + 1/2 ≥ 1; the first failure of a cycle costs 2)", () => {
    expect(failures(5, 3)).toEqual([3, 2, 0]);
  });

  it("from 20 it takes 13 failures: 20 → 18 → 17 → … → 7 → dead", () => {
    const q = queue({ initial_destination_concurrency: 20 });
    admitAll(q, 20);
    const out = [];
    for (let k = 0; k < 13; k++) {
      q.completed(D, 10, true);
      out.push(q.windowOf(D, 10));
    }
    expect(out).toEqual([18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 0]);
  });

  it("a lone failing message never kills the destination: the empty live queue is deleted with its counts", () => {
    const q = queue();
    for (let k = 0; k < 10; k++) {
      expect(q.admit(k, D, k * 100, false)).toBe(RUN);
      q.completed(D, k * 100, true);
      expect(q.windowOf(D, k * 100)).toBe(5);
    }
  });

  it("a success between failures zeroes the cohort count: alternating failure and success never kills", () => {
    const q = queue();
    admitAll(q, 5);
    // Without the reset the failures (1/5 + 1/4 + 1/5 + …) would add up to a cohort by the fourth.
    for (let k = 0; k < 12; k++) {
      q.completed(D, 1, k % 2 === 0);
      expect(q.isDead(D, 1)).toBe(false);
      expect(q.nextSuspended(D)).toBe(-1);
      while (q.nextReady(D, 1) >= 0);
      q.admit(10 + k, D, 1, false);
    }
  });

  it("default_destination_concurrency_failed_cohort_limit 0: never dead; 2: two cohorts", () => {
    expect(failures(5, 8, { default_destination_concurrency_failed_cohort_limit: 0 })).not.toContain(0);
    // 1/5 + 1/3 + 1/2 + 1/1 = 2.03: dead at the fourth.
    expect(failures(5, 4, { default_destination_concurrency_failed_cohort_limit: 2 })).toEqual([3, 2, 1, 0]);
  });

  it("when it dies the waiting messages are suspended at once; later ones too until floor(t) + minimal_backoff_time", () => {
    const q = queue();
    expect(admitAll(q, 8, 0)).toEqual([RUN, RUN, RUN, RUN, RUN, WAIT, WAIT, WAIT]);
    q.completed(D, 0.5, true);
    q.completed(D, 0.5, true);
    expect(q.nextSuspended(D)).toBe(-1);
    q.completed(D, 0.5, true);
    expect([q.nextSuspended(D), q.nextSuspended(D), q.nextSuspended(D), q.nextSuspended(D)]).toEqual([5, 6, 7, -1]);
    expect(q.nextReady(D, 1)).toBe(-1);
    expect(q.admit(9, D, 299.9, false)).toBe(SUSPEND);
    // The two deliveries still in flight fail too: nothing changes, the timer is not extended.
    q.completed(D, 200, true);
    q.completed(D, 200, true);
    expect(q.isDead(D, 299)).toBe(true);
    // The timer fires at 300; the empty queue is deleted and a fresh one starts at 5.
    expect(q.isDead(D, 300)).toBe(false);
    expect(q.windowOf(D, 300)).toBe(5);
  });

  it("a delivery in flight that succeeds revives a dead destination at once, with the window at the deliveries in flight", () => {
    const q = queue();
    admitAll(q, 5, 0);
    for (let k = 0; k < 3; k++) q.completed(D, 1, true);
    expect(q.isDead(D, 2)).toBe(true);
    // Two still in flight; one succeeds: window = busy (2, counting itself), then its slot frees.
    q.completed(D, 2, false);
    expect(q.isDead(D, 2)).toBe(false);
    expect(q.windowOf(D, 2)).toBe(2);
    expect(q.inFlight(D)).toBe(1);
    expect(q.admit(20, D, 2, false)).toBe(RUN);
    expect(q.admit(21, D, 2, false)).toBe(WAIT);
  });

  it("a dead queue whose timer fires with deliveries still in flight restarts at the number in flight", () => {
    const q = queue();
    admitAll(q, 5, 0);
    for (let k = 0; k < 3; k++) q.completed(D, 0, true);
    expect(q.windowOf(D, 300)).toBe(2);
  });

  it("a flush (postqueue -f) revives every dead destination", () => {
    const q = queue();
    admitAll(q, 3, 0);
    for (let k = 0; k < 3; k++) q.completed(D, 0, true);
    expect(q.isDead(D, 10)).toBe(true);
    q.flushed();
    expect(q.isDead(D, 10)).toBe(false);
    expect(q.admit(7, D, 10, false)).toBe(RUN);
  });
});

/** A sender `by` on `mta` mails example.com (MX 10 p, 20 s) at the given times; each host has its mode for the whole run. */
function runMx(p: string, s: string, at: string[], mta = "postfix", duration = "1h", extra = ""): RunResult {
  const outage = (mode: string) => (mode === "up" ? "[]" : `[{ start: 0s, duration: 30d, mode: ${mode} }]`);
  return simulate(
    model(`
name: t
duration: ${duration}
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: ${outage(p)} }
  s.example.com: { role: mailbox, domains: [example.com], outages: ${outage(s)} }
${extra}
senders:
  a.test: { to: example.com, at: [${at.join(", ")}], mta: ${mta} }
`),
  );
}

function rows(r: RunResult) {
  const a = r.attempts!;
  return Array.from({ length: a.count }, (_, i) => {
    const conns = [];
    for (let k = firstConn(a, i); k < a.connEnd[i]!; k++) conns.push(`${r.nodes[a.connHost[k]!]!.name.split(".")[0]} ${CONNECTION_RESULTS[a.connResult[k]!]}`);
    return { m: a.message[i]!, start: a.start[i]!, end: a.end[i]!, result: ATTEMPT_RESULTS[a.result[i]!]!, conns };
  });
}

/** The most attempts in flight at once: intervals [start, end) of attempts that made a connection. */
function peakInFlight(r: RunResult): number {
  const edges: [number, number][] = [];
  for (const x of rows(r)) if (x.conns.length > 0 && x.end > x.start) edges.push([x.start, +1], [x.end, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (now += d));
  return peak;
}

describe("in the simulation: a silent primary, a healthy secondary (smtp_helo_timeout 300 s)", () => {
  it("behind five hung connections the later messages wait: 5 delivered at 300 s, the other 7 start at 300 s and arrive at 600 s", () => {
    const r = runMx("silent", "up", Array(12).fill("0s"));
    const all = rows(r);
    expect(all.every((x) => x.result === "delivered")).toBe(true);
    expect(all.map((x) => x.start)).toEqual([0, 0, 0, 0, 0, 300, 300, 300, 300, 300, 300, 300]);
    expect(all.map((x) => x.end)).toEqual([300, 300, 300, 300, 300, 600, 600, 600, 600, 600, 600, 600]);
    expect(all[5]!.conns).toEqual(["p silent", "s accepted"]);
    expect(peakInFlight(r)).toBe(7);
  });

  it("a larger initial window lets them all through at once", () => {
    const r = runMx("silent", "up", Array(12).fill("0s"), "{ name: postfix, initial_destination_concurrency: 12 }");
    expect(rows(r).every((x) => x.start === 0 && x.end === 300)).toBe(true);
  });

  it("the wait is the scenario's greeting timeout, and the queue depth counts the waiting messages", () => {
    const r = runMx("silent", "up", Array(8).fill("0s"), "{ name: postfix, smtp_helo_timeout: 60s }");
    expect(rows(r).map((x) => x.end)).toEqual([60, 60, 60, 60, 60, 120, 120, 120]);
  });
});

describe("in the simulation: a blackholed primary and secondary (30 s connect timeouts)", () => {
  it("site failures of deliveries in flight kill the destination; messages arriving meanwhile are suspended", () => {
    // 0..4 s: five messages in flight (each waits 30 s at p, then 30 s at s); they fail at 60..64 s.
    // The third failure (at 62 s) kills the destination until floor(62) + 300 = 362.
    const r = runMx("timeout", "timeout", ["0s", "1s", "2s", "3s", "4s", "5s", "100s", "361s", "362s"]);
    const first = new Map<number, ReturnType<typeof rows>[number]>();
    for (const x of rows(r)) if (!first.has(x.m)) first.set(x.m, x);
    expect([0, 1, 2, 3, 4].map((m) => first.get(m)!.end)).toEqual([60, 61, 62, 63, 64]);
    // Message 5 (5 s) waited in the todo list for a slot and was suspended at 62 s, without a connection.
    expect(first.get(5)).toMatchObject({ start: 62, end: 62, result: "deferred", conns: [] });
    expect(first.get(6)).toMatchObject({ start: 100, result: "deferred", conns: [] });
    expect(first.get(7)).toMatchObject({ start: 361, conns: [] });
    expect(first.get(8)!.conns).toEqual(["p timeout", "s timeout"]);
    expect(peakInFlight(r)).toBeLessThanOrEqual(5);
  });
});

describe("in the simulation: a Postfix secondary holding mail for a blackholed primary", () => {
  it("at each scan where many messages are due it really tries at most the window (5) of them; the rest are suspended", () => {
    // The primary drops SYNs for two hours; qmail senders fail over to the secondary after their connect timeout.
    const r = simulate(
      model(`
name: t
duration: 3h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 2h, mode: timeout }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com }, mta: postfix }
senders:
  a.test: { to: example.com, at: [${Array.from({ length: 60 }, (_, i) => `${i * 20}s`).join(", ")}], mta: qmail }
`),
    );
    const s = r.nodes.findIndex((n) => n.name === "s.example.com");
    const a = r.attempts!;
    const byStart = new Map<number, { real: number; suspended: number }>();
    for (let i = 0; i < a.count; i++) {
      if (a.node[i] !== s || a.start[i]! >= 7200) continue;
      const e = byStart.get(a.start[i]!) ?? { real: 0, suspended: 0 };
      if (a.connEnd[i]! > firstConn(a, i)) e.real++;
      else e.suspended++;
      byStart.set(a.start[i]!, e);
    }
    // Never more than the window start at once; at the scans with a backlog exactly 5 go out, and when the third of
    // them fails (30 s later: the connect timeout) the destination dies and its todo list is suspended at that second.
    expect(Math.max(...[...byStart.values()].map((e) => e.real))).toBe(5);
    const scans = [...byStart.entries()].filter(([, e]) => e.real === 5).map(([t]) => t);
    expect(scans.length).toBeGreaterThanOrEqual(3);
    for (const t of scans) expect(byStart.get(t + 30)).toMatchObject({ real: 0, suspended: expect.any(Number) });
    // Messages that arrive while the destination is dead are suspended at once (here, 130 s to 430 s: the failures of
    // the overlapping deliveries of 60, 80 and 100 s added up to a cohort at 130 s).
    expect(byStart.get(140)).toEqual({ real: 0, suspended: 2 });
    // Nothing bounces: the secondary keeps the mail for maximal_queue_lifetime.
    expect(Array.from(r.messages.outcome.slice(0, r.messages.count))).not.toContain(BOUNCED);
    expect(r.messages.count).toBe(60);
  });
});

describe("invariants of the destination queue over random operation sequences (fast-check)", () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant("admit" as const), dt: fc.integer({ min: 0, max: 120 }) }),
    fc.record({ kind: fc.constant("done" as const), dt: fc.integer({ min: 0, max: 120 }), site: fc.boolean() }),
    fc.record({ kind: fc.constant("flush" as const), dt: fc.integer({ min: 0, max: 600 }) }),
  );
  const settings = fc.record({
    initial_destination_concurrency: fc.integer({ min: 1, max: 6 }),
    default_destination_concurrency_limit: fc.integer({ min: 0, max: 8 }),
    default_destination_concurrency_failed_cohort_limit: fc.integer({ min: 0, max: 2 }),
    minimal_backoff_time: fc.constantFrom(1, 60, 300),
  });

  it("never runs a delivery while dead, never more in flight than the window allowed, loses no message", () => {
    fc.assert(
      fc.property(settings, fc.array(op, { maxLength: 200 }), (over, ops) => {
        const q = queue(over);
        const limit = over.default_destination_concurrency_limit;
        let now = 0;
        let next = 0;
        let running = 0;
        let ran = 0;
        let suspended = 0;
        let waiting = 0;
        const bad: string[] = [];
        const dispatch = () => {
          for (let m = q.nextSuspended(D); m >= 0; m = q.nextSuspended(D)) (suspended++, waiting--);
          for (let m = q.nextReady(D, 1); m >= 0; m = q.nextReady(D, 1)) (ran++, running++, waiting--);
        };
        for (const o of ops) {
          now += o.dt;
          if (o.kind === "admit") {
            const dead = q.isDead(D, now);
            const window = q.windowOf(D, now);
            const inFlight = q.inFlight(D);
            const answer = q.admit(next++, D, now, false);
            if (answer === RUN) {
              if (dead) bad.push(`RUN while dead at ${now}`);
              if (inFlight >= window) bad.push(`RUN with ${inFlight} in flight, window ${window}`);
              ran++;
              running++;
            } else if (answer === SUSPEND) {
              if (!dead) bad.push(`SUSPEND while alive at ${now}`);
              suspended++;
            } else waiting++;
          } else if (o.kind === "done" && running > 0) {
            q.completed(D, now, o.site);
            running--;
            dispatch();
          } else if (o.kind === "flush") {
            q.flushed();
          }
          if (q.inFlight(D) !== running) bad.push(`inFlight ${q.inFlight(D)} ≠ ${running}`);
          if (limit > 0 && running > limit) bad.push(`${running} in flight past the limit ${limit}`);
          if (q.isDead(D, now) && waiting > 0) bad.push(`${waiting} waiting at a dead destination`);
        }
        // Conservation: every message admitted ran, was suspended, or still waits in the todo list.
        expect(ran + suspended + waiting).toBe(next);
        expect(bad).toEqual([]);
      }),
      { numRuns: Number(process.env.MXSIM_PROPERTY_RUNS ?? 200) },
    );
  });

  it("in random simulations with hung hosts, deliveries in flight to one destination never exceed the limit, and every message is accounted for", () => {
    const modes = fc.constantFrom("refused", "timeout", "silent", "greeting-4xx", "rcpt-4xx", "up");
    fc.assert(
      fc.property(
        modes,
        modes,
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 1200 }), { minLength: 1, maxLength: 40 }),
        (p, s, limit, times) => {
          const mta = `{ name: postfix, initial_destination_concurrency: ${Math.min(2, limit)}, default_destination_concurrency_limit: ${limit} }`;
          const r = runMx(p, s, times.map((t) => `${t}s`), mta, "2h");
          expect(peakInFlight(r)).toBeLessThanOrEqual(limit);
          const msgs = r.messages;
          let ended = 0;
          for (let i = 0; i < msgs.count; i++) if (msgs.outcome[i] !== 0 || msgs.waiting[i]) ended++;
          expect(ended).toBe(msgs.count);
        },
      ),
      { numRuns: Number(process.env.MXSIM_PROPERTY_RUNS ?? 60) },
    );
  });
});

describe("the connection cache on demand (qmgr_entry.c qmgr_entry_select, smtp_connect.c smtp_reuse_session / smtp_cleanup_session)", () => {
  /** Connections of `by` to `host` (distinct numbers) and the transactions over them. */
  function over(r: RunResult, by: string, host: string, from = 0, until = Infinity) {
    const a = r.attempts!;
    const node = r.nodes.findIndex((x) => x.name === by);
    const server = r.nodes.findIndex((x) => x.name === host);
    const ids = new Set<number>();
    let transactions = 0;
    for (let i = 0; i < a.count; i++) {
      if (a.node[i] !== node || a.start[i]! < from || a.start[i]! >= until) continue;
      for (let k = firstConn(a, i); k < a.connEnd[i]!; k++) {
        if (a.connHost[k] === server && a.connId[k]! >= 0) (ids.add(a.connId[k]!), transactions++);
      }
    }
    return { connections: ids.size, transactions };
  }

  /** A Postfix backup whose whole queue is flushed (postqueue -f) the second the primary returns. */
  const backlog = (mta: string) =>
    simulate(
      model(`
name: t
duration: 5h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 2h, mode: refused }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com }, mta: ${mta} }
senders:
  a.test: { to: example.com, rate: 100/h, mta: qmail }
actions: [{ at: 2h, flush: s.example.com }]
`),
    );

  it("a backlog drained at once opens initial concurrency + peak window connections (5 + 20), not one per message", () => {
    const on = over(backlog("postfix"), "s.example.com", "p.example.com", 7200, 7201);
    expect(on.transactions).toBeGreaterThan(100);
    expect(on.connections).toBe(25);
    const off = over(backlog("{ name: postfix, smtp_connection_cache_on_demand: false }"), "s.example.com", "p.example.com", 7200, 7201);
    expect(off).toEqual({ connections: on.transactions, transactions: on.transactions });
  });

  it("behind a silent primary, cached sessions to the backup skip it: 25 deliveries hang on p, not 100 (last at 900 s)", () => {
    const r = runMx("silent", "up", Array(100).fill("0s"));
    expect(over(r, "a.test", "p.example.com")).toEqual({ connections: 25, transactions: 25 });
    expect(over(r, "a.test", "s.example.com")).toEqual({ connections: 25, transactions: 100 });
    const done = Array.from(r.messages.done.slice(0, r.messages.count)).sort((x, y) => x - y);
    expect([done[50], done.at(-1)]).toEqual([600, 900]);
    const off = runMx("silent", "up", Array(100).fill("0s"), "{ name: postfix, smtp_connection_cache_on_demand: false }");
    expect(over(off, "a.test", "p.example.com").connections).toBe(100);
  });

  it("the first cohort of a new queue never caches, and messages more than a second apart never reuse a session", () => {
    const q = queue();
    const flags = Array.from({ length: 5 }, (_, m) => (q.admit(m, D, 100, false), q.sessionFlags()));
    expect(flags).toEqual([0, 0, 0, 0, 0]);
    // A delivery selected within a second of the last one ending turns caching on (LOAD | STORE).
    q.admit(5, D, 100, false);
    q.completed(D, 100, false);
    expect(q.nextReady(D, 101)).toBe(5);
    expect(q.sessionFlags()).toBe(LOAD | STORE);
    const r = runMx("up", "up", ["0s", "10s", "20s", "30s", "40s"]);
    expect(over(r, "a.test", "p.example.com")).toEqual({ connections: 5, transactions: 5 });
  });

  it("a cached session waits at most smtp_connection_cache_time_limit idle", () => {
    // Hung deliveries keep a backlog; sessions left at 300 s are taken by deliveries selected at 300 s, not later.
    const q = queue();
    const s = { conn: 7, host: 1, created: 0 };
    admitAll(q, 6, 0);
    q.completed(D, 1, false);
    expect(q.nextReady(D, 1)).toBe(5);
    q.saveSession(D, s, 1);
    const out = { conn: -1, host: -1, created: 0 };
    expect(q.takeSession(D, 3, out)).toBe(true);
    expect(out.conn).toBe(7);
    q.saveSession(D, s, 10);
    expect(q.takeSession(D, 12.5, out)).toBe(false);
    // Older than smtp_connection_reuse_time_limit when its delivery ends: closed, not cached.
    q.saveSession(D, s, 301);
    expect(q.takeSession(D, 301, out)).toBe(false);
  });
});
