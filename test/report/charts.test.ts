/**
 * The run's charts as Chart.js configurations (pure data, nothing drawn):
 * calendar time axes from the scenario's start, the markers that make the
 * point (peak, drain, queue lifetime, flush), empty charts that say why, a
 * message timeline with every MX host, its bounce and a unit that fits, and
 * the texts in Spanish.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { BOUNCED } from "../../src/core/outcomes.js";
import { giveUpAfter } from "../../src/core/profile.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { setLang } from "../../src/i18n/index.js";
import { calendarTicks, latencyChart, messageTimelineChart, queueDepthChart, timelineChart, timelineLanes, type NamedChart } from "../../src/report/charts.js";
import { messageAttempts } from "../../src/report/explain.js";
import { defaultStory } from "../../src/report/story-pick.js";
import { summarize } from "../../src/report/summary.js";
import { model } from "../helpers.js";

const cache = new Map<string, RunResult>();
const runOf = (file: string): RunResult => {
  let r = cache.get(file);
  if (!r) cache.set(file, (r = simulate(model(readFileSync(file, "utf8")))));
  return r;
};

type Annotation = { type: string; xMin?: number; xValue?: number | string; yValue?: number | string; content?: string | string[] };
const options = (c: NamedChart) => c.config.options as unknown as { scales: Record<string, any>; plugins: { title: { text: string }; annotation?: { annotations: Record<string, Annotation> } } };
const annotations = (c: NamedChart) => options(c).plugins.annotation?.annotations ?? {};
const markers = (c: NamedChart, kind: string) => Object.entries(annotations(c)).filter(([k]) => k.startsWith(kind) && !k.endsWith("-label"));
const labelOf = (c: NamedChart, key: string) => String(annotations(c)[`${key}-label`]?.content);

/** The labels a time axis prints: its afterBuildTicks ticks through its tick callback. */
function tickLabels(axis: { afterBuildTicks: (a: { ticks: { value: number }[] }) => void; ticks: { callback: (v: number, i: number) => unknown } }) {
  const a = { ticks: [] as { value: number }[] };
  axis.afterBuildTicks(a);
  return a.ticks.map((k, i) => ({ value: k.value, label: axis.ticks.callback(k.value, i) }));
}

const story = (r: RunResult) => {
  const m = defaultStory(r).message;
  return messageTimelineChart(r, m, messageAttempts(r, m));
};

afterEach(() => setLang("en"));

describe("time axes in calendar time", () => {
  it("tick a multi-day run at UTC midnights labelled with the day, from the scenario's start", () => {
    const r = runOf("scenarios/02-article-outage.yaml");
    const ticks = tickLabels(options(queueDepthChart(r)).scales.x);
    const days = ticks.filter((k) => Array.isArray(k.label));
    expect(days.length).toBeGreaterThanOrEqual(5);
    for (const k of days) {
      const at = new Date(r.model.startEpochMs + k.value * 1000);
      expect(at.getUTCHours()).toBe(0);
      const [clock, day] = k.label as string[];
      expect(clock).toBe("00:00");
      expect(day).toBe(`${at.toLocaleDateString("en-US", { weekday: "short", timeZone: "UTC" })} ${at.getUTCDate()} ${at.toLocaleDateString("en-US", { month: "short", timeZone: "UTC" })}`);
    }
    expect(options(queueDepthChart(r)).scales.x.title.text).toContain("UTC");
  });

  it("give a short run round hours, and days in the language chosen", () => {
    // 2026-01-05 was a Monday; a run of 6 hours from 10:20, ticked every half hour.
    const ticks = calendarTicks(Date.UTC(2026, 0, 5, 10, 20), 6 * 3600);
    expect(ticks[0]!.label).toEqual(["10:30", "Mon 5 Jan"]);
    expect(ticks.slice(1).every((k) => typeof k.label === "string" && /^\d\d:\d\d$/.test(k.label))).toBe(true);
    setLang("es");
    expect(calendarTicks(Date.UTC(2026, 0, 5, 10, 20), 6 * 3600)[0]!.label).toEqual(["10:30", "lun 5 ene"]);
  });
});

