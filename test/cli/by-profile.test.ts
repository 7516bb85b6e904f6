import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./helpers.js";

type Counts = Record<"created" | "delivered_direct" | "delivered_via_secondary" | "delivered_after_sender_retry" | "bounced" | "still_queued", number>;
const FIELDS = ["created", "delivered_direct", "delivered_via_secondary", "delivered_after_sender_retry", "bounced", "still_queued"] as const;
const total = (by: Record<string, Counts>, f: (typeof FIELDS)[number]) => Object.values(by).reduce((n, c) => n + c[f], 0);

describe("the summary split by sender profile (results.json by_profile)", () => {
  it("adds up to the run's counts, and names the profile that bounced", async () => {
    const r = await cli("run", "scenarios/no-secondary-mixed-senders.yaml", "--json", "--no-charts", "--out", join(tempDir(), "m"));
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout).summary;
    expect(Object.keys(s.by_profile)).toEqual(["exchange", "exim", "opensmtpd", "postfix", "qmail", "sendmail"]);
    for (const f of FIELDS) expect(total(s.by_profile, f)).toBe(s.messages[f]);
    // Only Exchange gives up within the 3-day outage (its 2-day lifetime): every bounce is its own.
    expect(s.by_profile.exchange.bounced).toBe(s.messages.bounced);
    expect(s.messages.bounced).toBeGreaterThan(0);
  });

  it("leaves spam out: a forged sender's rejections are not a profile's bounces", async () => {
    const r = await cli("run", "scenarios/07-spam-backscatter.yaml", "--json", "--no-charts", "--out", join(tempDir(), "s"));
    const s = JSON.parse(r.stdout).summary;
    expect(s.messages.bounced).toBeGreaterThan(0);
    // hotmail.com is the one legitimate sender; the primary never goes down, so all its mail is delivered directly.
    expect(Object.keys(s.by_profile)).toHaveLength(1);
    const [only] = Object.values(s.by_profile) as Counts[];
    expect(only!.bounced).toBe(0);
    expect(only!.delivered_direct).toBe(only!.created);
    expect(only!.created).toBeLessThan(s.messages.created);
  });

  it("is printed by mxsim run with two profiles or more, and not with one", async () => {
    const mixed = await cli("run", "scenarios/no-secondary-mixed-senders.yaml", "--no-charts", "--out", join(tempDir(), "t"));
    expect(mixed.stdout).toMatch(/│ Sender profile │ created │ direct │ via secondary │ sender retries │ bounced │ still queued │\n│ exchange +│ +\d+ │/);
    const single = await cli("run", "scenarios/02-article-outage.yaml", "--no-charts", "--out", join(tempDir(), "u"));
    expect(single.code).toBe(0);
    expect(single.stdout).not.toContain("Sender profile");
  });
});
