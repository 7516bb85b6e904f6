/**
 * The sentences of `explain` that depend on the MTA come from the registry
 * (each MTA's info and failover table), not from checks of its name: each is
 * said where the MTA at hand does what it describes, and only there.
 */
import { describe, expect, it } from "vitest";
import { attemptsOf } from "../../src/core/records.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { explain } from "../../src/report/explain.js";
import { model, twoMx } from "../helpers.js";

/** The first message for which `pick` holds of one of its attempts, and its story. */
function storyWhere(run: RunResult, pick: (a: ReturnType<typeof attemptsOf>[number]) => boolean): string {
  for (let m = 0; m < run.messages.count; m++) {
    if (attemptsOf(run, m).some(pick)) return explain(run, m).join("\n");
  }
  throw new Error("no message has such an attempt");
}

const sender = (mta: string, rate = "60/h") => `  s.example.org: { to: example.com, rate: ${rate}, mta: ${mta} }`;

describe("explain's MTA sentences", () => {
  it("a Postfix backup's deferral without a connection is its dead destination ('delivery temporarily suspended')", () => {
    // The backup's route to the refusing primary fails at connect: when a cohort of such failures adds up (messages due
    // at the same scan), the destination is dead for minimal_backoff_time and the others are deferred without a connection.
    const run = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 1d, mode: refused }]", relayMta: "postfix", senders: sender("qmail"), duration: "2d" }));
    const story = storyWhere(run, (a) => a.by === "s.example.com" && a.connections.length === 0 && a.result === "deferred");
    expect(story).toContain('no connection: the destination is dead after a cohort of site failures ("delivery temporarily suspended").');
  });

  it("a Postfix attempt that waited for a slot of its destination queue says so, and an attempt on time does not", () => {
    // The primary never greets: each delivery holds its slot for smtp_helo_timeout (300 s) before the backup takes it,
    // and a message every 30 s soon finds all 5 slots taken.
    const run = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 1d, mode: silent }]", senders: sender("postfix", "120/h"), duration: "2h" }));
    const stories = Array.from({ length: run.messages.count }, (_, m) => explain(run, m).join("\n"));
    const waited = stories.filter((t) => t.includes("waited: the destination already had as many deliveries in flight"));
    expect(waited.length).toBeGreaterThan(0);
    expect(stories[0]).not.toContain("waited:");
  });

  it("a host an Exim sender skips is one its retry hint remembers as down, named as Exim names it (not qmail's tcpto)", () => {
    const run = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 1d, mode: refused }]", senders: sender("exim"), duration: "2d" }));
    const story = storyWhere(run, (a) => a.connections.some((c) => c.result === "skipped"));
    expect(story).toContain("not contacted: it remembers this host as down (Exim's retry hint).");
    expect(story).not.toContain("tcpto");
    expect(story).toContain("Exim goes on to the next host without waiting.");
  });

  it("'does not try another MX' is said of qmail after a 421 greeting, not of Postfix, which moves on", () => {
    const outage = "[{ start: 0s, duration: 1d, mode: greeting-4xx }]";
    const qmail = simulate(twoMx({ primaryOutages: outage, senders: sender("qmail"), duration: "2d" }));
    const qStory = storyWhere(qmail, (a) => a.connections.some((c) => c.result === "greeting-4xx"));
    expect(qStory).toContain("The TCP connection succeeded, so qmail does not try another MX: it only fails over when it cannot connect at all.");

    const postfix = simulate(twoMx({ primaryOutages: outage, relayMta: "postfix", senders: sender("postfix"), duration: "2d" }));
    const pStory = storyWhere(postfix, (a) => a.connections.some((c) => c.result === "greeting-4xx"));
    expect(pStory).toContain("Postfix treats this as a temporary error at this host and tries the next MX in the same attempt.");
    expect(pStory).not.toContain("does not try another MX");
  });
});

