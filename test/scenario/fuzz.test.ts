import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { estimateRun } from "../../src/cli/guards.js";
import { simulate } from "../../src/core/simulate.js";
import { loadScenario } from "../../src/scenario/load.js";
import { summarize } from "../../src/report/summary.js";

const TEXTS = readdirSync("scenarios")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => readFileSync(join("scenarios", f), "utf8"));

/** The loader either accepts the text or answers with located, one-line diagnostics; it never throws. */
function loadsCleanly(text: string): ReturnType<typeof loadScenario> {
  const r = loadScenario(text, "fuzz.yaml");
  if (!r.ok) {
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.col).toBeGreaterThanOrEqual(1);
      expect(d.message.length).toBeGreaterThan(0);
      expect(d.message).not.toContain("\n");
    }
  }
  return r;
}

/** A run of an accepted scenario, when small enough to be quick: the counts must add up. */
function runsCleanly(r: ReturnType<typeof loadScenario>): void {
  if (!r.ok || estimateRun(r.model, { files: false, story: false }).events > 200_000) return;
  const s = summarize(simulate(r.model)).messages;
  expect(s.delivered + s.bounced + s.still_queued).toBe(s.created);
}

const anyValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1e6, max: 1e9 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("1h", "0s", "-5s", "7x", "20/h", "0/h", "refused", "qmail", "postfx", "relay", ".", "2008-03-11T09:00:00Z"),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

/** Paths to every value in a parsed document. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function mutate(doc: unknown, path: (string | number)[], op: number, value: unknown, key: string): unknown {
  if (path.length === 0) return op === 0 ? value : doc;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let parent = copy;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (op === 0) parent[last] = value; // replace a value
  else if (op === 1) delete parent[last]; // remove a key
  else if (op === 2 && parent[last] && typeof parent[last] === "object") (parent[last] as Record<string, unknown>)[key] = value; // add a key
  else if (op === 3 && typeof last === "string") {
    parent[`${last}${key}`] = parent[last]; // misspell a key
    delete parent[last];
  }
  return copy;
}

describe("fuzzing the scenario loader", () => {
  it("thousands of structurally mutated scenarios: a result or a clear error, never a crash", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: TEXTS.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), anyValue, fc.string({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 3 }),
        (which, edits) => {
          let doc: unknown = parse(TEXTS[which]!);
          for (const [pick, op, value, key] of edits) {
            const all = paths(doc);
            doc = mutate(doc, all[pick % all.length]!, op, value, key);
          }
          runsCleanly(loadsCleanly(stringify(doc)));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("thousands of mangled texts (characters cut, doubled, replaced): never a crash", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: TEXTS.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.constantFrom(":", "-", " ", "\t", "[", "{", "&a", "*a", "'", '"', "\n", "#", "\u0000", "é")), {
          minLength: 1,
          maxLength: 4,
        }),
        (which, edits) => {
          let text = TEXTS[which]!;
          for (const [pos, op, ch] of edits) {
            const i = pos % (text.length + 1);
            text = op === 0 ? text.slice(0, i) + text.slice(i + 1) : op === 1 ? text.slice(0, i) + ch + text.slice(i) : text.slice(0, i) + ch + text.slice(i + 1);
          }
          runsCleanly(loadsCleanly(text));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
