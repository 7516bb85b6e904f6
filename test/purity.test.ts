import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The browser-safe layers are pure and deterministic: no I/O, no wall clock, no
// Math.random. tsconfig.core.json (no Node types) rejects Node APIs at compile
// time in all three; this test catches what the compiler allows.
const LAYERS = ["src/core", "src/scenario", "src/report"];

// The wall clock is Date.now(), a Date made without a time (`new Date()`, `new Date`)
// and Date() called as a function (today's date as a string). A Date made from a
// given time is not: report/format.ts prints a simulated instant with
// `new Date(ms).toISOString()`, which depends only on ms.
const WALL_CLOCK = /\bDate\.now\b|\bnew\s+Date\b(?!\s*\(\s*[^\s)])|(?<![\w.$]|\bnew\s+)\bDate\s*\(|\bperformance\.now\b/;

const FORBIDDEN: [RegExp, string][] = [
  [/Math\.random/, "Math.random (use a named stream from rng.ts)"],
  [WALL_CLOCK, "the wall clock"],
  [/from\s+["']node:|require\(/, "Node modules"],
  [/\bprocess\./, "process"],
  [/console\./, "console output"],
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("the wall-clock pattern", () => {
  it.each(["Date.now()", "new Date()", "new Date( )", "const d = new Date;", "String(Date())", "performance.now()"])(
    "catches %s",
    (code) => expect(code).toMatch(WALL_CLOCK),
  );
  it.each(["new Date(ms).toISOString()", "new Date(day * 86400000)", "Date.parse(text)", "toDate(x)", "x.Date(1)"])(
    "lets %s through",
    (code) => expect(code).not.toMatch(WALL_CLOCK),
  );
});

describe.each(LAYERS)("%s stays pure", (layer) => {
  const sources = files(layer);
  it("has source files", () => expect(sources.length).toBeGreaterThan(5));
  it.each(sources)("%s uses no I/O, clock or Math.random", (file) => {
    // Comments may name what they avoid; only code counts.
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    for (const [re, what] of FORBIDDEN) expect(text, `${file} uses ${what}`).not.toMatch(re);
  });
});
