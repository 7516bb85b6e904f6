import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { giveUpAfter, PROFILE_INFO } from "../../src/core/profile.js";
import { simulate } from "../../src/core/simulate.js";
import { setLang, spanText, t } from "../../src/i18n/index.js";
import { reportHtml } from "../../src/report/html.js";
import { momentText, runIntroText } from "../../src/report/run-intro.js";
import { summarize } from "../../src/report/summary.js";
import { loadScenario } from "../../src/scenario/load.js";

const modelOf = (text: string, file = "test.yaml") => {
  const r = loadScenario(text, file);
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.model;
};
const fileModel = (file: string) => modelOf(readFileSync(file, "utf8"), file);

/** The article's scenario with its one outage replaced by `n` windows of 2h, a day apart. */
const manyOutages = (n: number) => {
  const windows = Array.from({ length: n }, (_, i) => `      - { start: 2008-03-1${i}T06:00:00Z, duration: 2h, mode: timeout }`).join("\n");
  const text = readFileSync("scenarios/02-article-outage.yaml", "utf8").replace(/ {6}- \{ start: 2008-03-11T09:00:00Z, duration: 36h, mode: refused \}/, windows);
  expect(text).toContain("2008-03-10T06:00:00Z");
  return modelOf(text);
};

afterEach(() => setLang("en"));

describe("report.html's introduction, computed from the model", () => {
  it("names the article's primary and secondary, the secondary's MTA and queue lifetime, and the outage window", () => {
    const model = fileModel("scenarios/02-article-outage.yaml");
    const intro = runIntroText(model);
    const primary = model.servers.find((s) => s.role === "mailbox")!;
    const backup = model.servers.find((s) => s.role === "relay")!;
    const pref = (name: string) => model.domains[0]!.mx.find((r) => model.servers[r.server]!.name === name)!.preference;
    expect(intro).toContain(`MX ${pref(primary.name)} ${primary.name} (the primary`);
    expect(intro).toContain(`MX ${pref(backup.name)} ${backup.name} (a ${PROFILE_INFO[backup.profile.mta].name} backup MX`);
    expect(intro).toContain(`keeps it up to ${spanText(giveUpAfter(backup.profile))}`);
    const o = primary.outages[0]!;
    expect(intro).toContain(`${primary.name} is down once, from ${momentText(model, o.start)} for ${spanText(o.end - o.start)} (connections refused)`);
    expect(intro).toContain(`${spanText(model.duration)} of mail from ${momentText(model, 0)} UTC`);
    expect(intro).toContain("hotmail.com (about 20 messages an hour");
  });

  it("tells the first few outage windows of a server and counts the rest", () => {
    const intro = runIntroText(manyOutages(5));
    expect(intro).toContain("fcmx1.blyx.com is down 5 times: ");
    expect(intro).toContain("and 2 more.");
    expect(intro.match(/for 2 hours \(no answer at all/g)).toHaveLength(3);
  });

  it("says when there is no backup MX, and never names one", () => {
    const intro = runIntroText(fileModel("scenarios/05-no-secondary.yaml"));
    expect(intro).toContain(t("report:intro.noBackup"));
    expect(intro).not.toContain("backup MX that queues");
    expect(runIntroText(fileModel("scenarios/02-article-outage.yaml"))).not.toContain(t("report:intro.noBackup"));
  });

  it("tells spam senders apart, and greylisting and a flush when the scenario has them", () => {
    const spam = runIntroText(fileModel("scenarios/07-spam-backscatter.yaml"));
    expect(spam).toContain("2 senders write to it");
    expect(spam).toMatch(/botnet\.example \(about 120 messages an hour, spam with a forged sender, 90% to users that do not exist, only to the backup MX, never retrying\)/);
    expect(spam).toContain(t("report:intro.noOutages"));
    expect(runIntroText(fileModel("scenarios/greylisting-primary.yaml"))).toMatch(/ greylists: a new sender waits \S+/);
    const flush = fileModel("scenarios/09-admin-flush.yaml");
    expect(runIntroText(flush)).toContain(`flushes the queue of fcmx2.blyx.com on ${momentText(flush, flush.actions[0]!.at)} UTC`);
  });

  it("is written in Spanish with Spanish dates when the language is Spanish", () => {
    setLang("es");
    const model = fileModel("scenarios/02-article-outage.yaml");
    const intro = runIntroText(model);
    expect(intro).toContain("MX 10 fcmx1.blyx.com (el MX principal, con los buzones, qmail)");
    expect(intro).toContain("MX 20 fcmx2.blyx.com (un MX secundario qmail que guarda el correo en cola y lo conserva hasta 7 días antes de rebotarlo");
    expect(intro).toContain("fcmx1.blyx.com se cae una vez: desde el martes 11 de marzo de 2008 a las 09:00, durante 1 día y 12 horas (conexiones rechazadas)");
    expect(runIntroText(manyOutages(5))).toContain("fcmx1.blyx.com está caído 5 veces: ");
    expect(runIntroText(fileModel("scenarios/05-no-secondary.yaml"))).toContain("No hay MX secundario");
  });

  it("stands in report.html between the verdict and the summary", () => {
    const model = fileModel("scenarios/02-article-outage.yaml");
    const html = reportHtml({ model, summary: summarize(simulate(model)), seed: 42, version: "t", charts: [], story: { message: 0, steps: [] } });
    const at = html.indexOf('<p class="setup">');
    expect(at).toBeGreaterThan(html.indexOf('<p class="verdict">'));
    expect(at).toBeLessThan(html.indexOf("<h2>Summary</h2>"));
    expect(html).toContain(runIntroText(model));
  });
});
