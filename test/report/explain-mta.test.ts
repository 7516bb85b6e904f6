/**
 * The sentences of `explain` that depend on the MTA come from the registry
 * (each MTA's info and failover table), not from checks of its name: each is
 * said where the MTA at hand does what it describes, and only there.
 */
import { describe, expect, it } from "vitest";
import { attemptsOf } from "../../src/core/records.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { explain } from "../../src/report/explain.js";
import { twoMx } from "../helpers.js";

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
