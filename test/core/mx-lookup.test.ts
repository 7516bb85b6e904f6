/**
 * Which hosts an MTA tries, in what order (RFC 5321 §5.1; docs/model.md#qmail, docs/model.md#the-walk-over-the-mx-hosts, docs/model.md#failure-modes):
 * ascending preference, equal preferences shuffled per lookup, a relay pruning
 * itself and every worse record, a static route replacing the lookup.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orderHosts, relayPlan, senderPlan } from "../../src/core/mx-lookup.js";
import { model } from "../helpers.js";

const m = model(`
name: t
duration: 1d
dns:
  example.com:
    mx:
      - { preference: 30, host: c.example.com }
      - { preference: 10, host: a.example.com }
      - { preference: 20, host: b1.example.com }
      - { preference: 20, host: b2.example.com }
      - { preference: 40, host: d1.example.com }
      - { preference: 40, host: d2.example.com }
  other.org: { mx: [{ preference: 5, host: a.example.com }] }
servers:
  a.example.com: { role: mailbox, domains: [example.com, other.org] }
  b1.example.com: { role: relay, relay_domains: [example.com] }
  b2.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: a.example.com } }
  c.example.com: { role: relay, relay_domains: [example.com, other.org] }
  d1.example.com: { role: relay, relay_domains: [example.com] }
  d2.example.com: { role: relay, relay_domains: [example.com] }
senders:
  s.test: { to: example.com, rate: 1/h }
`);
const idx = (name: string) => m.servers.findIndex((s) => s.name === name);
const names = (hosts: Int32Array) => Array.from(hosts, (h) => m.servers[h]!.name.split(".")[0]);
const EX = m.domains.findIndex((d) => d.name === "example.com");
const ORG = m.domains.findIndex((d) => d.name === "other.org");

describe("host plans", () => {
  it("a sender tries every MX in ascending preference", () => {
    const p = senderPlan(m, EX);
    expect(names(p.hosts)).toEqual(["a", "b1", "b2", "c", "d1", "d2"]);
    expect(Array.from(p.prefs)).toEqual([10, 20, 20, 30, 40, 40]);
    expect(p.via).toBe("mx");
  });

  it("spam software aiming at the backup keeps only the highest preference number, all of its hosts", () => {
    expect(names(senderPlan(m, EX, true).hosts)).toEqual(["d1", "d2"]);
  });

  it("a relay drops its own record and every one of equal or worse preference", () => {
    expect(names(relayPlan(m, idx("c.example.com"), EX).hosts)).toEqual(["a", "b1", "b2"]);
    expect(names(relayPlan(m, idx("b1.example.com"), EX).hosts)).toEqual(["a"]);
    expect(names(relayPlan(m, idx("d2.example.com"), EX).hosts)).toEqual(["a", "b1", "b2", "c"]);
  });

  it("a relay that is not an MX of the domain keeps every record; one that is the best keeps none", () => {
    expect(names(relayPlan(m, idx("c.example.com"), ORG).hosts)).toEqual(["a"]);
    expect(names(relayPlan(m, idx("a.example.com"), EX).hosts)).toEqual([]);
  });

  it("a static route replaces the lookup (qmail control/smtproutes)", () => {
    const p = relayPlan(m, idx("b2.example.com"), EX);
    expect(names(p.hosts)).toEqual(["a"]);
    expect(p.via).toBe("route");
  });
});

describe("orderHosts", () => {
  it("shuffles only within each run of equal preferences, and every order of a run occurs", () => {
    const plan = senderPlan(m, EX);
    const out = new Int32Array(plan.hosts.length);
    const seen = new Set<string>();
    let u = 0.123;
    const stream = () => (u = (u * 9301 + 0.49297) % 1);
    for (let k = 0; k < 200; k++) {
      orderHosts(plan, stream, out);
      const order = names(out);
      expect(order[0]).toBe("a");
      expect(order[3]).toBe("c");
      expect(new Set(order.slice(1, 3))).toEqual(new Set(["b1", "b2"]));
      expect(new Set(order.slice(4, 6))).toEqual(new Set(["d1", "d2"]));
      seen.add(order.join(","));
    }
    expect(seen.size).toBe(4);
  });

  it("draws nothing when all preferences differ, and a uniform draw per position of a run otherwise", () => {
    let draws = 0;
    const stream = () => {
      draws++;
      return 0.5;
    };
    const distinct = { hosts: Int32Array.of(3, 1, 2), prefs: Int32Array.of(1, 2, 3), via: "mx" as const };
    expect(orderHosts(distinct, stream, new Int32Array(3))).toBe(3);
    expect(draws).toBe(0);
    // Fisher–Yates over a run of four: three draws.
    const run = { hosts: Int32Array.of(0, 1, 2, 3), prefs: Int32Array.of(5, 5, 5, 5), via: "mx" as const };
    orderHosts(run, stream, new Int32Array(4));
    expect(draws).toBe(3);
  });

  it("a permutation of the plan, whatever the stream", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }), fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 8, maxLength: 8 }), (prefs, us) => {
        prefs.sort((a, b) => a - b);
        const plan = { hosts: Int32Array.from(prefs, (_, i) => i), prefs: Int32Array.from(prefs), via: "mx" as const };
        let k = 0;
        const out = new Int32Array(prefs.length);
        orderHosts(plan, () => us[k++ % us.length]!, out);
        const order = Array.from(out);
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from(plan.hosts));
        // Preferences stay in ascending order.
        expect(order.map((h) => prefs[h])).toEqual(prefs);
      }),
    );
  });
});
