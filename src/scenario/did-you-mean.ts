import { closest, distance } from "fastest-levenshtein";

/** `; did you mean "x"?` when a known word is close to `word`, else "". */
export function didYouMean(word: string, known: readonly string[]): string {
  if (known.length === 0) return "";
  const best = closest(word, known as string[]);
  const limit = Math.max(2, Math.floor(word.length / 3));
  return distance(word, best) <= limit ? `; did you mean "${best}"?` : "";
}

/** `a, b or c` for messages. */
export function oneOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}
