import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modeAt, UP } from "../../src/core/availability.js";
import { FAILURE_MODES } from "../../src/core/failure-modes.js";
import { BOUNCED, DELIVERED, QUEUED } from "../../src/core/message-table.js";
import { ATTEMPT_RESULTS, BOUNCE_REASONS } from "../../src/core/outcomes.js";
import { giveUpAfter, type Profile } from "../../src/core/profile.js";
import { simulate } from "../../src/core/simulate.js";
import { summarize } from "../../src/report/summary.js";
import { firstConn, model } from "../helpers.js";

const mode = fc.constantFrom(...FAILURE_MODES);
const mta = fc.constantFrom("qmail", "postfix", "exim", "sendmail", "opensmtpd", "exchange");
/** Non-overlapping windows built from (gap, length) pairs, in hours. */
const windows = (max: number) =>
  fc.array(fc.record({ gap: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 1, max: 60 }), mode }), { maxLength: max }).map((ws) => {
    let t = 0;
    return ws.map((w) => {
      const start = t + w.gap;
      t = start + w.len;
      return `{ start: ${start}h, duration: ${w.len}h, mode: ${w.mode} }`;
    });
  });
/** Lifetimes from shorter than one retry interval (a bounce at the first or second attempt) to a week. */
const lifetime = fc.constantFrom("1m", "5m", "1h", "1d", "3d", "7d");
/** Queue-run phases (Postfix, Exim, Sendmail): on the hour grid of the windows, or off it. */
const phase = fc.constantFrom("0s", "1s", "299s", "1234s");
/** An MTA with a shorter lifetime where it has one, so that bounces happen within a few days, and another queue-run phase. */
const mtaWithLifetime = fc.record({ name: mta, lifetime, phase, eximRunner: fc.boolean() }).map(({ name, lifetime: l, phase: ph, eximRunner }) => {
  const key: Record<string, string> = {
    qmail: "queuelifetime",
    postfix: "maximal_queue_lifetime",
    sendmail: "queuereturn",
    opensmtpd: "queue_ttl",
    exchange: "message_expiration_timeout",
  };
  const settings = key[name] ? [`${key[name]}: ${l}`] : [];
  if (name === "postfix" || name === "sendmail") settings.push(`queue_run_phase: ${ph}`);
  // Exim with a queue runner on a phase, or with a delivery at each retry hint (queue_run_interval 0).
  if (name === "exim") settings.push(eximRunner ? `queue_run_phase: ${ph}` : "queue_run_interval: 0s");
  return settings.length ? `{ name: ${name}, ${settings.join(", ")} }` : name;
});

/** A provider's sender (senders only), some with a shorter give-up, some with address pools and a limit on attempts. */
const providerSender = fc
  .record({ name: fc.constantFrom("gmail", "microsoft365", "amazon-ses", "mailgun", "aol", "mail.ru", "custom"), lifetime, short: fc.boolean() })
  .map(({ name, lifetime: l, short }) => (short ? `{ name: ${name}, give_up: ${l} }` : name));
const senderMta = fc.oneof(mtaWithLifetime, providerSender);

/**
 * Senders: Poisson ones, and ones with listed send times on the hour grid, several at the same second, so
 * that arrivals coincide with each other, with the windows' ends (whole hours) and with flushes.
 */
const senderArb = fc.oneof(
  fc.record({ rate: fc.integer({ min: 1, max: 20 }), mta: senderMta, forged: fc.boolean(), invalid: fc.constantFrom(0, 0.3) }),
  fc.record({ at: fc.array(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 6 }), mta: senderMta, forged: fc.boolean(), invalid: fc.constantFrom(0, 0.3) }),
);

const scenarioArb = fc.record({
  days: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  primary: windows(3),
  secondary: fc.option(fc.record({ outages: windows(2), mta: mtaWithLifetime, validation: fc.boolean() }), { nil: undefined }),
  senders: fc.array(senderArb, { minLength: 1, maxLength: 3 }),
  primaryCapacity: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  greylisting: fc.constantFrom("0s", "5m"),
  flush: fc.option(fc.integer({ min: 1, max: 23 }), { nil: undefined }),
  flushSender: fc.boolean(),
});

