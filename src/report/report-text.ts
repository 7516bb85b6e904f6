/** Small text pieces the run's summary, verdict, introduction and report.html share, in the current language. */
import type { Path } from "../core/outcomes.js";
import { int, lang, pct, t } from "../i18n/index.js";

/**
 * A count as the tables print it: English keeps the bare digits it always printed ("12189"), Spanish
 * groups as Spanish does ("12.189", four digits left alone: "2385").
 */
export function num(n: number): string {
  return lang() === "en" ? String(n) : int(n);
}

/** `part` of `whole` as a percentage with one decimal ("0.0%" of nothing). */
export function shareOf(part: number, whole: number): string {
  return pct(whole ? (100 * part) / whole : 0);
}

/** A path's name in the tables ("delivered directly"). */
export function pathTitle(p: Path): string {
  return t(`report:path.${p}`);
}

/** "a", "a and b", "a, b and c" in the current language. */
export function listText(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  if (items.length === 2) return t("report:intro.list2", { a: items[0], b: items[1] });
  return t("report:intro.listMore", { items: items.slice(0, -1).join(t("report:intro.sep")), last: items.at(-1) });
}
