/**
 * Values echoed back to the user (in errors, warnings, file names) are
 * escaped and cut short: a key, a name or a path taken from a file or a
 * command line can never add a line to the output, move the cursor, change
 * colours, or flood the terminal. Pure: used by the scenario loader and the CLI.
 */
import { t } from "./text.js";

/** Longest quoted value, in characters, before it is cut with "…". */
export const QUOTE_MAX = 60;
/** Longest path shown, in characters; longer ones keep their start and their end. */
export const PATH_MAX = 160;

// C0 controls, DEL, C1 controls; the line and paragraph separators; bidirectional
// overrides and isolates (they reorder what the terminal shows); zero-width and BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0", "\u001b": "\\x1b" };

/** `text` with every unsafe character written as an escape (\n, \x1b, \0, \u202e…); backslashes stay as they are. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** The first `max` characters (code points) of `text`, with "…" when it was longer. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text.slice(0, max * 2));
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** A value for a message: escaped, cut, in double quotes. */
export function quote(value: string, max = QUOTE_MAX): string {
  return `"${cut(escapeControls(value), max)}"`;
}

/** A file path for a message: escaped; a long one keeps its beginning and its end (the file name). */
export function showPath(path: string, max = PATH_MAX): string {
  const safe = escapeControls(path);
  const chars = Array.from(safe);
  if (chars.length <= max) return safe;
  const tail = Math.floor((max * 2) / 3);
  return `${chars.slice(0, max - tail - 1).join("")}…${chars.slice(chars.length - tail).join("")}`;
}

/** `a, b or c`, with at most `max` items named and "… (N more)" for the rest. */
export function listSome(items: readonly string[], max = 8): string[] {
  return items.length <= max ? [...items] : [...items.slice(0, max), t("cli:scn.more", { n: items.length - max })];
}
