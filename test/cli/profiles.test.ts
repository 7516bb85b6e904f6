import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

describe("mxsim profiles", () => {
  it("prints qmail's schedule as Life with qmail does: 40 attempts, the last at 608400 = 7-01:00:00 (docs/model.md#qmail)", async () => {
    const r = await cli("profiles", "qmail");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ +1 │ +0 │ +0-00:00:00 │/);
    expect(r.stdout).toMatch(/│ +2 │ +400 │ +0-00:06:40 │/);
    expect(r.stdout).toMatch(/│ +40 │ +608400 │ +7-01:00:00 │/);
    expect(r.stdout).not.toMatch(/│ +41 │/);
    expect(r.stdout).toContain("Bounced at 608400 s (7-01:00:00) after 40 attempts");
  });

  it("shows every profile by default, with when each one bounces (each MTA's retry schedule in docs/model.md)", async () => {
    const r = await cli("profiles", "--json");
    const schedules = JSON.parse(r.stdout) as { mta: string; bounceAt: number; attempts: number[] }[];
    const at = Object.fromEntries(schedules.map((s) => [s.mta, s.bounceAt]));
    expect(at).toMatchObject({ qmail: 608400, postfix: 433200, exim: 347400, sendmail: 432000, opensmtpd: 345600, exchange: 172800 });
    // The providers by timer at their give-up (Gmail 72 h, Microsoft 365 24 h, SES 14 h, Mailgun 8 h), AOL after its 5th attempt at 31:32.
    expect(at).toMatchObject({ gmail: 259200, microsoft365: 86400, "amazon-ses": 50400, mailgun: 28800, aol: 31 * 60 + 32 });
    expect(Object.keys(at)).toHaveLength(21);
    const gmail = (JSON.parse(r.stdout) as { mta: string; settings: { key: string; default: unknown; source?: { kind: string } }[] }[]).find((s) => s.mta === "gmail")!;
    expect(gmail.settings.find((o) => o.key === "give_up")).toMatchObject({ default: 259200, source: { kind: "third-party" } });
    expect(gmail.settings.find((o) => o.key === "ips")).toMatchObject({ default: 7, source: { kind: "measured" } });
  });

  it("prints a provider's settings, each with the kind of source of its default", async () => {
    const r = await cli("profiles", "microsoft365");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ give_up +│ 24h +│ \[documented: EOP limits/);
    expect(r.stdout).toMatch(/│ ip_subnets +│ 6 +│ \[assumed:/);
    expect(r.stdout).toContain("Bounced at 86400 s (1-00:00:00)");
  });

  it("refuses an unknown profile with a suggestion and exit 2", async () => {
    const r = await cli("profiles", "postfx");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mxsim profiles: "postfx" is not an MTA profile; did you mean "postfix"?\n');
  });
});
