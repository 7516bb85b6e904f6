/**
 * The readable views of a run (src/core/records.ts): a message's record, its
 * attempts and its notifications, with names where the columns hold codes.
 * Each view is checked against the columns decoded here, and against what the
 * scenario's rules say happens to a few chosen messages (the primary down, a
 * null MX, a domain that never answers, the horizon cutting a timeout).
 */
import { describe, expect, it } from "vitest";
import { NULL_SINK } from "../../src/core/attempt-log.js";
import {
  ATTEMPT_RESULTS,
  BOUNCE_CODE,
  BOUNCE_REASONS,
  CONNECTION_RESULTS,
  NOTIFICATION_KINDS,
  OUTCOME_CODE,
  OUTCOMES,
  PATH_CODE,
  PATH_NONE,
  PATHS,
} from "../../src/core/outcomes.js";
import { attemptsOf, messageRecord, notificationsOf, OUTCOME_NAMES, PATH_NAMES } from "../../src/core/records.js";
import { simulate } from "../../src/core/simulate.js";
import { model } from "../helpers.js";

// example.com: primary p (MX 10, refusing from 1h to 3h) and qmail backup s (MX 20, routing to p).
// example.net: a null MX. example.org: one MX that refuses for the whole run.
const scenario = model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
  example.net: { mx: [{ preference: 0, host: "." }] }
  example.org: { mx: [{ preference: 5, host: q.example.org }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 1h, duration: 2h, mode: refused }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com }, mta: qmail }
  q.example.org: { role: mailbox, domains: [example.org], outages: [{ start: 0s, duration: 30d, mode: refused }] }
senders:
  a.test: { to: example.com, at: [0s, 7200s], mta: qmail }
  b.test: { to: example.net, at: [60s], mta: postfix }
  d.test: { to: example.org, at: [1s], mta: opensmtpd }
  e.test: { to: example.com, at: [120s], mta: qmail, invalid_recipients: 1 }
