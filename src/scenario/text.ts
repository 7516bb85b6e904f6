/**
 * The scenario layer's messages: `t` of src/i18n, remembered. A hostile or
 * broken file can raise thousands of issues that repeat the same words (zod
 * words every issue, shown or not), and one i18next call costs far more than
 * the template it replaced; a bounded memo keeps the loader as fast as it was.
 * The text is the same as t's: the key includes the language and every value.
 */
import { lang, t as translate } from "../i18n/index.js";

const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, string>();
// Numbers become objects, so that 5 and "5", NaN and null stay apart in the key.
const keyOf = (_: string, v: unknown) => (typeof v === "number" ? { n: String(v) } : v);

export function t(key: string, values?: Record<string, unknown>): string {
  const id = `${lang()}\u0000${key}\u0000${values === undefined ? "" : JSON.stringify(values, keyOf)}`;
  let text = remembered.get(id);
  if (text === undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    text = translate(key, values);
    remembered.set(id, text);
  }
  return text;
}
