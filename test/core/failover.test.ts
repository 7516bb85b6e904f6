import { describe, expect, it } from "vitest";
import { ATTEMPT_RESULTS, BOUNCE_REASONS, CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { BOUNCED, DELIVERED, PATH_DIRECT, PATH_SENDER_RETRY, PATH_VIA_SECONDARY } from "../../src/core/message-table.js";
import { model, twoMx } from "../helpers.js";

/** The connections of attempt `i`, as "host result". */
function connections(r: RunResult, i: number): string[] {
  const a = r.attempts!;
  const out: string[] = [];
  for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) {
    out.push(`${r.nodes[a.connHost[k]!]!.name} ${CONNECTION_RESULTS[a.connResult[k]!]}`);
  }
  return out;
}

const oneMessageAt1h = "  a.test: { to: example.com, at: [1h] }";

describe("failover happens only when the connection fails (docs/model.md#qmail)", () => {
  it("Q7: primary refuses TCP → delivered to the secondary in the same attempt", () => {
    const r = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 2h, mode: refused }]", senders: oneMessageAt1h }));
    expect(connections(r, 0)).toEqual(["p.example.com refused", "s.example.com accepted"]);
    expect(ATTEMPT_RESULTS[r.attempts!.result[0]!]).toBe("relayed");
    expect(r.attempts!.end[0]).toBe(3600);
    // The secondary delivers once the primary is back: its first retry after 2h is at 3600 + 3600.
    expect(r.messages.outcome[0]).toBe(DELIVERED);
    expect(r.messages.path[0]).toBe(PATH_VIA_SECONDARY);
    expect(r.messages.done[0]).toBe(7200);
  });

  it("Q7: primary blackholed → the secondary is tried after qmail's 60 s connect timeout", () => {
    const r = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 2h, mode: timeout }]", senders: oneMessageAt1h }));
    expect(connections(r, 0)).toEqual(["p.example.com timeout", "s.example.com accepted"]);
    expect(r.attempts!.end[0]).toBe(3600 + 60);
    // The secondary took it at 3660, so its schedule counts from there.
    expect(r.messages.birth[0]).toBe(3660);
  });

  it("Q7: primary answers 421 (saturated) → qmail defers and does not try the secondary", () => {
    const r = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 2h, mode: greeting-4xx }]", senders: oneMessageAt1h }));
    expect(connections(r, 0)).toEqual(["p.example.com greeting-4xx"]);
    expect(ATTEMPT_RESULTS[r.attempts!.result[0]!]).toBe("deferred");
    // Retried from the sender's own queue at the next grid point after the primary recovers.
    expect(r.messages.path[0]).toBe(PATH_SENDER_RETRY);
    expect(r.messages.done[0]).toBe(3600 + 3600);
    for (let i = 0; i < r.attempts!.count; i++) expect(connections(r, i).join()).not.toContain("s.example.com");
  });

  it("a reachable primary is the only host contacted: the secondary never sees mail", () => {
    const r = simulate(twoMx({ senders: "  a.test: { to: example.com, rate: 60/h }", duration: "1d" }));
    expect(r.messages.count).toBeGreaterThan(1000);
    for (let i = 0; i < r.attempts!.count; i++) expect(connections(r, i)).toEqual(["p.example.com accepted"]);
    for (let m = 0; m < r.messages.count; m++) expect(r.messages.path[m]).toBe(PATH_DIRECT);
  });

  it("when every MX refuses, the message waits in the sender's queue and follows the sender's schedule", () => {
    const r = simulate(
      twoMx({
        primaryOutages: "[{ start: 0s, duration: 3h }]",
        secondaryOutages: "[{ start: 0s, duration: 3h }]",
        senders: "  a.test: { to: example.com, at: [0s] }",
      }),
    );
    expect(connections(r, 0)).toEqual(["p.example.com refused", "s.example.com refused"]);
    // Attempts at 0, 400, 1600, 3600, 6400, 10000 (primary back at 10800), then 14400.
    expect(r.messages.done[0]).toBe(14400);
    expect(r.messages.path[0]).toBe(PATH_SENDER_RETRY);
  });
});

