import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOUNCED } from "../../src/core/message-table.js";
import { simulate } from "../../src/core/simulate.js";
import { model } from "../helpers.js";
import { cli, tempDir } from "./helpers.js";

describe("mxsim explain", () => {
  it("tells the first message that went through the secondary, step by step, with the nslookup view", async () => {
    const chart = join(tempDir(), "m.png");
    const r = await cli("explain", "scenarios/02-article-outage.yaml", "--chart", chart);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^ 1\. Message \d+ is sent by hotmail\.com/);
    expect(out).toContain("$ nslookup -q=mx blyx.com");
    expect(out).toContain("blyx.com\tmail exchanger = 10 fcmx1.blyx.com.");
    expect(out).toContain("blyx.com\tmail exchanger = 20 fcmx2.blyx.com.");
    expect(out).toMatch(/fcmx1\.blyx\.com \(MX 10\): connection refused.*\n.*so qmail tries the next MX: this is the failover/);
    expect(out).toMatch(/fcmx2\.blyx\.com is a backup MX for blyx\.com/);
    expect(out).toMatch(/qmail schedules the next attempt for .*, 6m 40s later/);
    expect(out).toMatch(/The message reaches the mailbox on fcmx1\.blyx\.com/);
    expect(readFileSync(chart).subarray(1, 4).toString()).toBe("PNG");
  });

  it("explains why qmail does not fail over when the primary answers 421", async () => {
    const r = await cli("explain", "scenarios/03-saturated-primary.yaml");
    expect(r.stdout).toContain('answered "421 service not available"');
    expect(r.stdout).toContain("The TCP connection succeeded, so qmail does not try another MX");
    expect(r.stdout).not.toContain("fcmx2.blyx.com (MX 20)");
  });

  it("tells a bounce, and names the message asked for", async () => {
    const run = simulate(model(readFileSync("scenarios/04-outage-longer-than-lifetime.yaml", "utf8")));
    const bounced = Array.from(run.messages.outcome.subarray(0, run.messages.count)).indexOf(BOUNCED);
    const r = await cli("explain", "scenarios/04-outage-longer-than-lifetime.yaml", "--message", String(bounced));
    expect(r.stdout).toMatch(new RegExp(`^ 1\\. Message ${bounced} `));
    expect(r.stdout).toMatch(/fcmx2\.blyx\.com gives up at .* and returns the message to hotmail\.com: the message stayed queued longer than its queue lifetime/);
  });

  it("refuses a message id the run does not have (exit 2, no chart)", async () => {
    const chart = join(tempDir(), "m.png");
    const r = await cli("explain", "scenarios/02-article-outage.yaml", "--message", "999999", "--chart", chart);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--message 999999: this run has messages 0 to \d+; pick one of them/);
    expect(existsSync(chart)).toBe(false);
  });
});

describe("mxsim explain --pick", () => {
  it("tells the first message of the kind asked for; the scenario's story: is the default", async () => {
    const r = await cli("explain", "scenarios/07-spam-backscatter.yaml", "--pick", "backscatter");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("this bounce is backscatter: it lands on an innocent third party");
    // Lesson 7 names that story: the same text without --pick.
    expect((await cli("explain", "scenarios/07-spam-backscatter.yaml")).stdout).toBe(r.stdout);
  });

  it("exits 2 with what the run has when there is no such message, on a typo with a suggestion, and with --message too", async () => {
    const none = await cli("explain", "scenarios/01-normal-week.yaml", "--pick", "bounce");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^--pick bounce: this run has no legitimate message returned to its sender; it has stories for: [a-z-, ]+\n$/);
    const typo = await cli("explain", "scenarios/01-normal-week.yaml", "--pick", "greylist");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('--pick "greylist" is not a kind of story; did you mean "greylisted"?\n');
    const both = await cli("explain", "scenarios/01-normal-week.yaml", "--pick", "slowest", "--message", "3");
    expect(both.code).toBe(2);
    expect(both.stderr).toBe("explain: give --message or --pick, not both\n");
  });
});
