import { describe, expect, it } from "vitest";
import { allMailPercentile, deliveredWithin, NOT_DELIVERED, type MailOutcomes } from "../../src/report/mail-outcomes.js";
import type { Summary } from "../../src/report/summary.js";
import { bouncesBegin, sweepPoint, type SweepPoint } from "../../src/report/sweep.js";

const sorted = (...xs: number[]) => Float64Array.from(xs).sort();

describe("percentiles over all mail sent", () => {
  it("interpolate between order statistics (R-7) while they fall on delivered mail", () => {
    // 4 sent, 3 delivered: p50 sits at h = 3 × 0.5 = 1.5, halfway between 10 and 20.
    expect(allMailPercentile(sorted(0, 10, 20), 4, 0.5)).toBe(15);
    // h = 3 × 2/3 = 2: exactly the last delivered message.
    expect(allMailPercentile(sorted(0, 10, 20), 4, 2 / 3)).toBeCloseTo(20);
  });

  it("are \"not delivered\" as soon as they need a message that never arrived, never 0 s", () => {
    // 4 sent, 3 delivered: p95 at h = 2.85 lies between the last delivered and the undelivered one.
    expect(allMailPercentile(sorted(0, 10, 20), 4, 0.95)).toBe(NOT_DELIVERED);
    // Most mail still queued: even the median is not delivered, though every delivered message took 0 s.
    expect(allMailPercentile(sorted(0, 0), 10, 0.5)).toBe(NOT_DELIVERED);
    expect(allMailPercentile(sorted(), 0, 0.5)).toBe(NOT_DELIVERED);
    // Everything delivered: the plain percentile of the delivered.
    expect(allMailPercentile(sorted(5, 1, 3), 3, 0.5)).toBe(3);
  });

  it("deliveredWithin counts latencies at most t", () => {
    const l = sorted(0, 0, 60, 3600, 86400);
    expect([deliveredWithin(l, 0), deliveredWithin(l, 59), deliveredWithin(l, 60), deliveredWithin(l, 1e9)]).toEqual([2, 2, 3, 5]);
  });
});

/** A run of `created` legitimate messages of which `latencies` were delivered and `bounced` bounced, all from one exchange sender. */
function run(created: number, latencies: number[], bounced: number): { summary: Summary; outcomes: MailOutcomes } {
  const legitimate = {
    created,
    delivered_direct: latencies.length,
    delivered_via_secondary: 0,
    delivered_after_sender_retry: 0,
    bounced,
    bounced_by: {},
    bounced_why: {},
    still_queued: created - latencies.length - bounced,
    still_queued_at: {},
    latencies: sorted(...latencies),
  };
  const counts = { created, delivered_direct: latencies.length, delivered_via_secondary: 0, delivered_after_sender_retry: 0, bounced, still_queued: legitimate.still_queued };
  return { summary: { by_profile: { exchange: counts } } as unknown as Summary, outcomes: { legitimate, spam: null } };
}

describe("a sweep point of several runs", () => {
  it("pools the mail of the runs for its percentiles and averages its counts and rates", () => {
    // Run A: 2 of 2 delivered; run B: 1 of 2 delivered, 1 bounced. Pooled: 3 of 4, latencies 0, 10, 20.
    const p = sweepPoint("1d", 86400, [run(2, [0, 10], 0), run(2, [20], 1)]);
    expect(p.p50).toBe(15);
    expect(p.p95).toBe(NOT_DELIVERED);
    expect([p.created, p.bounced, p.bounceRate, p.undeliveredRate]).toEqual([2, 0.5, 25, 25]);
    expect(p.byProfile).toEqual({ exchange: 25 });
  });

  it("says where bounces begin", () => {
    const at = (value: string, bounced: number) => ({ value, bounced }) as SweepPoint;
    expect(bouncesBegin([at("1d", 0), at("2d", 0), at("3d", 4)])).toBe("between 2d and 3d");
    expect(bouncesBegin([at("1d", 1)])).toBe("already at 1d");
    expect(bouncesBegin([at("1d", 0)])).toBe("none in this sweep");
  });
});

describe("spam that a forged sender's own queue gives up on", () => {
  it("is given up at the sending end, not rejected at SMTP time, and no DSN is backscatter", async () => {
    const { simulate } = await import("../../src/core/simulate.js");
    const { mailOutcomes } = await import("../../src/report/mail-outcomes.js");
    const { twoMx } = await import("../helpers.js");
    // A forged sender running a real MTA (it retries) against a primary down for the whole run: its queue gives up after 1h.
    const r = simulate(
      twoMx({
        secondary: false,
        primaryOutages: "[{ start: 0s, duration: 1d, mode: refused }]",
        senders: "  bot.example: { to: example.com, rate: 6/h, forged: true, mta: { name: postfix, maximal_queue_lifetime: 1h } }",
        duration: "1d",
      }),
    );
    const spam = mailOutcomes(r).spam!;
    expect(spam.created).toBeGreaterThan(0);
    expect(spam.rejected).toBe(0);
    expect(spam.dropped + spam.still_queued).toBe(spam.created);
    expect(spam.dropped).toBeGreaterThan(0);
    expect(r.notices.backscatter).toBe(0);
  });
});
