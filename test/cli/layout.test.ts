import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The terminal is the CLI's: src/report stays free of terminal packages (cli-table3 requires Node's
// util and os, picocolors reads process when loaded), so it can run in a browser; the tables are
// src/cli/text/*. And the commands import nothing back from cli.ts (the command table), so the
// command line has no import circle.

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** The module specifiers a file imports or re-exports. */
const imports = (file: string) => [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\b[^;]*?\sfrom\s+"([^"]+)"/gms)].map((m) => m[1]);

describe("layout of the terminal code", () => {
  it.each(files("src/report"))("%s imports no terminal package", (file) => {
    expect(imports(file).filter((s) => s === "cli-table3" || s === "picocolors")).toEqual([]);
  });

  it("the tables that do import them are under src/cli/text", () => {
    const users = files("src").filter((f) => imports(f).some((s) => s === "cli-table3" || s === "picocolors"));
    expect(users.filter((f) => !f.startsWith(join("src", "cli")))).toEqual([]);
    expect(users.some((f) => f.startsWith(join("src", "cli", "text")))).toBe(true);
  });

  it.each(files("src/cli/commands"))("%s does not import cli.ts", (file) => {
    expect(imports(file).filter((s) => /(^|\/)cli\.js$/.test(s))).toEqual([]);
  });
});
