/**
 * Retry schedules of messages born at other times than 0, on other scan and
 * queue-run phases and with other settings than the defaults, against a
 * reference written here from the MTAs' rules (docs/model.md, the sections per MTA),
 * never from the functions under test.
 */
import { describe, expect, it } from "vitest";
import { ATTEMPT_RESULTS, BOUNCE_REASONS, CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { model } from "../helpers.js";

/** One message sent at `birth` to a domain whose only MX fails all the time (`mode`), by a sender running `mta`. */
function neverDelivered(mta: string, birth: number, days = 8, mode = "refused"): RunResult {
  return simulate(
    model(`
name: t
duration: ${days}d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: ${days + 1}d, mode: ${mode} }] }
senders:
  a.test: { to: example.com, at: [${birth}s], mta: ${mta} }
`),
  );
}

interface Row {
  start: number;
  end: number;
  result: string;
  connected: boolean;
}
function rows(r: RunResult, node?: string): Row[] {
  const a = r.attempts!;
  const out: Row[] = [];
  for (let i = 0; i < a.count; i++) {
    if (node !== undefined && r.nodes[a.node[i]!]!.name !== node) continue;
    let connected = false;
    for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) if (CONNECTION_RESULTS[a.connResult[k]!] !== "skipped") connected = true;
    out.push({ start: a.start[i]!, end: a.end[i]!, result: ATTEMPT_RESULTS[a.result[i]!]!, connected });
  }
  return out;
}
const starts = (r: RunResult, node?: string) => rows(r, node).map((x) => x.start);

/** The first grid point phase + k·step at or after t (k may be negative: the grid extends both ways). */
const gridAtOrAfter = (t: number, step: number, phase: number) => phase + Math.ceil((t - phase) / step) * step;
const gridAfter = (t: number, step: number, phase: number) => phase + (Math.floor((t - phase) / step) + 1) * step;

describe("qmail (docs/model.md#qmail): the schedule counts from the message's birth, computed at each attempt's start", () => {
  it.each([0, 777, 86399])("born at %i s: attempts at birth + (20k)², the last after queuelifetime", (birth) => {
    const r = neverDelivered("{ name: qmail, queuelifetime: 2d }", birth, 4);
    // Reference: start k at birth + n², n = floor(sqrt(previous start − birth)) + 20 (n = 20 at birth); stop after the
    // first attempt that starts more than queuelifetime after birth (that one is still made, then the bounce).
    const expected = [birth];
    while (expected.at(-1)! <= birth + 2 * 86400) {
      const age = expected.at(-1)! - birth;
      const n = Math.floor(Math.sqrt(age)) + 20;
      expected.push(birth + n * n);
    }
    expect(starts(r)).toEqual(expected);
    expect(r.messages.done[0]).toBe(expected.at(-1));
    expect(BOUNCE_REASONS[r.messages.reason[0]!]).toBe("lifetime");
  });

  it("connect timeouts do not move the schedule, and tcpto skips the host once it has timed out twice", () => {
    const birth = 500;
    const r = neverDelivered("{ name: qmail, timeoutconnect: 45s }", birth, 1, "timeout");
    const rs = rows(r);
    expect(rs.slice(0, 6).map((x) => x.start - birth)).toEqual([0, 400, 1600, 3600, 6400, 10000]);
    // The first two attempts wait 45 s each; their timeouts end at 545 and 945 s, at least 120 s apart, so tcpto
    // counts both and skips the host for at least 3840 s after the last one: the third attempt makes no connection.
    expect(rs.slice(0, 2).map((x) => x.end - x.start)).toEqual([45, 45]);
    expect(rs[2]).toMatchObject({ connected: false });
    expect(rs[2]!.end).toBe(rs[2]!.start);
  });
});