describe("the compare queue chart", () => {
  it("is in calendar time when the scenarios start together", async () => {
    const { compareQueueChart } = await import("../../src/report/compare.js");
    const { mailOutcomes } = await import("../../src/report/mail-outcomes.js");
    const variants = ["scenarios/compare/1-no-secondary.yaml", "scenarios/compare/2-qmail-secondary.yaml"].map((f) => {
      const result = runOf(f);
      return { name: result.model.name, result, summary: summarize(result), outcomes: mailOutcomes(result), checks: [] };
    });
    expect(variants[0]!.result.model.startEpochMs).toBe(variants[1]!.result.model.startEpochMs);
    const x = options(compareQueueChart(variants)).scales.x;
    expect(x.title.text).toContain("UTC");
    expect(tickLabels(x).some((k) => Array.isArray(k.label) || /^[A-Z][a-z]{2} \d+ [A-Z][a-z]{2}$/.test(String(k.label)))).toBe(true);
  });
});

describe("markers of the queue chart", () => {
  it("mark the peak of the backup queue at its time and depth, and its drain after the outage (02)", () => {
    const r = runOf("scenarios/02-article-outage.yaml");
    const c = queueDepthChart(r);
    const k = r.queues.series.findIndex((s) => s.kind === "relay");
    const [, peak] = markers(c, "peak")[0]!;
    expect(peak.xValue).toBe(r.queues.peakAt[k]);
    expect(peak.yValue).toBe(r.queues.peak[k]);
    const drain = r.queues.drains.find((d) => d.series === k && d.drainedAt > d.from)!;
    const [key, line] = markers(c, "drain")[0]!;
    expect(line.xMin).toBe(drain.drainedAt);
    expect(labelOf(c, key)).toContain("empty again");
    // qmail's week-long queue lifetime does not run out in a five-day run; no flush in this scenario.
    expect(markers(c, "lifetime")).toHaveLength(0);
    expect(markers(c, "flush")).toHaveLength(0);
  });

  it("mark where the backup's queue lifetime runs out for mail queued at the outage's start (04)", () => {
    const r = runOf("scenarios/04-outage-longer-than-lifetime.yaml");
    const relay = r.model.servers.find((s) => s.role === "relay")!;
    const primary = r.model.servers.findIndex((s) => s.role !== "relay");
    const start = r.outages[primary]![0]!.start;
    const [key, line] = markers(queueDepthChart(r), "lifetime")[0]!;
    expect(line.xMin).toBe(start + giveUpAfter(relay.profile));
    expect(labelOf(queueDepthChart(r), key)).toContain(relay.name);
  });

  it("leave out a queue lifetime that runs out on an empty queue (decide: qmail's 7d after a 1d outage)", () => {
    const r = runOf("scenarios/decide/2-qmail-backup.yaml");
    const relay = r.model.servers.find((s) => s.role === "relay")!;
    const primary = r.model.servers.findIndex((s) => s.role !== "relay");
    expect(r.outages[primary]![0]!.start + giveUpAfter(relay.profile)).toBeLessThan(r.model.duration);
    expect(markers(queueDepthChart(r), "lifetime")).toHaveLength(0);
  });

  it("mark an administrator's flush at its time (09)", () => {
    const r = runOf("scenarios/09-admin-flush.yaml");
    const flush = r.model.actions.find((a) => a.kind === "flush")!;
    const [, line] = markers(queueDepthChart(r), "flush")[0]!;
    expect(line.xMin).toBe(flush.at);
  });

  it("keep a flapping primary's chart to its peaks: no drain or lifetime marker per outage (08)", () => {
    const r = runOf("scenarios/08-flapping-primary.yaml");
    expect(r.outages.flat().length).toBeGreaterThan(6);
    const c = queueDepthChart(r);
    expect(markers(c, "drain")).toHaveLength(0);
    expect(markers(c, "lifetime")).toHaveLength(0);
    expect(markers(c, "peak").length).toBeGreaterThan(0);
  });
});