`);
const run = simulate(scenario);
// Message ids are the order of creation: a.test at 0 s, d.test at 1 s, b.test at 60 s, e.test at 120 s, a.test at 7200 s.
const [DIRECT, DEAD_DOMAIN, NULL_MX, NO_SUCH_USER, DURING_OUTAGE] = [0, 1, 2, 3, 4];

describe("code → name tables", () => {
  it("invert OUTCOME_CODE and PATH_CODE; PATH_NONE has no name", () => {
    for (const o of OUTCOMES) expect(OUTCOME_NAMES[OUTCOME_CODE[o]]).toBe(o);
    expect(OUTCOME_NAMES.length).toBe(OUTCOMES.length);
    for (const p of PATHS) expect(PATH_NAMES[PATH_CODE[p]]).toBe(p);
    expect(PATH_NAMES[PATH_NONE]).toBeUndefined();
    expect(PATH_NAMES.length).toBe(PATHS.length + 1);
  });
});

describe("messageRecord", () => {
  it("agrees with the columns for every message", () => {
    const t = run.messages;
    expect(t.count).toBe(5);
    for (let m = 0; m < t.count; m++) {
      const rec = messageRecord(run, m);
      const sender = scenario.senders[t.sender[m]!]!;
      expect(rec.id).toBe(m);
      expect(rec.senderIndex).toBe(t.sender[m]);
      expect(rec.sender).toBe(sender.name);
      expect(rec.domain).toBe(scenario.domains[sender.domain]!.name);
      expect(rec.created).toBe(t.created[m]);
      expect(OUTCOME_CODE[rec.outcome]).toBe(t.outcome[m]);
      expect(rec.path === null ? PATH_NONE : PATH_CODE[rec.path]).toBe(t.path[m]);
      if (rec.bounceReason !== null) expect(BOUNCE_CODE[rec.bounceReason]).toBe(t.reason[m]);
      expect(rec.done ?? NaN).toBe(t.done[m]);
      expect(rec.holder).toBe(run.nodes[t.holder[m]!]!.name);
      expect(rec.holderKind).toBe(t.holder[m]! < scenario.servers.length ? "server" : "sender");
      expect(rec.attempts).toBe(t.attempts[m]);
      expect(rec.hops).toBe(t.hops[m]);
      expect(rec.badRecipient).toBe(t.badRcpt[m] === 1);
    }
  });

  it("tells each ending with the fields it has and nulls for the others", () => {
    // The primary is up at 0 s: delivered at once.
    expect(messageRecord(run, DIRECT)).toEqual({
      id: 0, sender: "a.test", senderIndex: 0, domain: "example.com", created: 0,
      outcome: "delivered", path: "direct", bounceReason: null, done: 0, latency: 0,
      holder: "p.example.com", holderKind: "server", attempts: 1, hops: 0, badRecipient: false,
    });
    // Sent while the primary refuses: the backup takes it and delivers it after the outage.
    expect(messageRecord(run, DURING_OUTAGE)).toMatchObject({ sender: "a.test", created: 7200, outcome: "delivered", path: "via-secondary", bounceReason: null, holder: "p.example.com", hops: 1 });
    const late = messageRecord(run, DURING_OUTAGE);
    expect(late.done).toBeGreaterThanOrEqual(3 * 3600);
    expect(late.latency).toBe(late.done! - 7200);
    // A null MX: returned to the sender at once, by the sender itself (RFC 7505).
    expect(messageRecord(run, NULL_MX)).toMatchObject({ sender: "b.test", domain: "example.net", outcome: "bounced", path: null, bounceReason: "null-mx", done: 60, latency: null, holder: "b.test", holderKind: "sender", attempts: 1 });
    // Sent to a made-up recipient: the mailbox server answers 550 at RCPT and the sender bounces it.
    expect(messageRecord(run, NO_SUCH_USER)).toMatchObject({ sender: "e.test", outcome: "bounced", bounceReason: "unknown-user", holder: "e.test", badRecipient: true });
    expect(messageRecord(run, DIRECT).badRecipient).toBe(false);
    // Never answered, and OpenSMTPD keeps mail 4 days: still queued at the sender after one day.
    expect(messageRecord(run, DEAD_DOMAIN)).toMatchObject({ sender: "d.test", outcome: "queued", path: null, bounceReason: null, done: null, latency: null, holder: "d.test", holderKind: "sender" });
  });

  it("refuses an id the run does not have", () => {
    for (const m of [-1, 5, 1.5, NaN]) expect(() => messageRecord(run, m)).toThrow(RangeError);
  });
});

describe("attemptsOf", () => {
  it("gives every attempt of the log to its message, with its connections, decoded", () => {
    const a = run.attempts!;
    let seen = 0;
    for (let m = 0; m < run.messages.count; m++) {
      const mine = attemptsOf(run, m);
      expect(mine.length).toBe(run.messages.attempts[m]);
      seen += mine.length;
    }
    expect(seen).toBe(a.count);
    // Row by row, the attempts of all messages in log order are the log's rows decoded.
    const byMessage = Array.from({ length: run.messages.count }, (_, m) => attemptsOf(run, m));
    const next = new Array<number>(run.messages.count).fill(0);
    for (let i = 0; i < a.count; i++) {
      const rec = byMessage[a.message[i]!]![next[a.message[i]!]!++]!;
      expect(rec.by).toBe(run.nodes[a.node[i]!]!.name);
      expect(rec.start).toBe(a.start[i]);
      expect(rec.end ?? NaN).toBe(a.end[i]);
      expect(rec.result).toBe(ATTEMPT_RESULTS[a.result[i]!]);
      expect(rec.host).toBe(a.host[i]! >= 0 ? run.nodes[a.host[i]!]!.name : null);
      expect(rec.next ?? NaN).toBe(a.next[i]);
      const from = i === 0 ? 0 : a.connEnd[i - 1]!;
      expect(rec.connections.map((c) => [c.host, c.at, c.result])).toEqual(
        Array.from({ length: a.connEnd[i]! - from }, (_, k) => [run.nodes[a.connHost[from + k]!]!.name, a.connAt[from + k], CONNECTION_RESULTS[a.connResult[from + k]!]]),
      );
    }
  });

  it("tells the failover: the primary refuses (MX 10), the backup accepts (MX 20) and holds the message", () => {
    const [first, second] = attemptsOf(run, DURING_OUTAGE);
    expect(first).toEqual({
      by: "a.test", start: 7200, end: 7200, result: "relayed", host: "s.example.com", next: null,
      connections: [
        { host: "p.example.com", preference: 10, at: 7200, result: "refused", conn: 7, reusedFrom: null },
        { host: "s.example.com", preference: 20, at: 7200, result: "accepted", conn: 8, reusedFrom: null },
      ],
    });
    // The backup retries the primary by its static route; p is also MX 10 of the domain.
    expect(second).toMatchObject({ by: "s.example.com", start: 7200, result: "deferred", host: "p.example.com", connections: [{ host: "p.example.com", preference: 10, result: "refused" }] });
    expect(second!.next).toBeGreaterThan(7200);
    expect(attemptsOf(run, DURING_OUTAGE).at(-1)).toMatchObject({ by: "s.example.com", result: "delivered", host: "p.example.com" });
  });

  it("an attempt that contacts no host has host null and no connections; a bounce has no next attempt", () => {
    expect(attemptsOf(run, NULL_MX)).toEqual([{ by: "b.test", start: 60, end: 60, result: "bounced", host: null, next: null, connections: [] }]);
  });

  it("an attempt the horizon cuts has no end and no next attempt", () => {
    const cut = simulate(
      model(`
