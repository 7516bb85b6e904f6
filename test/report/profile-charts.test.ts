import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { compareCharts, compareProfileChart, type Variant } from "../../src/report/compare.js";
import { latenciesByProfile, mailOutcomes } from "../../src/report/mail-outcomes.js";
import { deliveryByProfileChart, profileDelivered } from "../../src/report/profile-charts.js";
import { summarize } from "../../src/report/summary.js";
import { sweepCharts, sweepProfileChart, type SweepPoint, type SweepSeries } from "../../src/report/sweep.js";
import { model } from "../helpers.js";

const runOf = (file: string): RunResult => simulate(model(readFileSync(file, "utf8")));
const variantOf = (file: string): Variant => {
  const result = runOf(file);
  return { name: result.model.name, result, summary: summarize(result), outcomes: mailOutcomes(result), checks: [] };
};

const mixed = runOf("scenarios/no-secondary-mixed-senders.yaml");
const mixedSummary = summarize(mixed);
const single = runOf("scenarios/02-article-outage.yaml");

type Dataset = { label: string; data: ({ x: number; y: number } | number | null)[]; stack?: string };
const datasetsOf = (c: { config: { data: { datasets: unknown[] } } }) => c.config.data.datasets as Dataset[];

describe("delivery-by-profile (mxsim run)", () => {
  it("is drawn only with two sender profiles or more", () => {
    expect(Object.keys(summarize(single).by_profile)).toHaveLength(1);
    expect(deliveryByProfileChart(single, summarize(single))).toBeUndefined();
    expect(deliveryByProfileChart(mixed, mixedSummary)?.name).toBe("delivery-by-profile");
  });

  it("has a line per profile that ends at the share by_profile delivered, its legend giving by_profile's bounces", () => {
    const datasets = datasetsOf(deliveryByProfileChart(mixed, mixedSummary)!);
    const profiles = Object.entries(mixedSummary.by_profile);
    expect(datasets).toHaveLength(profiles.length);
    profiles.forEach(([mta, c], k) => {
      const d = datasets[k]!;
      const last = d.data.at(-1) as { x: number; y: number };
      // The last point is at the run's end: by then every delivered message has arrived.
      expect(last.x).toBeCloseTo(mixed.model.duration);
      expect(last.y).toBeCloseTo((100 * profileDelivered(c)) / c.created, 9);
      expect(d.label).toContain(`${mta} (${c.created} sent)`);
      expect(d.label).toContain(`${((100 * c.bounced) / c.created).toFixed(1)}% bounced`);
      expect(d.label).toContain(`${((100 * c.still_queued) / c.created).toFixed(1)}% still queued`);
    });
    // Exchange gives up within the 3-day outage: its line stops short of 100%, and is the only one that does.
    expect(profiles.filter(([, c]) => c.bounced > 0).map(([mta]) => mta)).toEqual(["exchange"]);
  });

  it("takes its latencies from the delivered legitimate mail, grouped as by_profile", () => {
    const lat = latenciesByProfile(mixed);
    expect(Object.keys(lat)).toEqual(Object.keys(mixedSummary.by_profile));
    for (const [mta, c] of Object.entries(mixedSummary.by_profile)) expect(lat[mta]!.length).toBe(profileDelivered(c));
    const all = Object.values(lat).reduce((n, l) => n + l.length, 0);
    expect(all).toBe(mailOutcomes(mixed).legitimate.latencies.length);
  });
});

