import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The layer rule (architecture review §1.1): scenario never imports report or cli. What both
// need (e.g. `human`) lives in core, the layer under both.
const sources = readdirSync("src/scenario")
  .filter((f) => f.endsWith(".ts"))
  .map((f) => join("src/scenario", f));

describe("src/scenario stays below report and cli", () => {
  it("has source files", () => expect(sources.length).toBeGreaterThan(5));
  it.each(sources)("%s imports neither report nor cli", (file) => {
    const text = readFileSync(file, "utf8");
    expect(text).not.toMatch(/from\s+["']\.\.\/(report|cli)\//);
  });
});
