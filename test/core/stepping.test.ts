/**
 * A run can be driven in pieces (Simulation.step / runUntil), as a page that
 * animates it would: the pieces must add up to exactly the run that
 * simulate() makes in one go, and runUntil(t) must stop before time t.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AttemptLog } from "../../src/core/attempt-log.js";
import type { Model } from "../../src/core/model.js";
import { Simulation, simulate, type RunResult } from "../../src/core/simulate.js";
import { model } from "../helpers.js";

const scenario = (file: string): Model => model(readFileSync(`scenarios/${file}`, "utf8"));

/** Everything a run leaves behind, as plain arrays: messages, attempts and notifications. */
function fingerprint(r: RunResult) {
  const m = r.messages;
  const a = r.attempts!;
  const cols = <T extends ArrayLike<number>>(c: T, n: number) => Array.from(c).slice(0, n);
  return {
    events: r.events,
    messages: [m.birth, m.done, m.outcome, m.path, m.reason, m.holder, m.attempts].map((c) => cols(c, m.count)),
    attempts: [a.start, a.end, a.result, a.host, a.next].map((c) => cols(c, a.count)),
    notices: r.notices,
  };
}

// The article's week (qmail, outages), a flush (FLUSH and FORCED events) and flapping (drawn windows).
const FILES = ["02-article-outage.yaml", "09-admin-flush.yaml", "08-flapping-primary.yaml"];

describe("Simulation.step and runUntil", () => {
  it.each(FILES)("%s: one event at a time gives the same run as simulate()", (file) => {
    const m = scenario(file);
    const sim = new Simulation(m);
    let steps = 0;
    while (!sim.step()) steps++;
    expect(steps).toBeGreaterThan(100);
    expect(fingerprint(sim.result())).toEqual(fingerprint(simulate(m)));
  });

  it.each(FILES)("%s: runUntil at every simulated day gives the same run as simulate()", (file) => {
    const m = scenario(file);
    const sim = new Simulation(m);
    let done = false;
    for (let t = 86400; !done; t += 86400) done = sim.runUntil(t);
    expect(fingerprint(sim.result())).toEqual(fingerprint(simulate(m)));
  });

  it("runUntil(t) processes every event before t and none at or after it", () => {
    const m = scenario("02-article-outage.yaml");
    const whole = simulate(m);
    const t = 2 * 86400 + 3600;
    const log = new AttemptLog();
    const sim = new Simulation(m, { sink: log });
    expect(sim.runUntil(t)).toBe(false);
    expect(sim.now).toBeLessThan(t);
    // The attempts made so far are exactly the whole run's attempts that started before t.
    const started = Array.from(whole.attempts!.start.subarray(0, whole.attempts!.count)).filter((s) => s < t).length;
    expect(sim.processed).toBeGreaterThan(0);
    expect(() => sim.result()).toThrow(/not reached its horizon/);
    expect(log.count).toBe(started);
  });

  it("step(n) stops after n events and reports the horizon only at the end", () => {
    const m = scenario("02-article-outage.yaml");
    const sim = new Simulation(m);
    expect(sim.step(10)).toBe(false);
    expect(sim.processed).toBe(10);
    expect(sim.runUntil(Infinity)).toBe(true);
    expect(sim.processed).toBe(simulate(m).events);
    expect(sim.step()).toBe(true);
  });
});
