/** explain --pick and a scenario's story: each kind finds a message that shows it, or says what the run has instead. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AttemptLog } from "../../src/core/attempt-log.js";
import { messageRecord, attemptsOf } from "../../src/core/records.js";
import { simulate } from "../../src/core/simulate.js";
import { defaultStory, noSuchStory, pickMessage, picksAvailable } from "../../src/report/story-pick.js";
import { loadScenario } from "../../src/scenario/load.js";

function shipped(file: string) {
  const r = loadScenario(readFileSync(file, "utf8"), file);
  if (!r.ok) throw new Error(file);
  return simulate(r.model);
}

describe("story picks", () => {
  it("each finds a message that shows what it names", () => {
    const spam = shipped("scenarios/07-spam-backscatter.yaml");
    const b = messageRecord(spam, pickMessage(spam, "backscatter"));
    expect([b.outcome, b.holderKind]).toEqual(["bounced", "server"]);
    expect(spam.model.senders[b.senderIndex]!.forged).toBe(true);
    const lifetime = shipped("scenarios/04-outage-longer-than-lifetime.yaml");
    const bounce = messageRecord(lifetime, pickMessage(lifetime, "bounce"));
    expect([bounce.outcome, bounce.bounceReason]).toEqual(["bounced", "lifetime"]);
    const flush = shipped("scenarios/09-admin-flush.yaml");
    const f = messageRecord(flush, pickMessage(flush, "flushed"));
    expect(f.done).toBe(flush.model.actions[0]!.at);
    const grey = shipped("scenarios/greylisting-primary.yaml");
    const g = pickMessage(grey, "greylisted");
    expect(attemptsOf(grey, g).some((a) => a.connections.some((c) => c.result === "rcpt-4xx"))).toBe(true);
    const slow = pickMessage(grey, "slowest");
    const m = grey.messages;
    for (let i = 0; i < m.count; i++) if (m.outcome[i] === 0) expect(m.done[i]! - m.created[i]!).toBeLessThanOrEqual(m.done[slow]! - m.created[slow]!);
  });

  it("a pick with no message says so and names what the run has", () => {
    const r = shipped("scenarios/03-saturated-primary.yaml");
    expect(pickMessage(r, "backscatter")).toBe(-1);
    expect(noSuchStory(r, "backscatter")).toBe(
      `this run has no spam that a server accepted and then bounced to its forged sender (backscatter); it has stories for: ${picksAvailable(r).join(", ")}`,
    );
    expect(picksAvailable(r)).toContain("sender-retry");
  });

  it("a scenario's story: is the default; when its run has none of that kind, the instructive message and the pick it missed", () => {
    const r = shipped("scenarios/04-outage-longer-than-lifetime.yaml");
    expect(r.model.story).toBe("bounce");
    expect(defaultStory(r)).toEqual({ message: pickMessage(r, "bounce") });
    const none = { ...r, model: { ...r.model, story: "backscatter" as const } };
    expect(defaultStory(none)).toMatchObject({ missing: "backscatter" });
    // Greylisting is found among the attempts a run kept: without them, none.
    const grey = shipped("scenarios/greylisting-primary.yaml");
    expect(pickMessage(grey, "greylisted", new AttemptLog())).toBe(-1);
  });
});