describe("explain's sentences for a provider's sender", () => {
  it("names its retries and give-up with the kind of source of each, or that the scenario set them", () => {
    const run = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 2d, mode: refused }]", secondary: false, senders: sender("microsoft365", "2/h"), duration: "3d" }));
    const story = explain(run, 0).join("\n");
    expect(story).toContain("Microsoft 365 retries every 15m [documented: EOP service description");
    expect(story).toContain("and gives up after about 24 h [documented: EOP limits");
    expect(story).toContain("Microsoft 365 gave up 24 h after the message was sent.");
    const set = simulate(twoMx({ secondary: false, senders: sender('{ name: gmail, give_up: 48h, retry: "10m, 1h" }', "2/h"), duration: "1d" }));
    expect(explain(set, 0).join("\n")).toContain("Gmail retries after 10m, 1h (then the last interval repeats) [set in the scenario], and gives up after about 48 h [set in the scenario].");
  });

  it("says which of its sending addresses each attempt comes from (what a greylisting server sees)", () => {
    const pool = "  s.example.org: { to: example.com, at: [0s, 10m], mta: { name: amazon-ses, ips: 4, ip_subnets: 2 } }";
    const run = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 1h, mode: refused }]", secondary: false, senders: pool, duration: "1d" }));
    const story = explain(run, 1).join("\n");
    // Message 1 goes round the pool from its second address: attempt k from address (1 + k − 1) mod 4, network address mod 2.
    expect(story).toContain("It connects from sending address 2 of its 4 (in network 2 of 2).");
    // The identical deferrals that follow are told as one step, which says the addresses go round.
    expect(story).toMatch(/tries \d+ more times on Amazon SES's schedule, .*, each from the next of its 4 sending addresses; each time/);
    // A classic MTA sends from one address: nothing is said.
    expect(explain(simulate(twoMx({ secondary: false, senders: sender("postfix", "1/h"), duration: "1d" })), 0).join("\n")).not.toContain("sending address");
  });
});

describe("explain names a backup's route as its MTA writes it", () => {
  const cases: [string, string][] = [
    ["qmail", "in qmail's terms control/smtproutes: example.com:p.example.com"],
    ["postfix", "in Postfix's terms transport_maps: example.com smtp:[p.example.com]"],
    ["exim", "in Exim's terms a manualroute router: route_list = example.com p.example.com"],
    ["sendmail", "in Sendmail's terms mailertable: example.com esmtp:[p.example.com]"],
    ["opensmtpd", 'in OpenSMTPD\'s terms smtpd.conf: action "relay" relay host smtp://p.example.com and match for domain example.com action "relay"'],
    ["exchange", "in Exchange's terms a Send connector for example.com with the smart host p.example.com"],
  ];
  it.each(cases)("%s", (mta, words) => {
    const run = simulate(twoMx({ primaryOutages: "[{ start: 0s, duration: 2h, mode: refused }]", relayMta: mta, senders: sender("qmail", "10/h"), duration: "1d" }));
    expect(storyWhere(run, (a) => a.by === "s.example.com")).toContain(`forwards it to p.example.com (its static route, ${words}).`);
  });
});

describe("explain's sentences for spam software", () => {
  it("says spam software aims at the backup instead of 'the lowest preference is tried first', and explains the forged sender once", () => {
    const run = simulate(
      twoMx({ senders: "  bot.example: { to: example.com, rate: 6/h, forged: true, invalid_recipients: 1, target: lowest-priority, retries: false }", duration: "1d" }),
    );
    const story = explain(run, 0).join("\n");
    expect(story).toContain("(spam software, not a mail server; its envelope sender is forged, so a bounce or warning sent to it lands on an innocent third party)");
    expect(story).toContain("this spam software goes straight to the highest number, the backup");
    expect(story).not.toContain("The lowest preference is tried first");
    expect(story).toContain("sends a bounce to the message's envelope sender, not to bot.example");
    expect(story.match(/forged/g)).toHaveLength(2);
  });

  it("a spam sender that aims like an MTA but never retries is told it drops what is not accepted", () => {
    const run = simulate(twoMx({ senders: "  bot.example: { to: example.com, rate: 6/h, forged: true, retries: false }", duration: "1d" }));
    expect(explain(run, 0).join("\n")).toContain("The lowest preference is tried first; this spam software does not retry: a message not accepted at once is dropped.");
  });
});

describe("explain tells a flush as a step", () => {
  it("names the MTA's own command, and how early the flush came", () => {
    const run = simulate(
      model(`
name: f
duration: 2d
actions: [{ at: 5h, flush: s.example.com }]
dns:
  example.com:
    mx: [{ preference: 10, host: p.example.com }, { preference: 20, host: s.example.com }]
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 10h }] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com }, mta: postfix }
senders:
  q.example.org: { to: example.com, at: [1h], mta: qmail }
`),
    );
    const story = explain(run, 0).join("\n");
    expect(story).toMatch(/At [^\n]* the administrator flushes s\.example\.com's queue \(Postfix: postqueue -f\): every queued message is tried now, this one [^\n]* before its next retry was due\./);
  });
});
