/**
 * One connection, many messages: Exim's continued delivery (transport.c transport_update_waiting and
 * transport_check_waiting, smtp.c after a completed transaction), against qmail's one connection per message
 * (qmail-remote is run once per delivery). Connection numbers come from AttemptSink.connection.
 */
import { describe, expect, it } from "vitest";
import { DELIVERED, PATH_VIA_SECONDARY } from "../../src/core/message-table.js";
import { ATTEMPT_RESULTS, CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { EXIM, EXIM_DEFAULTS, type EximHints } from "../../src/core/profiles/exim.js";
import { EximWaitDb, WAIT_NAME_MAX } from "../../src/core/profiles/exim-wait.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { firstConn, model } from "../helpers.js";

/** A primary refusing for `down`, a backup `mta` routing to it, a qmail sender failing over at once: `n` messages, one a minute. */
function drain(mta: string, n: number, down = "10h", p = "refused"): RunResult {
  return simulate(
    model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: ${down}, mode: ${p} }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com }, mta: ${mta} }
senders:
  a.test: { to: example.com, at: [${Array.from({ length: n }, (_, i) => `${i * 60}s`).join(", ")}], mta: qmail }
`),
  );
}

/** The connections `by` made to `host` (names), with the message each carried: [conn, message, result][]. */
function connectionsTo(r: RunResult, by: string, host: string): [number, number, string][] {
  const a = r.attempts!;
  const node = r.nodes.findIndex((x) => x.name === by);
  const server = r.nodes.findIndex((x) => x.name === host);
  const out: [number, number, string][] = [];
  for (let i = 0; i < a.count; i++) {
    if (a.node[i] !== node) continue;
    for (let k = firstConn(a, i); k < a.connEnd[i]!; k++) {
      if (a.connHost[k] === server && a.connId[k]! >= 0) out.push([a.connId[k]!, a.message[i]!, CONNECTION_RESULTS[a.connResult[k]!]!]);
    }
  }
  return out;
}

const distinct = (xs: [number, number, string][]) => new Set(xs.map((x) => x[0])).size;
const accepted = (xs: [number, number, string][]) => xs.filter((x) => x[2] === "accepted");

describe("Exim's continued delivery: the backlog for a returning host goes down one connection", () => {
  it("300 messages queued at the backup reach the primary over 1 connection, in one queue run", () => {
    const r = drain("exim", 300, "6h");
    const got = accepted(connectionsTo(r, "s.example.com", "p.example.com"));
    const relayed = Array.from({ length: r.messages.count }, (_, m) => m).filter((m) => r.nodes[r.messages.holder[m]!]!.name === "p.example.com" && r.messages.path[m] === PATH_VIA_SECONDARY);
    expect(relayed.length).toBeGreaterThan(250);
    expect(got.length).toBe(relayed.length);
    expect(distinct(got)).toBe(1);
    for (let m = 0; m < r.messages.count; m++) expect(r.messages.outcome[m]).toBe(DELIVERED);
  });

  it("connection_max_messages caps a connection: the queue runner's next message opens the next one (⌈N/limit⌉)", () => {
    for (const [limit, n] of [[100, 360], [500, 612]] as const) {
      const r = drain(`{ name: exim, connection_max_messages: ${limit} }`, n, "10h");
      const got = accepted(connectionsTo(r, "s.example.com", "p.example.com"));
      const byConn = new Map<number, number>();
      for (const [c] of got) byConn.set(c, (byConn.get(c) ?? 0) + 1);
      expect(Math.max(...byConn.values())).toBeLessThanOrEqual(limit);
      expect(byConn.size).toBe(Math.ceil(got.length / limit));
    }
  });

  it("connection_max_messages 1: one connection per message, as qmail", () => {
    const exim1 = accepted(connectionsTo(drain("{ name: exim, connection_max_messages: 1 }", 200, "6h"), "s.example.com", "p.example.com"));
    expect(distinct(exim1)).toBe(exim1.length);
    const qmail = accepted(connectionsTo(drain("qmail", 200, "6h"), "s.example.com", "p.example.com"));
    expect(qmail.length).toBeGreaterThan(100);
    expect(distinct(qmail)).toBe(qmail.length);
  });

  it("a reused connection is counted once: RunResult.connections equals the distinct numbers in the log", () => {
    const r = drain("exim", 300, "6h");
    const p = r.nodes.findIndex((x) => x.name === "p.example.com");
    const a = r.attempts!;
    const ids = new Set<number>();
    const opened = new Set<number>();
    for (let k = 0; k < a.connCount; k++) {
      if (a.connHost[k] !== p || a.connId[k]! < 0) continue;
      ids.add(a.connId[k]!);
      if (!["refused", "timeout"].includes(CONNECTION_RESULTS[a.connResult[k]!]!)) opened.add(a.connId[k]!);
    }
    expect(r.connections.attempted[p]).toBe(ids.size);
    expect(r.connections.opened[p]).toBe(opened.size);
    expect(ids.size).toBeLessThan(a.connCount);
  });

  it("a message greylisted on the continued connection is deferred there and ends the chain", () => {
    const r = simulate(
      model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], greylisting: 5m, outages: [{ start: 0s, duration: 2h, mode: refused }] }
senders:
  a.test: { to: example.com, at: [0s, 60s, 120s], mta: exim }
`),
    );
    // All three wait for p; at the first run after p returns, the first is greylisted (no chain: not completed),
    // each retries on its own, and the first accepted one carries the others only if they are past their greylisting.
    const conns = connectionsTo(r, "a.test", "p.example.com");
    expect(conns.some(([, , res]) => res === "rcpt-4xx")).toBe(true);
    for (let m = 0; m < 3; m++) expect(r.messages.outcome[m]).toBe(DELIVERED);
  });
});