function yamlOf(s: fc.RecordValue<typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never>): string {
  return `
name: prop
seed: ${s.seed}
duration: ${s.days}d
dns:
  example.com:
    mx:
      - { preference: 10, host: p.example.com }
${s.secondary ? "      - { preference: 20, host: s.example.com }" : ""}
servers:
  p.example.com:
    role: mailbox
    domains: [example.com]
    outages: [${s.primary.join(", ")}]
    greylisting: ${s.greylisting}
${s.primaryCapacity ? `    capacity: ${s.primaryCapacity}` : ""}
${
  s.secondary
    ? `  s.example.com:
    role: relay
    relay_domains: [example.com]
    routes: { example.com: p.example.com }
    outages: [${s.secondary.outages.join(", ")}]
    recipient_validation: ${s.secondary.validation}
    mta: ${s.secondary.mta}`
    : ""
}
senders:
${s.senders
  .map((x, i) => {
    const when = "rate" in x ? `rate: ${x.rate}/h` : `at: [${x.at.map((h) => `${h}h`).join(", ")}]`;
    return `  s${i}.test: { to: example.com, ${when}, mta: ${x.mta}, forged: ${x.forged}, invalid_recipients: ${x.invalid} }`;
  })
  .join("\n")}
${s.flush ? `actions: [{ at: ${s.flush}h, flush: ${s.flushSender || !s.secondary ? "s0.test" : "s.example.com"} }]` : ""}
`;
}

function profileOf(m: ReturnType<typeof model>, node: number): Profile {
  return node < m.servers.length ? m.servers[node]!.profile : m.senders[node - m.servers.length]!.profile;
}

function lifetimeOf(p: Profile): number {
  switch (p.mta) {
    case "qmail":
      return p.queuelifetime;
    case "postfix":
      return p.maximal_queue_lifetime;
    case "sendmail":
      return p.queuereturn;
    case "opensmtpd":
      return p.queue_ttl;
    case "exchange":
      return p.message_expiration_timeout;
    case "exim":
      return 0; // Exim bounces on its host hints, not on the message's age (docs/model.md#exim)
    default:
      return giveUpAfter(p); // a provider's sender: by timer at give_up (docs/model.md#provider-senders)
  }
}

describe("invariants over random scenarios and seeds", () => {
  it("conservation, no delivery while down, no early retry, no early bounce, no double delivery (all MTAs and failure modes)", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const m = model(yamlOf(s));
        const r = simulate(m);
        const msgs = r.messages;
        const a = r.attempts!;
        const sum = summarize(r);

        // Conservation: every message ends in exactly one state, and the totals add up.
        let delivered = 0, bounced = 0, queued = 0;
        for (let i = 0; i < msgs.count; i++) {
          const o = msgs.outcome[i];
          if (o === DELIVERED) delivered++;
          else if (o === BOUNCED) bounced++;
          else if (o === QUEUED) queued++;
        }
        expect(delivered + bounced + queued).toBe(msgs.count);
        expect(sum.messages.created).toBe(msgs.count);
        expect(sum.messages.delivered + sum.messages.bounced + sum.messages.still_queued).toBe(sum.messages.created);
        expect(sum.messages.delivered_direct + sum.messages.delivered_via_secondary + sum.messages.delivered_after_sender_retry).toBe(
          sum.messages.delivered,
        );

        // Checks in the loops below collect their failures: one expect() per attempt would dominate the run time.
        const bad: string[] = [];
        const deliveries = new Int32Array(msgs.count);
        // Last attempt per (message, node): its `next` is when the next one is allowed.
        const lastNext = new Map<string, number>();
        // Connection numbers met so far: a number met again is a reused connection.
        const seen = new Set<number>();
        const lastStart = new Map<string, number>();
        // The horizon is a wall: nothing is recorded at or after the end of the run.
        const H = m.duration;
        for (let i = 0; i < a.count; i++) {
          if (!(a.start[i]! < H) || a.end[i]! >= H || a.next[i]! < a.end[i]!) bad.push(`attempt ${i} [${a.start[i]}, ${a.end[i]}] past the horizon ${H}`);
        }
        for (let k = 0; k < a.connCount; k++) if (!(a.connAt[k]! < H)) bad.push(`connection ${k} at ${a.connAt[k]} past the horizon ${H}`);
        for (let k = 0; k < a.noteCount; k++) if (!(a.noteAt[k]! < H)) bad.push(`notification ${k} at ${a.noteAt[k]} past the horizon ${H}`);
        for (let i = 0; i < msgs.count; i++) if (msgs.outcome[i] !== QUEUED && !(msgs.done[i]! < H)) bad.push(`message ${i} ended at ${msgs.done[i]}, past ${H}`);
        for (let i = 0; i < a.count; i++) {
          const msg = a.message[i]!;
          const key = `${msg}:${a.node[i]}`;
          const due = lastNext.get(key);
          // No retry earlier than the schedule: exactly at it, unless an administrator flushed that queue then; a
          // Postfix node may start it later, when the message waited for a slot of its destination queue.
          // (A Postfix node's flushed message may wait for a slot, so its attempt comes after the flush.)
          const since = lastStart.get(key) ?? -Infinity;
          const flushed = m.actions.some((x) => x.node === a.node[i] && x.at <= a.start[i]! && x.at >= since);
          lastStart.set(key, a.start[i]!);
          const late = profileOf(m, a.node[i]!).mta === "postfix" && a.start[i]! > due!;
          // Exim sends a waiting message down a connection another delivery opened to its host (continued delivery).
          const first = firstConn(a, i);
          const continued = a.connEnd[i]! - first === 1 && seen.has(a.connId[first]!);
          if (due !== undefined && !flushed && a.start[i] !== due && !late && !continued) bad.push(`attempt ${i} at ${a.start[i]}, due ${due}`);
          for (let k = first; k < a.connEnd[i]!; k++) seen.add(a.connId[k]!);
          const result = ATTEMPT_RESULTS[a.result[i]!];
          if (result === "deferred") lastNext.set(key, a.next[i]!);
          else lastNext.delete(key);
          if (result === "delivered") {
            deliveries[msg]!++;
            // The mailbox server was up at the moment of delivery.
            if (modeAt(r.outages[a.host[i]!]!, a.end[i]!) !== UP) bad.push(`delivery ${i} while down`);
          }
        }
        for (let i = 0; i < msgs.count; i++) {
          if (deliveries[i] !== (msgs.outcome[i] === DELIVERED ? 1 : 0)) bad.push(`message ${i} delivered ${deliveries[i]} times`);
          if (msgs.outcome[i] === DELIVERED && msgs.done[i]! < msgs.created[i]!) bad.push(`message ${i} has a negative latency`);
          if (msgs.outcome[i] === BOUNCED && BOUNCE_REASONS[msgs.reason[i]!] === "lifetime") {
            // No bounce before the queue lifetime of the node that gave up.
            const holder = msgs.holder[i]!;
            const profile = holder < m.servers.length ? m.servers[holder]!.profile : m.senders[holder - m.servers.length]!.profile;
            const age = msgs.done[i]! - msgs.birth[i]!;
            const early = profile.mta === "qmail" ? age <= profile.queuelifetime : age < lifetimeOf(profile); // qmail: strict > (docs/model.md#qmail)
            if (early) bad.push(`message ${i} bounced by ${profile.mta} at age ${age}`);
          }
        }
        expect(bad).toEqual([]);
      }),
      // Fewer under mutation testing (vitest.mutation.config.ts), where every run is instrumented and repeated per mutant.
      { numRuns: Number(process.env.MXSIM_PROPERTY_RUNS ?? 50) },
    );
  });

  it("an attempt the horizon cuts is recorded as unfinished, and its message is still queued at the end", () => {
    // The primary is blackholed; a message sent 100 s before the end waits on OpenSMTPD's 300 s connect timeout,
    // which would expire 200 s after the end: the attempt is cut there, the backup is never reached within the run.
    const m = model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 2d, mode: timeout }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com } }
