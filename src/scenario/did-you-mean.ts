import { closest, distance } from "fastest-levenshtein";
import { quote } from "./quote.js";
import { t } from "./text.js";

/** Names longer than this get no suggestion (a typo is in a name a person typed). */
const MAX_WORD = 100;
/** At most this many known names are compared (those of a similar length come first anyway). */
const MAX_CANDIDATES = 2000;

/** `; did you mean "x"?` when a known word is close to `word`, else "". The work is bounded whatever the lists hold. */
export function didYouMean(word: string, known: readonly string[]): string {
  if (known.length === 0 || word.length > MAX_WORD) return "";
  const limit = Math.max(2, Math.floor(word.length / 3));
  // A word more than `limit` characters longer or shorter cannot be within `limit` edits.
  const candidates: string[] = [];
  for (const k of known) {
    if (Math.abs(k.length - word.length) <= limit) candidates.push(k);
    if (candidates.length >= MAX_CANDIDATES) break;
  }
  if (candidates.length === 0) return "";
  const best = closest(word, candidates);
  return distance(word, best) <= limit ? t("cli:scn.didYouMean", { name: quote(best) }) : "";
}

/** `a, b or c` for messages. */
export function oneOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return t("cli:scn.oneOf", { some: words.slice(0, -1).join(", "), last: words[words.length - 1] });
}