describe("the wait-<transport> database (transport.c)", () => {
  it("records of 50: 100 ids listed 1…100 come back 51…100, then 1…50", () => {
    const db = new EximWaitDb();
    const hosts = Int32Array.of(7);
    for (let m = 1; m <= 100; m++) db.add(m, hosts, 1);
    const out = [];
    for (let m = db.next(7, () => true); m >= 0; m = db.next(7, () => true)) out.push(m);
    expect(WAIT_NAME_MAX).toBe(50);
    expect(out).toEqual([...Array.from({ length: 50 }, (_, i) => 51 + i), ...Array.from({ length: 50 }, (_, i) => 1 + i)]);
  });

  it("a message is listed once per host, for every host of its list; messages no longer queued are dropped", () => {
    const db = new EximWaitDb();
    db.add(1, Int32Array.of(3, 4), 2);
    db.add(1, Int32Array.of(3, 4), 2);
    db.add(2, Int32Array.of(3, 4), 2);
    expect([db.size(3), db.size(4)]).toEqual([2, 2]);
    expect(db.next(3, (m) => m !== 1)).toBe(2);
    expect(db.next(3, () => true)).toBe(-1);
    expect(db.next(4, () => true)).toBe(1);
  });

  it("a deferral after a RCPT 4xx does not list the message (update_waiting is cleared); connection_max_messages 1 lists nothing", () => {
    const hints = EXIM.memory(EXIM_DEFAULTS, { servers: 2, domains: 1, stream: () => () => 0 }) as EximHints;
    const walk = { tried: 1, skipped: 0, skippedExpired: 0, triedExpired: 0, siteFailure: false };
    hints.deferredFor(1, Int32Array.of(0), 1, walk);
    expect(hints.waiting.size(0)).toBe(0);
    hints.deferredFor(1, Int32Array.of(0), 1, { ...walk, siteFailure: true });
    expect(hints.waiting.size(0)).toBe(1);
    const one = EXIM.memory({ ...EXIM_DEFAULTS, connection_max_messages: 1 }, { servers: 2, domains: 1, stream: () => () => 0 }) as EximHints;
    one.deferredFor(1, Int32Array.of(0), 1, { ...walk, siteFailure: true });
    expect(one.waiting.size(0)).toBe(0);
  });
});