describe("Postfix (docs/model.md#postfix): t_done + clamp(age, minimal, maximal backoff), picked up by the next scan, dead destinations", () => {
  /** The reference: qmgr's backoff, the scan grid (a file is taken when eligible − 1 ≤ scan), and the dead destination. */
  function postfixReference(o: { birth: number; min: number; max: number; scan: number; phase: number; lifetime: number; until: number }) {
    const out: { start: number; connected: boolean }[] = [];
    let t = o.birth;
    let deadUntil = -Infinity;
    for (;;) {
      const connected = !(t < deadUntil);
      if (connected) deadUntil = t + o.min; // every MX failed to connect: the destination is dead for minimal_backoff_time
      out.push({ start: t, connected });
      const done = t; // refused: no time passes
      if (done >= o.birth + o.lifetime) return { attempts: out, bounceAt: done };
      const age = done - o.birth;
      const eligible = done + Math.min(Math.max(age, o.min), o.max);
      t = gridAtOrAfter(eligible - 1, o.scan, o.phase);
      if (t >= o.until) return { attempts: out, bounceAt: null };
    }
  }

  it.each([
    { birth: 0, min: 300, max: 4000, scan: 300, phase: 0 },
    { birth: 1234, min: 300, max: 4000, scan: 300, phase: 0 },
    { birth: 1234, min: 300, max: 4000, scan: 300, phase: 299 },
    { birth: 50000, min: 600, max: 3000, scan: 120, phase: 70 },
    { birth: 7, min: 1000, max: 1000, scan: 1000, phase: 999 },
  ])("born at $birth s, backoff $min..$max s, scans every $scan s from $phase s", (o) => {
    const lifetime = 2 * 86400;
    const mta = `{ name: postfix, minimal_backoff_time: ${o.min}s, maximal_backoff_time: ${o.max}s, queue_run_delay: ${o.scan}s, queue_run_phase: ${o.phase}s, maximal_queue_lifetime: ${lifetime}s }`;
    const r = neverDelivered(mta, o.birth, 4);
    const ref = postfixReference({ ...o, lifetime, until: 4 * 86400 });
    expect(rows(r).map(({ start, connected }) => ({ start, connected }))).toEqual(ref.attempts);
    expect(r.messages.done[0]).toBe(ref.bounceAt);
  });

  it("a delay warning after delay_warning_time, once (docs/model.md#postfix)", () => {
    const r = neverDelivered("{ name: postfix, delay_warning_time: 2h }", 1000, 1);
    const a = r.attempts!;
    const warnedAt: number[] = [];
    for (let i = 0; i < a.noteCount; i++) if (a.noteKind[i] === 0) warnedAt.push(a.noteAt[i]!);
    // The first deferred attempt whose age is at least 2 h − 1 s.
    const first = starts(r).find((t) => t - 1000 >= 7200 - 1)!;
    expect(warnedAt).toEqual([first]);
  });
});