describe("compare-by-profile (mxsim compare)", () => {
  const none = variantOf("scenarios/compare/1-no-secondary.yaml");
  const qmail = variantOf("scenarios/compare/2-qmail-secondary.yaml");

  it("has a bar per scenario and profile: the shares of by_profile's bounces, and none for a setup that bounces none", () => {
    const chart = compareProfileChart([none, qmail])!;
    expect(chart.name).toBe("compare-by-profile");
    const profiles = Object.keys(none.summary.by_profile);
    expect((chart.config.data.labels as string[][]).map((l) => l[0])).toEqual(profiles);
    const datasets = datasetsOf(chart);
    // Nothing was still queued at the end in either: a bounced bar each, in its own stack.
    expect(datasets.map((d) => [d.label, d.stack])).toEqual([
      ["no-secondary: bounced", "scenario-0"],
      ["qmail-secondary: bounced", "scenario-1"],
    ]);
    [none, qmail].forEach((v, k) => {
      expect(datasets[k]!.data).toEqual(profiles.map((m) => (100 * v.summary.by_profile[m]!.bounced) / v.summary.by_profile[m]!.created));
    });
    expect(datasets[0]!.data.some((y) => (y as number) > 0)).toBe(true);
    expect(datasets[1]!.data.every((y) => y === 0)).toBe(true);
  });

  it("stacks the mail still queued on the bounces of the scenario that has some", () => {
    const v = variantOf("scenarios/no-secondary-mixed-senders.yaml");
    const queued = { ...v, summary: { ...v.summary, by_profile: { ...v.summary.by_profile, qmail: { ...v.summary.by_profile.qmail!, still_queued: 5 } } } };
    queued.outcomes = { ...v.outcomes, legitimate: { ...v.outcomes.legitimate, still_queued: 5 } };
    const datasets = datasetsOf(compareProfileChart([none, queued])!);
    const q = datasets.find((d) => d.label === "no-secondary-mixed-senders: still queued")!;
    expect(q.stack).toBe("scenario-1");
    const mtas = (compareProfileChart([none, queued])!.config.data.labels as string[][]).map((l) => l[0]);
    // A profile the other scenario has no sender of has no bar there (null), not a 0.
    expect(datasets[0]!.data[mtas.indexOf("sendmail")]).toBeNull();
    expect(q.data[mtas.indexOf("qmail")]).toBeCloseTo((100 * 5) / v.summary.by_profile.qmail!.created);
  });

  it("is left out when every scenario has one sender profile", () => {
    const a = variantOf("scenarios/02-article-outage.yaml");
    const b = variantOf("scenarios/05-no-secondary.yaml");
    expect(compareProfileChart([a, b])).toBeUndefined();
    expect(compareCharts([a, b]).map((c) => c.name)).toEqual(["compare-delivery", "compare-outcomes", "compare-queue"]);
  });
});

describe("sweep-bounces-by-profile (mxsim sweep)", () => {
  const point = (value: string, bounced: number, byProfile: Record<string, number>): SweepPoint => ({
    value,
    seconds: null,
    created: 100,
    delivered: 100 - bounced,
    bounced,
    queued: 0,
    bounceRate: bounced,
    undeliveredRate: bounced,
    p50: 0,
    p95: 0,
    p99: 0,
    byProfile,
  });
  const series: SweepSeries[] = [
    { variant: "backup", points: [point("1d", 0, { exchange: 0, postfix: 0 }), point("8d", 3, { exchange: 5, postfix: 1 })] },
    { variant: "no-backup", points: [point("1d", 4, { exchange: 8, postfix: 0 }), point("8d", 30, { exchange: 60, postfix: 2 })] },
  ];

  it("draws a line per profile, with its bounce rates, for the variant that bounces the most", () => {
    const chart = sweepProfileChart("p", series)!;
    const title = (chart.config.options as { plugins: { title: { text: string } } }).plugins.title.text;
    expect(title).toContain("no-backup");
    const datasets = datasetsOf(chart);
    expect(datasets.map((d) => d.label)).toEqual(["exchange", "postfix", "all its legitimate mail"]);
    expect(datasets.map((d) => d.data)).toEqual([
      [8, 60],
      [0, 2],
      [4, 30],
    ]);
    expect(sweepCharts("p", series).map((c) => c.name)).toEqual(["sweep-bounces", "sweep-bounces-by-profile", "sweep-p95"]);
  });

  it("is left out with one sender profile", () => {
    const one = series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, byProfile: { qmail: p.bounceRate } })) }));
    expect(sweepProfileChart("p", one)).toBeUndefined();
    expect(sweepCharts("p", one).map((c) => c.name)).toEqual(["sweep-bounces", "sweep-p95"]);
  });
});