describe("empty charts", () => {
  it("say why nothing was queued instead of a bare axis", () => {
    const r = simulate(
      model(`
name: calm
seed: 1
duration: 1d
dns:
  example.com:
    mx:
      - { preference: 10, host: p.example.com }
      - { preference: 20, host: s.example.com }
servers:
  p.example.com: { role: mailbox, domains: [example.com] }
  s.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: p.example.com } }
senders:
  a.example: { to: example.com, rate: 10/h }
`),
    );
    const c = queueDepthChart(r);
    expect(String(annotations(c).empty?.content)).toContain("no server went down");
    // A busy run has no such sentence.
    expect(annotations(queueDepthChart(runOf("scenarios/02-article-outage.yaml"))).empty).toBeUndefined();
  });

  it("say why no latency can be drawn when nothing was delivered", () => {
    const r = simulate(
      model(`
name: dark
seed: 1
duration: 1d
dns:
  example.com:
    mx:
      - { preference: 10, host: p.example.com }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 2d, mode: refused }] }
senders:
  a.example: { to: example.com, rate: 10/h }
`),
    );
    const c = latencyChart(r, summarize(r));
    expect(String(annotations(c).empty?.content)).toMatch(/^No message was delivered/);
  });
});

describe("the message timeline", () => {
  it("has a lane for every MX host of the domain, a never-contacted backup labelled so (lesson 3)", () => {
    const r = runOf("scenarios/03-saturated-primary.yaml");
    const m = defaultStory(r).message;
    const attempts = messageAttempts(r, m);
    const contacted = new Set(attempts.flatMap((a) => a.connections.map((c) => c.host)));
    const secondary = r.model.servers.find((s) => s.role === "relay")!.name;
    expect(contacted.has(secondary)).toBe(false);
    const lanes = timelineLanes(r, r.messages.sender[m]!, attempts);
    for (const mx of r.model.domains[0]!.mx) expect(lanes).toContain(r.model.servers[mx.server]!.name);
    const y = options(messageTimelineChart(r, m, attempts)).scales.y;
    const i = y.labels.indexOf(secondary);
    expect(y.ticks.callback(i, i)).toEqual([secondary, "(never contacted)"]);
  });

  it("draws the bounce when the message bounced (04)", () => {
    const r = runOf("scenarios/04-outage-longer-than-lifetime.yaml");
    const m = defaultStory(r).message;
    expect(r.messages.outcome[m]).toBe(BOUNCED);
    const c = story(r);
    const line = annotations(c).bounce!;
    expect(line.xMin).toBeGreaterThan(0);
    const datasets = (c.config.data.datasets as { label: string }[]).map((d) => d.label);
    expect(datasets).toContain("bounce (DSN) sent to the sender");
    // A delivered story has none.
    expect(annotations(story(runOf("scenarios/03-saturated-primary.yaml"))).bounce).toBeUndefined();
  });

  it("counts a short story in seconds or minutes", () => {
    const r = runOf("scenarios/greylisting-primary.yaml");
    const c = story(r);
    expect(options(c).scales.x.title.text).toMatch(/\((seconds|minutes)\)$/);
    expect(options(story(runOf("scenarios/04-outage-longer-than-lifetime.yaml"))).scales.x.title.text).toMatch(/\(days\)$/);
  });
});

describe("created beside delivered", () => {
  it("draws created on top of delivered, thinner and dashed", () => {
    const [created, delivered] = timelineChart(runOf("scenarios/02-article-outage.yaml")).config.data.datasets as { order: number; borderDash: number[]; borderWidth: number }[];
    expect(created!.order).toBeLessThan(delivered!.order);
    expect(created!.borderDash.length).toBeGreaterThan(0);
    expect(created!.borderWidth).toBeLessThan(delivered!.borderWidth);
  });
});

