/** `mxsim compare`'s table: one row per metric, one column per scenario, by section; then the verdicts and the expectations. */
import pc from "picocolors";
import type { Variant, Verdicts } from "../../report/compare.js";
import { compareRows } from "../../report/compare-rows.js";
import { boxTable } from "./table.js";

export function compareTable(variants: Variant[], color = false): string {
  const c = pc.createColors(color);
  const t = boxTable(["", ...variants.map((v) => v.name)], {
    headStyle: color ? ["bold"] : [],
    colAligns: ["left", ...variants.map(() => "right" as const)],
  });
  let section = "";
  for (const r of compareRows(variants)) {
    if (r.section !== section) {
      section = r.section;
      t.push([c.bold(section.toUpperCase()), ...variants.map(() => "")]);
    }
    t.push([`${"  ".repeat(r.indent + 1)}${r.label}`, ...r.cells.map((cell) => cell.text)]);
  }
  return t.toString();
}

/** "Against no-secondary (the first scenario given):" and one sentence per other scenario. */
export function verdictLines(v: Verdicts): string[] {
  return [`Against ${v.baseline} (the baseline: ${v.chosen}):`, ...v.sentences.map((s) => `  ${s.text}`)];
}

/** Each scenario's `expect:` bounds, as `mxsim run` prints them; nothing when no scenario has any. */
export function expectationLines(variants: Variant[]): string[] {
  if (variants.every((v) => v.checks.length === 0)) return [];
  const lines: string[] = [];
  for (const v of variants) {
    if (v.checks.length === 0) {
      lines.push(`${v.name}: no expectations (expect:)`);
      continue;
    }
    const failed = v.checks.filter((ch) => !ch.ok).length;
    lines.push(`${v.name}: ${failed === 0 ? `all ${v.checks.length} expectations hold` : `${failed} of ${v.checks.length} expectations broken`}`);
    for (const ch of v.checks) lines.push(`  ${ch.ok ? "ok    " : "BROKEN"} ${ch.text}`);
  }
  return lines;
}
