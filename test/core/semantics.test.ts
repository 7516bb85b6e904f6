import { describe, expect, it } from "vitest";
import { BOUNCED, DELIVERED } from "../../src/core/message-table.js";
import { BOUNCE_REASONS, CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { simulate } from "../../src/core/simulate.js";
import { model } from "../helpers.js";

const reasonOf = (r: ReturnType<typeof simulate>, m: number) => BOUNCE_REASONS[r.messages.reason[m]!];

describe("MX semantics (RFC 5321 §5.1, RFC 7505; docs/model.md#the-walk-over-the-mx-hosts)", () => {
  it("R1: a domain with no MX records but an address gets an implicit MX of preference 0", () => {
    const r = simulate(
      model(`
name: t
duration: 1d
dns:
  example.org: { a: mail.example.org }
servers:
  mail.example.org: { role: mailbox, domains: [example.org] }
senders:
  a.test: { to: example.org, at: [0s] }
`),
    );
    expect(r.model.domains[0]).toMatchObject({ implicit: true, mx: [{ preference: 0, server: 0 }] });
    expect(r.messages.outcome[0]).toBe(DELIVERED);
  });

  it("R1: when MX records exist the domain's address is not used", () => {
    const m = model(`
name: t
duration: 1d
dns:
  example.org: { mx: [{ preference: 10, host: mx.example.org }], a: www.example.org }
servers:
  mx.example.org: { role: mailbox, domains: [example.org] }
  www.example.org: { role: mailbox, domains: [example.org] }
senders:
  a.test: { to: example.org, at: [0s] }
`);
    const r = simulate(m);
    expect(r.nodes[r.messages.holder[0]!]!.name).toBe("mx.example.org");
  });

  it.each(["qmail", "postfix", "exim"])("R4: a null MX bounces at once with no connection and no retries (%s)", (mta) => {
    const r = simulate(
      model(`
name: t
duration: 8d
dns:
  example.net: { mx: [{ preference: 0, host: "." }] }
servers:
  other.test: { role: mailbox, domains: [example.net] }
senders:
  a.test: { to: example.net, at: [0s], mta: ${mta} }
`),
    );
    expect(r.messages.outcome[0]).toBe(BOUNCED);
    expect(r.messages.done[0]).toBe(0);
    expect(reasonOf(r, 0)).toBe("null-mx");
    expect(r.attempts!.connCount).toBe(0);
    expect(r.attempts!.count).toBe(1);
  });
});

const BACKSCATTER = (validation: boolean) => `
name: spam
duration: 3d
dns:
  blyx.com: { mx: [{ preference: 10, host: fcmx1.blyx.com }, { preference: 20, host: fcmx2.blyx.com }] }
servers:
  fcmx1.blyx.com: { role: mailbox, domains: [blyx.com], outages: [{ start: 0s, duration: 12h }] }
  fcmx2.blyx.com:
    role: relay
    relay_domains: [blyx.com]
    routes: { blyx.com: fcmx1.blyx.com }
    recipient_validation: ${validation}
senders:
  spammer.test: { to: blyx.com, rate: 30/h, forged: true, invalid_recipients: 0.5 }
`;

describe("bounces, warnings and backscatter (docs/model.md#relays, RFC 5321 §6.1)", () => {
  it("a backup MX without recipient validation accepts mail for unknown users and later bounces it to the forged sender", () => {
    const r = simulate(model(BACKSCATTER(false)));
    let byRelay = 0;
    for (let m = 0; m < r.messages.count; m++) {
      if (r.messages.outcome[m] === BOUNCED) {
        expect(reasonOf(r, m)).toBe("unknown-user");
        if (r.nodes[r.messages.holder[m]!]!.name === "fcmx2.blyx.com") byRelay++;
      }
    }
    expect(byRelay).toBeGreaterThan(50);
    expect(r.notices.backscatter).toBe(byRelay);
  });

  it("with recipient validation the backup rejects them at RCPT: bounces stay with the sender, no backscatter", () => {
    const r = simulate(model(BACKSCATTER(true)));
    expect(r.notices.failed).toBeGreaterThan(50);
    expect(r.notices.backscatter).toBe(0);
    const a = r.attempts!;
    let unknownAtRelay = 0;
    for (let k = 0; k < a.connCount; k++) {
      if (CONNECTION_RESULTS[a.connResult[k]!] === "unknown-user" && r.nodes[a.connHost[k]!]!.name === "fcmx2.blyx.com") unknownAtRelay++;
    }
    expect(unknownAtRelay).toBeGreaterThan(50);
  });
});

describe("admin actions", () => {
  const flushScenario = (actions: string) => `
name: flush
duration: 3d
dns:
  blyx.com: { mx: [{ preference: 10, host: fcmx1.blyx.com }, { preference: 20, host: fcmx2.blyx.com }] }
servers:
  fcmx1.blyx.com: { role: mailbox, domains: [blyx.com], outages: [{ start: 0s, duration: 36h }] }
  fcmx2.blyx.com: { role: relay, relay_domains: [blyx.com], routes: { blyx.com: fcmx1.blyx.com } }
senders:
  hotmail.com: { to: blyx.com, rate: 20/h }
actions: ${actions}
`;

  it("a flush when the primary returns (qmailctl flush) delivers the whole queue at once", () => {
    const without = simulate(model(flushScenario("[]")));
    const withFlush = simulate(model(flushScenario("[{ at: 36h, flush: fcmx2.blyx.com }]")));
    // Same arrivals, same seed.
    expect(withFlush.messages.count).toBe(without.messages.count);
    let queuedAtReturn = 0;
    for (let m = 0; m < withFlush.messages.count; m++) {
      if (withFlush.messages.created[m]! < 36 * 3600) {
        queuedAtReturn++;
        expect(withFlush.messages.done[m]).toBe(36 * 3600);
        expect(without.messages.done[m]!).toBeGreaterThanOrEqual(36 * 3600);
      }
    }
    expect(queuedAtReturn).toBeGreaterThan(500);
    const drain = (r: ReturnType<typeof simulate>) => r.queues.drains.find((d) => r.queues.series[d.series]!.kind === "relay")!;
    expect(drain(withFlush).drainedAt - drain(withFlush).from).toBe(0);
    expect(drain(without).drainedAt - drain(without).from).toBeGreaterThan(3600);
  });

  it("a flush during the outage retries everything once and then each message goes back to its schedule", () => {
    const r = simulate(model(flushScenario("[{ at: 10h, flush: fcmx2.blyx.com }]")));
    const a = r.attempts!;
    let atFlush = 0;
    for (let i = 0; i < a.count; i++) if (a.start[i] === 36000 && r.nodes[a.node[i]!]!.name === "fcmx2.blyx.com") atFlush++;
    expect(atFlush).toBeGreaterThan(150);
    expect(r.messages.outcome.subarray(0, r.messages.count).every((o) => o === DELIVERED)).toBe(true);
  });
  it("a flush whose retry lands on the time already scheduled makes one attempt there, not two", () => {
    // OpenSMTPD retries on birth + 400·n²: after a flush at 20 h the next grid point is the one that was
    // already pending (78400 s), so the pending retry and the re-scheduled one fall on the same second.
    const r = simulate(
      model(`
name: t
duration: 23h
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1d }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com }, mta: opensmtpd }
senders:
  a.test: { to: example.com, at: [0s] }
actions: [{ at: 20h, flush: s.example.com }]
`),
    );
    const a = r.attempts!;
    const relay = [];
    for (let i = 0; i < a.count; i++) if (r.nodes[a.node[i]!]!.name === "s.example.com") relay.push(a.start[i]);
    // The grid 400·n² up to 23 h, and the flush.
    const grid = Array.from({ length: 15 }, (_, n) => 400 * n * n).filter((t) => t < 23 * 3600);
    expect(relay).toEqual([...grid, 72000].sort((x, y) => x - y));
  });
});

describe("server capacity", () => {
  it("a server at its session limit answers 421: a qmail sender defers, a Postfix sender moves on", () => {
    const scenario = (mta: string) => `
name: cap
duration: 1d
dns:
  blyx.com: { mx: [{ preference: 10, host: p.blyx.com }, { preference: 20, host: s.blyx.com }] }
servers:
  p.blyx.com: { role: mailbox, domains: [blyx.com], capacity: 1, session_time: 10s }
  s.blyx.com: { role: relay, relay_domains: [blyx.com], routes: { blyx.com: p.blyx.com } }
senders:
  a.test: { to: blyx.com, at: [0s, 5s, 20s], mta: ${mta} }
`;
    const q = simulate(model(scenario("qmail")));
    const busy = CONNECTION_RESULTS.indexOf("busy");
    expect(q.attempts!.connResult[1]).toBe(busy); // the message at 5 s finds the one slot taken until 10 s
    expect(q.messages.done[1]).toBe(405); // deferred, retried 400 s later
    expect(q.messages.done[2]).toBe(20); // the slot is free again
    const p = simulate(model(scenario("postfix")));
    expect(p.nodes[p.attempts!.host[1]!]!.name).toBe("s.blyx.com");
  });
});

describe("greylisting (docs/model.md#greylisting, postgrey --delay=300)", () => {
  const scenario = (mta: string) => `
name: grey
duration: 1d
dns:
  blyx.com: { mx: [{ preference: 10, host: p.blyx.com }, { preference: 20, host: s.blyx.com }] }
servers:
  p.blyx.com: { role: mailbox, domains: [blyx.com], greylisting: 5m }
  s.blyx.com: { role: relay, relay_domains: [blyx.com], routes: { blyx.com: p.blyx.com }, mta: postfix }
senders:
  a.test: { to: blyx.com, at: [0s], mta: ${mta} }
`;
  it("a qmail sender is greylisted, defers, and its retry 400 s later is accepted", () => {
    const r = simulate(model(scenario("qmail")));
    expect(r.messages.done[0]).toBe(400);
    expect(r.nodes[r.messages.holder[0]!]!.name).toBe("p.blyx.com");
  });
  it("a Postfix sender hands the message to the backup, which is greylisted in turn and delivers 300 s later", () => {
    const r = simulate(model(scenario("postfix")));
    const a = r.attempts!;
    expect(r.nodes[a.host[0]!]!.name).toBe("s.blyx.com"); // the first attempt ends at the backup
    expect(CONNECTION_RESULTS[a.connResult[0]!]).toBe("rcpt-4xx");
    expect(r.messages.done[0]).toBe(300);
    expect(r.messages.path[0]).toBe(2); // via the secondary
  });
});

describe("a flapping server (random MTBF/MTTR failures)", () => {
  const flapping = `
name: flap
duration: 7d
dns:
  blyx.com: { mx: [{ preference: 10, host: p.blyx.com }] }
servers:
  p.blyx.com:
    role: mailbox
    domains: [blyx.com]
    outages: [{ start: 3d, duration: 6h }]
    flapping: { up: 4h, down: 15m }
senders:
  a.test: { to: blyx.com, rate: 10/h }
`;
  it("draws down periods from the run's streams around the fixed windows, the same for the same seed", () => {
    const a = simulate(model(flapping));
    const w = a.outages[0]!;
    // About 7 days / (4h + 15m) ≈ 40 failures.
    expect(w.length).toBeGreaterThan(25);
    expect(w.length).toBeLessThan(60);
    for (let i = 1; i < w.length; i++) expect(w[i]!.start).toBeGreaterThanOrEqual(w[i - 1]!.end);
    expect(w).toContainEqual({ start: 3 * 86400, end: 3 * 86400 + 6 * 3600, mode: "refused" });
    expect(simulate(model(flapping)).outages).toEqual(a.outages);
    expect(simulate(model(flapping), { seed: 99 }).outages).not.toEqual(a.outages);
  });
});

describe("a cluster behind a load balancer (docs/model.md#load-balancers)", () => {
  const cluster = (node1: string) => `
name: lvs
duration: 1d
dns:
  blyx.com: { mx: [{ preference: 10, host: mx.blyx.com }] }
servers:
  mx.blyx.com: { role: balancer, members: [node1.blyx.com, node2.blyx.com] }
  node1.blyx.com: { role: mailbox, domains: [blyx.com], outages: [{ start: 0s, duration: 1d, mode: ${node1} }] }
  node2.blyx.com: { role: mailbox, domains: [blyx.com] }
senders:
  a.test: { to: blyx.com, rate: 30/h }
`;
  it("the TCP health check takes a refusing node out: every message is delivered directly by the other", () => {
    const r = simulate(model(cluster("refused")));
    for (let m = 0; m < r.messages.count; m++) {
      expect(r.messages.path[m]).toBe(1);
      expect(r.nodes[r.messages.holder[m]!]!.name).toBe("node2.blyx.com");
    }
  });
  it("a node that accepts TCP but answers 421 passes the check and still gets connections", () => {
    const r = simulate(model(cluster("greeting-4xx")));
    let busyNode1 = 0;
    for (let k = 0; k < r.attempts!.connCount; k++) {
      if (r.nodes[r.attempts!.connHost[k]!]!.name === "node1.blyx.com") busyNode1++;
    }
    // About half of the connections land on the broken node; qmail senders defer them.
    expect(busyNode1).toBeGreaterThan(r.messages.count / 4);
    expect(r.messages.outcome.subarray(0, r.messages.count).every((o) => o === DELIVERED || o === 0)).toBe(true);
  });
});
