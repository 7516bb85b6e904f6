import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The simulation core is pure and deterministic: no I/O, no wall clock, no Math.random.
// tsconfig.core.json (no Node types) rejects Node APIs at compile time; this test
// catches what the compiler allows.
const FORBIDDEN: [RegExp, string][] = [
  [/Math\.random/, "Math.random (use a named stream from rng.ts)"],
  [/Date\.now|new Date\b|performance\.now/, "the wall clock"],
  [/from\s+["']node:|require\(/, "Node modules"],
  [/\bprocess\./, "process"],
  [/console\./, "console output"],
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("src/core stays pure", () => {
  const sources = files("src/core");
  it("has source files", () => expect(sources.length).toBeGreaterThan(5));
  it.each(sources)("%s uses no I/O, clock or Math.random", (file) => {
    // Comments may name what they avoid; only code counts.
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    for (const [re, what] of FORBIDDEN) expect(text, `${file} uses ${what}`).not.toMatch(re);
  });
});