name: t
duration: 1h
dns:
  example.org: { mx: [{ preference: 5, host: q.example.org }] }
servers:
  q.example.org: { role: mailbox, domains: [example.org], outages: [{ start: 0s, duration: 30d, mode: timeout }] }
senders:
  a.test: { to: example.org, at: [3590s], mta: postfix }
`),
    );
    expect(attemptsOf(cut, 0)).toEqual([{ by: "a.test", start: 3590, end: null, result: "unfinished", host: null, next: null, connections: [] }]);
    expect(messageRecord(cut, 0)).toMatchObject({ outcome: "queued", done: null, holder: "a.test" });
  });

  it("needs the attempt log", () => {
    const bare = simulate(scenario, { sink: NULL_SINK });
    expect(() => attemptsOf(bare, 0)).toThrow(/attempt log/);
    expect(() => notificationsOf(bare, 0)).toThrow(/attempt log/);
  });
});

describe("notificationsOf", () => {
  it("names kind, sender and reason; a delay warning has no bounce reason", () => {
    expect(notificationsOf(run, NULL_MX)).toEqual([{ kind: "failed", by: "b.test", at: 60, bounceReason: "null-mx" }]);
    // OpenSMTPD's one delay warning at birth + bounce warn-interval (4 h).
    expect(notificationsOf(run, DEAD_DOMAIN)).toEqual([{ kind: "delayed", by: "d.test", at: 1 + 4 * 3600, bounceReason: null }]);
    expect(notificationsOf(run, DIRECT)).toEqual([]);
  });

  it("gives every notification of the log to its message, decoded", () => {
    const a = run.attempts!;
    const byMessage = Array.from({ length: run.messages.count }, (_, m) => notificationsOf(run, m));
    expect(byMessage.flat().length).toBe(a.noteCount);
    const next = new Array<number>(run.messages.count).fill(0);
    for (let i = 0; i < a.noteCount; i++) {
      const rec = byMessage[a.noteMessage[i]!]![next[a.noteMessage[i]!]!++]!;
      expect(rec).toEqual({
        kind: NOTIFICATION_KINDS[a.noteKind[i]!],
        by: run.nodes[a.noteNode[i]!]!.name,
        at: a.noteAt[i],
        bounceReason: a.noteReason[i]! >= 0 ? BOUNCE_REASONS[a.noteReason[i]!] : null,
      });
    }
  });
});
