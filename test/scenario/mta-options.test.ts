import { describe, expect, it } from "vitest";
import { PROFILE_DEFAULTS } from "../../src/core/profile.js";
import { loadScenario } from "../../src/scenario/load.js";
import { MTA_OPTIONS, profileProblems } from "../../src/scenario/mta-options.js";
import { LONG_DURATION_KEYS } from "../../src/scenario/warnings.js";

describe("long-duration keys", () => {
  it("are the scenario's own keys plus the MTA options flagged long (the hand list they replace)", () => {
    expect({ ...LONG_DURATION_KEYS }).toEqual({
      duration: "h",
      start: "h",
      end: "h",
      give_up: "h",
      up: "h",
      down: "h",
      until: "d",
      at: "h",
      queuelifetime: "d",
      maximal_queue_lifetime: "d",
      queuereturn: "d",
      queue_ttl: "d",
      message_expiration_timeout: "d",
      delay_warning_time: "h",
      delay_warning: "h",
      queuewarn: "h",
      bounce_warn_interval: "h",
      delay_notification_timeout: "h",
      retry_data_expire: "d",
      p50_latency: "h",
      p90_latency: "h",
      p95_latency: "h",
      p99_latency: "h",
      max_latency: "h",
      drain_time: "h",
    });
  });

  it("give one unit per key, whichever MTA declares it", () => {
    const units = new Map<string, Set<string>>();
    for (const o of Object.values(MTA_OPTIONS).flat()) {
      if (o.kind.type !== "duration") continue;
      const set = units.get(o.key) ?? new Set<string>();
      set.add(o.kind.long ?? "-");
      units.set(o.key, set);
    }
    for (const [key, set] of units) expect([key, set.size]).toEqual([key, 1]);
  });
});

describe("per-MTA profile checks", () => {
  const scenario = (mta: string) => `
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: mx1.example.com }] }
servers:
  mx1.example.com: { role: mailbox, domains: [example.com] }
senders:
  s: { to: example.com, rate: 1/h, mta: ${mta} }
`;
  it("Postfix: a minimal backoff above the maximal is reported at minimal_backoff_time", () => {
    const r = loadScenario(scenario("{ name: postfix, minimal_backoff_time: 2h, maximal_backoff_time: 1h }"), "t.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.path}: ${d.message}`)).toEqual([
      "9:80 senders.s.mta.minimal_backoff_time: minimal_backoff_time is longer than maximal_backoff_time; make it shorter or equal",
    ]);
  });
  it("Exim: retry_interval_max above 24h is reported there", () => {
    const r = loadScenario(scenario("{ name: exim, retry_interval_max: 25h }"), "t.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.path}: ${d.message}`)).toEqual([
      "9:75 senders.s.mta.retry_interval_max: Exim does not allow retry_interval_max above 24h; write e.g. retry_interval_max: 24h",
    ]);
  });
  it("every MTA's defaults pass its own checks", () => {
    for (const p of Object.values(PROFILE_DEFAULTS)) expect(profileProblems(p)).toEqual([]);
  });
});