describe("the wait database after it was used up", () => {
  it("a host whose records were all taken lists new messages again", () => {
    const db = new EximWaitDb();
    db.add(1, Int32Array.of(3), 1);
    expect(db.next(3, () => true)).toBe(1);
    expect(db.next(3, () => true)).toBe(-1);
    db.add(2, Int32Array.of(3), 1);
    expect(db.next(3, () => true)).toBe(2);
  });
});

describe("Sendmail within one queue run (mci.c): cached connections and host status", () => {
  it("a backlog at a Sendmail backup drains over one connection per queue run; ConnectionCacheSize 0: one per message", () => {
    const r = drain("sendmail", 200, "6h");
    const at = new Map<number, Set<number>>();
    const a = r.attempts!;
    const s = r.nodes.findIndex((x) => x.name === "s.example.com");
    for (let i = 0; i < a.count; i++) {
      if (a.node[i] !== s || ATTEMPT_RESULTS[a.result[i]!] !== "delivered") continue;
      const k = a.connEnd[i]! - 1;
      (at.get(a.start[i]!) ?? at.set(a.start[i]!, new Set()).get(a.start[i]!)!).add(a.connId[k]!);
    }
    // The run at 6 h (the first after p returns) carries the backlog: over one connection.
    const run = at.get(21600)!;
    expect(run.size).toBe(1);
    const relayedAtRun = accepted(connectionsTo(r, "s.example.com", "p.example.com")).filter(([c]) => run.has(c)).length;
    expect(relayedAtRun).toBeGreaterThan(100);
    const off = accepted(connectionsTo(drain("{ name: sendmail, connection_cache_size: 0 }", 200, "6h"), "s.example.com", "p.example.com"));
    expect(distinct(off)).toBe(off.length);
  });

  it("a host that failed earlier in the run is skipped by the run's later messages; a message's first attempt (its own process) still tries it", () => {
    // p drops SYNs all day; s refuses for the first hour. At the run of 1 h the first message waits Timeout.connect on p,
    // the others skip p (host status) and go straight to s.
    const r = simulate(
      model(`
name: t
duration: 3h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1d, mode: timeout }] }
  s.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1h, mode: refused }] }
senders:
  a.test: { to: example.com, at: [${Array.from({ length: 10 }, (_, i) => `${i * 60}s`).join(", ")}], mta: sendmail }
`),
    );
    const tries = connectionsTo(r, "a.test", "p.example.com");
    const a = r.attempts!;
    const startOf = new Map<number, number>();
    for (let i = 0; i < a.count; i++) for (let k = firstConn(a, i); k < a.connEnd[i]!; k++) startOf.set(a.connId[k]!, a.start[i]!);
    // First attempts (0, 60, … 540 s): each its own process, each waits on p.
    expect(tries.filter(([c]) => startOf.get(c)! < 600).length).toBe(10);
    // The run at 3600 s: one message pays the timeout on p; the other nine are delivered by s without touching p.
    expect(tries.filter(([c]) => startOf.get(c) === 3600).length).toBe(1);
    for (let m = 0; m < 10; m++) expect(r.messages.outcome[m]).toBe(DELIVERED);
  });
});

describe("OpenSMTPD's sessions (mta_session.c): the next task of the relay goes down the session", () => {
  const burst = (times: string[], mta = "opensmtpd") =>
    simulate(
      model(`
name: t
duration: 1h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com] }
senders:
  a.test: { to: example.com, at: [${times.join(", ")}], mta: ${mta} }
`),
    );

  it("messages within session_keepalive of each other share a session, up to session_mail_max", () => {
    const close = accepted(connectionsTo(burst(Array.from({ length: 250 }, () => "0s")), "a.test", "p.example.com"));
    expect(close.length).toBe(250);
    expect(distinct(close)).toBe(3);
    const apart = accepted(connectionsTo(burst(["0s", "11s", "22s"]), "a.test", "p.example.com"));
    expect(distinct(apart)).toBe(3);
    const near = accepted(connectionsTo(burst(["0s", "10s", "20s"]), "a.test", "p.example.com"));
    expect(distinct(near)).toBe(1);
    const one = accepted(connectionsTo(burst(["0s", "1s"], "{ name: opensmtpd, session_mail_max: 1 }"), "a.test", "p.example.com"));
    expect(distinct(one)).toBe(2);
  });
});