describe("Exim (docs/model.md#exim): the host's retry hint, a queue runner on its own grid", () => {
  /** retry.c for one host that fails at every try: the hint's next try after a failure at `now`. */
  function eximReference(o: { birth: number; interval: number; phase: number; rules: [string, number, number, number?][]; until: number }) {
    let first = NaN;
    let last = NaN;
    let next = NaN;
    let expired = false;
    const out: { start: number; connected: boolean }[] = [];
    let t = o.birth;
    const lastCutoff = o.rules.at(-1)![1];
    for (;;) {
      // retry.c retry_check_address(): a record not expired lets a message older than the last cutoff try, due or not
      // (retry_ultimate_address_timeout(): now − received_time > cutoff, strictly).
      const pastCutoff = t - o.birth > lastCutoff;
      const waiting = !Number.isNaN(first) && t < next && (expired || !pastCutoff);
      if (waiting) {
        out.push({ start: t, connected: false });
        // Past the last cutoff and still waiting: "all hosts have been failing for a long time" (delay_after_cutoff).
        if (expired) return { attempts: out, bounceAt: t, why: "failing-too-long" };
      } else {
        out.push({ start: t, connected: true });
        if (Number.isNaN(first)) [first, last, next] = [t, t, t];
        const failing = t - first;
        let rule = o.rules.find(([, cutoff]) => failing <= cutoff);
        expired = rule === undefined;
        rule ??= o.rules.at(-1)!;
        const [kind, , p1, p2] = rule;
        const lastgap = Math.min(next - last, t - last);
        const gap = kind === "F" ? p1 : lastgap < p1 ? p1 : Math.floor((lastgap * p2!) / 1000);
        last = t;
        next = t + Math.min(gap, 86400);
        // retry.c retry_update() 838–852: the message (born no later than the first failure) is older than the last
        // cutoff, so the item times out even though the record is not expired.
        if (expired || (o.birth <= first && pastCutoff)) return { attempts: out, bounceAt: t, why: "retry-timeout" };
      }
      t = gridAfter(t, o.interval, o.phase);
      if (t >= o.until) return { attempts: out, bounceAt: null, why: null };
    }
  }

  it.each([
    { birth: 0, interval: 1800, phase: 0 },
    { birth: 1000, interval: 1800, phase: 600 },
    { birth: 3333, interval: 900, phase: 17 },
    { birth: 20000, interval: 3600, phase: 1800 },
  ])("born at $birth s, queue runs every $interval s from $phase s, the default rule", (o) => {
    const r = neverDelivered(`{ name: exim, queue_run_interval: ${o.interval}s, queue_run_phase: ${o.phase}s }`, o.birth, 6);
    const ref = eximReference({
      ...o,
      rules: [
        ["F", 7200, 900],
        ["G", 57600, 3600, 1500],
        ["F", 345600, 21600],
      ],
      until: 6 * 86400,
    });
    expect(rows(r).map(({ start, connected }) => ({ start, connected }))).toEqual(ref.attempts);
    expect(r.messages.done[0]).toBe(ref.bounceAt);
    expect(BOUNCE_REASONS[r.messages.reason[0]!]).toBe(ref.why);
  });

  it("another retry rule, and retry_interval_max caps a geometric interval", () => {
    const mta = '{ name: exim, retry: "F,1h,10m; G,1d,30m,2", retry_interval_max: 3h, queue_run_interval: 5m, queue_run_phase: 60s }';
    const r = neverDelivered(mta, 400, 3);
    const connected = rows(r).filter((x) => x.connected).map((x) => x.start);
    // Independently: 10-minute gaps (on the 5-minute grid from 60 s) for the first hour, then doubling gaps from 30 min,
    // capped at 3 h; each real try happens at the first queue run at or after its retry time.
    const expected = [400];
    const hint = { first: 400, last: 400, next: 400 };
    while (expected.length < 12) {
      const t = expected.at(-1)!;
      const failing = t - hint.first;
      const lastgap = Math.min(hint.next - hint.last, t - hint.last);
      const gap = failing <= 3600 ? 600 : Math.min(lastgap < 1800 ? 1800 : lastgap * 2, 3 * 3600);
      hint.last = t;
      hint.next = t + gap;
      expected.push(gridAtOrAfter(hint.next, 300, 60));
    }
    expect(connected.slice(0, 12)).toEqual(expected);
  });

  it.each([true, false])("delay_after_cutoff %s: the first queue run past the cutoff tries the host despite its hint, and the message bounces", (dac) => {
    const r = neverDelivered(`{ name: exim, retry: "F,2h,30m", delay_after_cutoff: ${dac}, queue_run_interval: 10m }`, 0, 1);
    // Tries at 0, 1800, …, 7200 (failing 7200 ≤ 2h: not expired, next try 9000). At the run of 7800 the message is older
    // than the cutoff and the record is not expired: retry_check_address() lets it try (the ultimate address timeout);
    // failing 7800 > 7200 expires the record and times the item out: "retry timeout exceeded", whatever delay_after_cutoff.
    expect(rows(r).filter((x) => x.connected).map((x) => x.start)).toEqual([0, 1800, 3600, 5400, 7200, 7800]);
    expect(BOUNCE_REASONS[r.messages.reason[0]!]).toBe("retry-timeout");
    expect(r.messages.done[0]).toBe(7800);
  });
});

