/** Every shipped scenario has its own name: the name is the default output folder, and two alike overwrite each other's. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/** The YAML files under scenarios/, in every folder. */
function shipped(dir = "scenarios"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? shipped(join(dir, e.name)) : e.name.endsWith(".yaml") ? [join(dir, e.name)] : [],
  );
}

describe("shipped scenario names", () => {
  it("are unique across scenarios/ and its folders", () => {
    const byName = new Map<string, string[]>();
    for (const file of shipped()) {
      const name = (parse(readFileSync(file, "utf8")) as { name: string }).name;
      byName.set(name, [...(byName.get(name) ?? []), file]);
    }
    expect(byName.size).toBeGreaterThan(10);
    expect([...byName].filter(([, files]) => files.length > 1)).toEqual([]);
  });
});