describe("Spanish", () => {
  it("titles, axes and markers in Spanish with setLang('es')", () => {
    const r = runOf("scenarios/02-article-outage.yaml");
    setLang("es");
    const q = queueDepthChart(r);
    expect(options(q).plugins.title.text).toBe("Mensajes en cola a lo largo del tiempo: article-outage");
    expect(options(q).scales.x.title.text).toBe("Fecha y hora (UTC)");
    expect(labelOf(q, markers(q, "peak")[0]![0])).toMatch(/^máximo: /);
    expect(options(latencyChart(r, summarize(r))).plugins.title.text).toMatch(/^Tiempo de entrega por camino/);
    expect(options(timelineChart(r)).plugins.title.text).toMatch(/^Mensajes creados, entregados y rebotados/);
    expect(options(story(r)).plugins.title.text).toMatch(/^La vida del mensaje/);
  });
});

describe("the charts catalog", () => {
  it("has every key the charts build from a name, in both languages", async () => {
    const { CATALOGS } = await import("../../src/i18n/index.js");
    const { PATHS } = await import("../../src/core/outcomes.js");
    const { LATENCY_BUCKETS } = await import("../../src/report/charts.js");
    const { FAILURE_MODES } = await import("../../src/core/failure-modes.js");
    const keys = [
      ...FAILURE_MODES.map((m) => `outage.mode.${m}`),
      ...PATHS.map((p) => `path.${p}`),
      ...LATENCY_BUCKETS.map((b) => `bucket.${b.key}`),
      ...["seconds", "minutes", "hours", "days"].map((u) => `unit.${u}`),
      ...["accepted", "connect-failed", "error-answer", "skipped"].map((g) => `story.group.${g}`),
      ...["hour", "sixHours", "day"].map((b) => `bin.${b}`),
      ...["direct", "viaSecondary", "senderRetry", "bounced", "stillQueued", "spamDirect", "spamViaBackup", "spamRejected", "spamBackscatter", "spamDropped"].map((k) => `compare.stack.${k}`),
    ];
    for (const lang of ["en", "es"] as const) for (const k of keys) expect(CATALOGS[lang].charts![k], `${lang} ${k}`).toBeTruthy();
  });
});

describe("marker labels", () => {
  it("stay inside the plot wherever their line is, however long their text (a long host name, Spanish words)", async () => {
    const { fitLabel } = await import("../../src/report/charts.js");
    const span = 86400;
    const pxToX = (px: number) => (px / 1150) * span;
    const texts = [
      "peak: 8 messages in fcmx2.blyx.com, Mon 10 Mar 02:29",
      "ningún mensaje en cola desde aproximadamente lun 10 de mar 04:30 hasta el final (mx-primary.cs.example-university.edu añade un cliente a su lista blanca tras 5 pasos)",
    ];
    for (const text of texts) {
      for (let x = 0; x <= span; x += span / 40) {
        for (const left of [true, false]) {
          const f = fitLabel(x, text, span, left);
          const lines = Array.isArray(f.content) ? f.content : [f.content];
          expect(lines.join(" ")).toBe(text);
          const w = pxToX(Math.max(...lines.map((l) => l.length)) * 8.6 + 16);
          const from = f.position.x === "start" ? f.xValue : f.xValue - w;
          expect(from, `${text.length} chars at ${x}`).toBeGreaterThanOrEqual(-1e-6);
          expect(from + w, `${text.length} chars at ${x}`).toBeLessThanOrEqual(span + 1e-6);
        }
      }
    }
    // A short label keeps to its line on the side asked for.
    expect(fitLabel(span * 0.8, "peak", span, true)).toMatchObject({ xValue: span * 0.8, position: { x: "end" } });
  });
});