describe("Sendmail (docs/model.md#sendmail): every queue run retries every queued message", () => {
  it.each([
    { birth: 0, interval: 1800, phase: 0, lifetime: 86400 },
    { birth: 999, interval: 600, phase: 120, lifetime: 43200 },
  ])("born at $birth s, -q every $interval s from $phase s, queuereturn $lifetime s", (o) => {
    const r = neverDelivered(`{ name: sendmail, queue_run_interval: ${o.interval}s, queue_run_phase: ${o.phase}s, queuereturn: ${o.lifetime}s }`, o.birth, 2);
    const expected = [o.birth];
    // The message is returned at the end of the first attempt at or after ctime + queuereturn.
    while (expected.at(-1)! < o.birth + o.lifetime) expected.push(gridAfter(expected.at(-1)!, o.interval, o.phase));
    expect(starts(r)).toEqual(expected);
    expect(r.messages.done[0]).toBe(expected.at(-1));
  });

  it("a delay warning at the first attempt past queuewarn", () => {
    const r = neverDelivered("{ name: sendmail, queuewarn: 1h, queue_run_interval: 25m }", 100, 1);
    const a = r.attempts!;
    expect(a.noteCount).toBeGreaterThan(0);
    expect(a.noteAt[0]).toBe(starts(r).find((t) => t - 100 >= 3600));
  });
});

describe("OpenSMTPD (docs/model.md#opensmtpd): birth + base·n², expiry by timer at exactly queue_ttl", () => {
  it.each([
    { birth: 0, base: 400, ttl: 86400 },
    { birth: 4321, base: 100, ttl: 36000 },
  ])("born at $birth s, base $base s, ttl $ttl s", (o) => {
    const r = neverDelivered(`{ name: opensmtpd, backoff_transfer: ${o.base}s, queue_ttl: ${o.ttl}s }`, o.birth, 2);
    const expected: number[] = [];
    for (let n = 0; o.base * n * n < o.ttl; n++) expected.push(o.birth + o.base * n * n);
    expect(starts(r)).toEqual(expected);
    expect(r.messages.done[0]).toBe(o.birth + o.ttl);
    expect(BOUNCE_REASONS[r.messages.reason[0]!]).toBe("lifetime");
  });

  it("one delay warning, stamped creation + bounce_warn_interval", () => {
    const r = neverDelivered("{ name: opensmtpd, bounce_warn_interval: 2h }", 600, 1);
    const a = r.attempts!;
    expect(Array.from(a.noteAt.subarray(0, a.noteCount))).toEqual([600 + 7200]);
  });
});

describe("Exchange (docs/model.md#exchange, documented defaults and the flowchart's order)", () => {
  it("glitch retries, then transient retries, then the outbound interval, until the expiration timeout", () => {
    const mta =
      "{ name: exchange, queue_glitch_retry_count: 2, queue_glitch_retry_interval: 2m, transient_failure_retry_count: 3, transient_failure_retry_interval: 7m, outbound_connection_failure_retry_interval: 25m, message_expiration_timeout: 10h }";
    const birth = 3000;
    const r = neverDelivered(mta, birth, 1);
    const gaps = [120, 120, 420, 420, 420];
    const expected = [birth];
    for (const g of gaps) expected.push(expected.at(-1)! + g);
    while (expected.at(-1)! + 1500 < birth + 36000) expected.push(expected.at(-1)! + 1500);
    expect(starts(r)).toEqual(expected);
    expect(r.messages.done[0]).toBe(birth + 36000);
  });
});

describe("a relay's schedule counts from when it took the message", () => {
  it.each(["postfix", "sendmail", "opensmtpd"])("%s as the backup MX", (mta) => {
    const r = simulate(
      model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 2d }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com }, mta: ${mta} }
senders:
  a.test: { to: example.com, at: [5000s, 5000s] }
`),
    );
    // Two messages born at the same second at the relay follow the same schedule, offset from 5000, not from 0.
    const byMessage = [0, 1].map((m) => {
      const a = r.attempts!;
      const out: number[] = [];
      for (let i = 0; i < a.count; i++) if (a.message[i] === m && r.nodes[a.node[i]!]!.name === "s.example.com") out.push(a.start[i]!);
      return out;
    });
    expect(byMessage[0]).toEqual(byMessage[1]);
    const alone = neverDelivered(mta, 5000, 1);
    expect(byMessage[0]!.slice(0, 8)).toEqual(starts(alone).slice(0, 8));
  });
});