senders:
  a.test: { to: example.com, at: [1000s, 86300s], mta: opensmtpd }
`);
    const r = simulate(m);
    const a = r.attempts!;
    const rows = Array.from({ length: a.count }, (_, i) => ({ m: a.message[i], start: a.start[i], end: a.end[i], result: ATTEMPT_RESULTS[a.result[i]!] }));
    // The first message fails over after the timeout (1000 + 300 s) and is relayed; the second is cut.
    expect(rows.filter((x) => x.m === 0)[0]).toMatchObject({ start: 1000, end: 1300, result: "relayed" });
    expect(rows.filter((x) => x.m === 1)).toEqual([{ m: 1, start: 86300, end: NaN, result: "unfinished" }]);
    // Both are still queued at the end: the first at the backup (the primary never answers), the second at its sender.
    expect([r.messages.outcome[0], r.messages.outcome[1]]).toEqual([QUEUED, QUEUED]);
    expect(r.nodes[r.messages.holder[1]!]!.name).toBe("a.test");
    expect(summarize(r).messages.still_queued).toBe(2);
    for (let k = 0; k < a.connCount; k++) expect(a.connAt[k]).toBeLessThan(86400);
  });

  it("conservation holds for the article's scenario over many seeds", () => {
    const m = model(`
name: t
duration: 10d
dns:
  blyx.com: { mx: [{ preference: 10, host: fcmx1.blyx.com }, { preference: 20, host: fcmx2.blyx.com }] }
servers:
  fcmx1.blyx.com: { role: mailbox, domains: [blyx.com], outages: [{ start: 1d, duration: 8d }] }
  fcmx2.blyx.com: { role: relay, relay_domains: [blyx.com], routes: { blyx.com: fcmx1.blyx.com } }
senders:
  hotmail.com: { to: blyx.com, rate: 4/h }
`);
    const created = new Set<number>();
    const seeds = Number(process.env.MXSIM_SEEDS ?? 20);
    for (let seed = 1; seed <= seeds; seed++) {
      const s = summarize(simulate(m, { seed })).messages;
      expect(s.delivered + s.bounced + s.still_queued).toBe(s.created);
      created.add(s.created);
    }
    // The seeds really differ.
    expect(created.size).toBeGreaterThan(seeds / 2);
  });
});