describe("MX semantics (RFC 5321 §5.1, docs/model.md#the-walk-over-the-mx-hosts)", () => {
  it("R2: a relay without a route drops its own MX and every worse one, so it only tries the primary", () => {
    const m = model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }, { preference: 30, host: t.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1h }] }
  s.example.com: { role: relay, relay_domains: [example.com] }
  t.example.com: { role: relay, relay_domains: [example.com] }
senders:
  a.test: { to: example.com, at: [0s] }
`);
    const r = simulate(m);
    expect(connections(r, 0)).toEqual(["p.example.com refused", "s.example.com accepted"]);
    expect(connections(r, 1)).toEqual(["p.example.com refused"]); // s's own retry: never t, never itself
    expect(r.messages.done[0]).toBe(3600);
  });

  it("R2: a relay that is the best MX and has no route bounces the message (perm_ambigmx #5.4.6)", () => {
    const m = model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: s.example.com }] }
servers:
  s.example.com: { role: relay, relay_domains: [example.com] }
senders:
  a.test: { to: example.com, at: [0s] }
`);
    const r = simulate(m);
    expect(r.messages.outcome[0]).toBe(BOUNCED);
    expect(BOUNCE_REASONS[r.messages.reason[0]!]).toBe("no-relay-host");
  });

  it("docs/model.md#relays: a server that does not accept the domain answers 553, a permanent failure: bounce, no next MX", () => {
    const m = model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }, { preference: 30, host: p2.example.com }] }
  other.org: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 1h }] }
  s.example.com: { role: relay, relay_domains: [other.org], routes: { other.org: p.example.com } }
  p2.example.com: { role: mailbox, domains: [example.com] }
senders:
  a.test: { to: example.com, at: [0s] }
`);
    const r = simulate(m);
    expect(connections(r, 0)).toEqual(["p.example.com refused", "s.example.com relay-denied"]);
    expect(r.messages.outcome[0]).toBe(BOUNCED);
    expect(BOUNCE_REASONS[r.messages.reason[0]!]).toBe("not-accepted");
  });

  it("R3: hosts of equal preference come first about half the time each, from a seeded stream", () => {
    const m = model(`
name: t
duration: 7d
dns:
  example.com: { mx: [{ preference: 10, host: a.example.com }, { preference: 10, host: b.example.com }] }
servers:
  a.example.com: { role: mailbox, domains: [example.com] }
  b.example.com: { role: mailbox, domains: [example.com] }
senders:
  x.test: { to: example.com, rate: 60/h }
`);
    const r = simulate(m);
    let a = 0;
    for (let i = 0; i < r.attempts!.count; i++) if (r.nodes[r.attempts!.host[i]!]!.name === "a.example.com") a++;
    const share = a / r.attempts!.count;
    // About 10,000 lookups: the share is within a few standard errors (0.005) of 1/2.
    expect(share).toBeGreaterThan(0.47);
    expect(share).toBeLessThan(0.53);
    // Same seed, same order.
    const again = simulate(m);
    expect(Array.from(again.attempts!.host.subarray(0, 200))).toEqual(Array.from(r.attempts!.host.subarray(0, 200)));
  });

  it("a loop the validator cannot see (a route to a relay that uses the MX records) stops at the hop limit (qmail-smtpd MAXHOPS 100)", () => {
    const m = model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: r1.example.com }] }
servers:
  r1.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: r2.example.com } }
  r2.example.com: { role: relay, relay_domains: [example.com] }
senders:
  a.test: { to: example.com, at: [0s] }
`);
    const r = simulate(m);
    expect(r.messages.outcome[0]).toBe(BOUNCED);
    expect(BOUNCE_REASONS[r.messages.reason[0]!]).toBe("too-many-hops");
    expect(r.messages.hops[0]).toBe(100);
  });
});
