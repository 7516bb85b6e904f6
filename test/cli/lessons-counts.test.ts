/**
 * Issue 14 §4: a lesson states no count the run does not give. Every number
 * in a template's prose is a placeholder filled from the run, or one of the
 * phrases below that are not counts of the run (each with why); a sentence
 * that claims all or none ("nothing is lost", "never contacted") carries an
 * `{{ assert }}` the run must satisfy, or is listed below as a statement
 * about software or a question rather than about the run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLessons, langDir, LESSON_LANGS, LESSON_SOURCES, lessonFiles, lessonScenarios } from "../../src/cli/lessons.js";
import type { Lang } from "../../src/i18n/index.js";
import { proseCounts } from "../../src/report/lesson.js";

interface Allowed {
  re: RegExp;
  why: string;
  /** The scenario's own setting the phrase restates: the scenario file must match it. */
  scenario?: RegExp;
}

const FLAPPING = /flapping: \{ up: 3h, down: 10m/;

/** Phrases of every lesson, by language, that hold a number or a quantifier but state no count of the run. */
const EVERY_LESSON: Record<Lang, Allowed[]> = {
  en: [
    { re: /^# Lesson \d+:/, why: "the lesson's own number" },
    { re: /\blesson \d\b/, why: "a reference to another lesson (its numbers come from its run: lessons.NN)" },
    { re: /\bport 25\b/, why: "the SMTP port" },
    { re: /\bRFC 5321 §6\.1/, why: "a standard's section" },
    { re: /\b[Hh]alf (?=of (it|them)\b|arrive\b)/, why: "the median, next to the p50 placeholder" },
  ],
  es: [
    { re: /^# Lección \d+:/, why: "el número de la lección" },
    { re: /\blección \d\b/, why: "otra lección (sus cifras salen de su ejecución: lessons.NN)" },
    { re: /\bpuerto 25\b/, why: "el puerto de SMTP" },
    { re: /\bRFC 5321 §6\.1/, why: "una sección de un estándar" },
    { re: /\b[Ll]a mitad\b/, why: "la mediana, junto al marcador del p50" },
  ],
};

/** Per lesson and language. */
const PER_LESSON: Record<Lang, Record<string, Allowed[]>> = {
  en: {
    "01-normal-week.md": [{ re: /every other lesson/, why: "the series, not the run" }],
    "02-article-outage.md": [
      { re: /\blast one\b/, why: "a pronoun" },
      { re: /\bone message that went through\b/, why: "the story tells a single message" },
      { re: /\b30 hours\b/, why: "the question's hypothetical message" },
    ],
    "03-saturated-primary.md": [
      { re: /it only checks that it can reach port 25/, why: "the article's words about sending MTAs" },
      { re: /moves to the next MX only when/, why: "qmail-remote's rule, not a count" },
    ],
    "04-outage-longer-than-lifetime.md": [
      { re: /one last attempt/, why: "qmail's rule (qmail-send.c)" },
      { re: /can never be delivered/, why: "the definition of `mxsim profiles`' schedule" },
      { re: /Why not all the messages/, why: "the question asks, it does not state" },
    ],
    "05-no-secondary.md": [
      { re: /^# Lesson 5: no secondary at all/, why: "the title; the text asserts the single server" },
      { re: /a queue-only backup MX only moves/, why: "the conclusion of the comparison asserted just before" },
    ],
    "06-cluster.md": [
      { re: /comment 4/, why: "the article's comment number" },
      { re: /no longer a secondary MX/, why: "a definition" },
      { re: /blyx\.com's only MX/, why: "the scenario's DNS", scenario: /mx:\n\s+- \{ preference: 10, host: mx\.blyx\.com \}\n\n/ },
      { re: /answering ⟨code⟩ to everything/, why: "the question's hypothetical mode" },
      { re: /balancer only checks TCP/, why: "what the balancer's health check does" },
    ],
    "07-spam-backscatter.md": [],
    "08-flapping-primary.md": [
      { re: /Instead of one long outage/, why: "a contrast with the other lessons" },
      { re: /on average every 3 hours, for about 10 minutes/, why: "the scenario's flapping means", scenario: FLAPPING },
    ],
    "09-admin-flush.md": [{ re: /every queued message is tried at once/, why: "what qmail-send does on SIGALRM" }],
  },
  es: {
    "01-normal-week.md": [],
    "02-article-outage.md": [{ re: /\b30 horas\b/, why: "el mensaje hipotético de la pregunta" }],
    "03-saturated-primary.md": [
      { re: /lo único que comprueba es que puede llegar al puerto 25/, why: "lo que dice el artículo de los MTA que envían" },
      { re: /solo pasa al siguiente MX cuando/, why: "la regla de qmail-remote" },
    ],
    "04-outage-longer-than-lifetime.md": [
      { re: /nunca se puede entregar/, why: "la definición del calendario de `mxsim profiles`" },
      { re: /¿Por qué no todos los mensajes/, why: "la pregunta pregunta, no afirma" },
    ],
    "05-no-secondary.md": [
      { re: /^# Lección 5: sin ningún MX secundario/, why: "el título; el texto comprueba el único servidor" },
      { re: /un MX secundario que solo encola/, why: "la conclusión de la comparación comprobada justo antes" },
    ],
    "06-cluster.md": [
      { re: /comentario 4/, why: "el número del comentario del artículo" },
      { re: /El único MX de blyx\.com/, why: "el DNS del escenario", scenario: /mx:\n\s+- \{ preference: 10, host: mx\.blyx\.com \}\n\n/ },
      { re: /responder ⟨code⟩ a todo/, why: "el modo hipotético de la pregunta" },
      { re: /balanceador solo comprueba TCP/, why: "lo que hace la comprobación de estado del balanceador" },
    ],
    "07-spam-backscatter.md": [],
    "08-flapping-primary.md": [{ re: /de media cada 3 horas, durante unos 10 minutos/, why: "las medias de `flapping` del escenario", scenario: FLAPPING }],
    "09-admin-flush.md": [{ re: /del todo listo/, why: "una locución" }],
  },
};

const template = (l: Lang, file: string) => readFileSync(join(LESSON_SOURCES, langDir(l), file), "utf8");
// A lesson's own phrases first: they may contain a phrase of every lesson ("port 25").
const allowed = (l: Lang, file: string) => [...(PER_LESSON[l][file] ?? []), ...EVERY_LESSON[l]].map((a) => a.re);

describe("the counts a lesson states come from its run", () => {
  for (const l of LESSON_LANGS) {
    it(`(${l}) no template writes a number or claims all or none outside its placeholders and assertions`, () => {
      const found = lessonFiles(l).flatMap((file) => proseCounts(template(l, file), l, allowed(l, file)).map((f) => `${file}: ${f.kind} "${f.text}" in: ${f.sentence}`));
      expect(found).toEqual([]);
    });
  }

  it("every allowed phrase is used, and one that restates a scenario setting matches the scenario file", () => {
    const scenarios = lessonScenarios();
    for (const l of LESSON_LANGS) {
      expect(Object.keys(PER_LESSON[l]).sort()).toEqual(lessonFiles(l));
      for (const [file, list] of Object.entries(PER_LESSON[l])) {
        const prose = proseCounts(template(l, file), l).map((f) => f.sentence);
        for (const a of list) {
          expect(prose.some((s) => a.re.test(s)), `${l}/${file}: ${a.re} (${a.why}) matches no sentence that needs it`).toBe(true);
          if (a.scenario) expect(readFileSync(join("scenarios", scenarios.get(file)!), "utf8")).toMatch(a.scenario);
        }
      }
    }
  });

  it("flags a count written by hand, a wrong count in words, and a claim of none without an assertion", () => {
    const flagged = (text: string, l: Lang = "en") => proseCounts(text, l, EVERY_LESSON[l].map((a) => a.re)).map((f) => `${f.kind}:${f.text}`);
    expect(flagged("In 3 days the primary fails 22 times (the windows on the queue chart).")).toEqual(["number:3", "number:22"]);
    expect(flagged("The primary fails twice; both failures send mail to the backup.")).toEqual(["number:twice", "number:both"]);
    expect(flagged("Nothing is lost: no message bounces.")).toEqual(["quantifier:Nothing", "quantifier:no"]);
    expect(flagged("No se pierde nada: ningún mensaje rebota; el MX principal falla dos veces.", "es")).toEqual(["number:dos", "quantifier:nada", "quantifier:ningún"]);
    // Placeholders, assertions, code and link targets are not prose.
    expect(flagged("Nothing is lost: {{ summary.messages.bounced }} bounces.{{ assert summary.messages.bounced == 0 }} See `port 2525` and [x](../es/01-a.md).")).toEqual([]);
    expect(flagged("In {{ meta.duration_s | days }} the primary fails {{ run.outages_drawn }} times.")).toEqual([]);
  });

  it("refuses to build a lesson whose assertion the run contradicts, as lesson 8 would with a wrong count of failures", async () => {
    const wrong = template("en", "08-flapping-primary.md").replace("{{ assert run.outages_drawn == outages.length }}", "{{ assert run.outages_drawn == 22 }}");
    await expect(buildLessons(new Map([["08-flapping-primary.md", wrong]]), ["08-flapping-primary.md"])).rejects.toThrow(
      /08-flapping-primary\.md: the run contradicts the lesson: \{\{ assert run\.outages_drawn == 22 \}\} \(23 == 22 is false\)/,
    );
  }, 60_000);
});

describe("lesson 8's count of failures", () => {
  it("is the number of outage windows the queue chart shades", async () => {
    const { simulate } = await import("../../src/core/simulate.js");
    const { queueDepthChart } = await import("../../src/report/charts.js");
    const { model } = await import("../helpers.js");
    const r = simulate(model(readFileSync("scenarios/08-flapping-primary.yaml", "utf8")));
    const chart = queueDepthChart(r) as unknown as { config: { options: { plugins: { annotation: { annotations: Record<string, unknown> } } } } };
    const drawn = Object.keys(chart.config.options.plugins.annotation.annotations).filter((k) => k.startsWith("outage-")).length;
    const page = readFileSync("docs/lessons/08-flapping-primary.md", "utf8");
    expect(drawn).toBeGreaterThan(6);
    expect(page).toMatch(new RegExp(`the primary fails ${drawn} times \\(the windows on\\s+the queue chart\\)`));
    expect(readFileSync("docs/lessons/es/08-flapping-primary.md", "utf8")).toMatch(new RegExp(`el MX principal falla ${drawn} veces`));
  });
});
