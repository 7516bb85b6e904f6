/**
 * Durations and rates as people write them in mail-server configs.
 *
 * A duration is a number followed by a unit, or several of them run together:
 * `400s`, `36h`, `7d`, `1h30m`, `2w`, `1.5h`. Units: s, m (minutes), h, d, w,
 * as in Postfix's main.cf. A bare number means seconds, as in qmail's control
 * files (control/queuelifetime holds `604800`) and Postfix's default unit.
 *
 * The arithmetic is exact: `2.3d` is 198720 s, not 198719.99999999997 (a
 * floating-point product, which is what parse-duration gives and why it is
 * not used). Every duration must be whole seconds and at most MAX_DURATION.
 */
import { quote } from "./quote.js";
import { t } from "./text.js";

const UNIT_RE = /^(\d+(\.\d+)?(w|d|h|m|s))+$/;
const PART_RE = /(\d+)(?:\.(\d+))?(w|d|h|m|s)/g;
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** The longest duration any setting may have: ten years (times stay exact integers far below 2^53). */
export const MAX_DURATION = 3650 * 86400;
/** "3650d (ten years)", in the current language. */
export const maxDurationText = () => t("cli:scn.maxDuration");

/** What a duration looks like, said after a bad one (in the current language). */
export const durationHint = () => t("cli:scn.durationHint");

const tooLong = (what: string) => ({
  ok: false as const,
  message: t("cli:scn.durationTooLong", { what, max: maxDurationText(), days: MAX_DURATION / 86400 }),
});

/** Seconds in `value`, or an error message saying what to write instead. */
export function parseDurationValue(value: unknown): { ok: true; seconds: number } | { ok: false; message: string } {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { ok: false, message: t("cli:scn.durationNotFinite", { value, hint: durationHint() }) };
    if (value < 0) return { ok: false, message: t("cli:scn.durationNegative", { value, hint: durationHint() }) };
    if (value > MAX_DURATION) return tooLong(t("cli:scn.seconds", { value }));
    if (!Number.isInteger(value)) return { ok: false, message: t("cli:scn.durationNotWhole", { value, hint: durationHint() }) };
    return { ok: true, seconds: value };
  }
  if (typeof value !== "string") {
    return { ok: false, message: t("cli:scn.expectedDuration", { got: describe(value), hint: durationHint() }) };
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n > MAX_DURATION ? tooLong(t("cli:scn.seconds", { value: quote(value) })) : { ok: true, seconds: n };
  }
  if (!UNIT_RE.test(text)) return { ok: false, message: t("cli:scn.notDuration", { value: quote(value), hint: durationHint() }) };
  // Each part exactly: (whole + fraction) × unit, in integer arithmetic on the written digits.
  let seconds = 0n;
  for (const [, whole, written = "", unit] of text.matchAll(PART_RE)) {
    // Bounded digits keep the arithmetic small: 15 digits of whole units already exceed the limit, and
    // more than 7 significant decimals can never make whole seconds (a week is 2^7·3^3·5^2·7 s).
    const frac = written.replace(/0+$/, "");
    if (whole!.replace(/^0+/, "").length > 15) return tooLong(quote(value));
    if (frac.length > 7) return { ok: false, message: t("cli:scn.durationNotWhole", { value: quote(value), hint: durationHint() }) };
    const scale = 10n ** BigInt(frac.length);
    const scaled = BigInt(whole! + frac) * BigInt(SECONDS[unit!]!);
    if (scaled % scale !== 0n) return { ok: false, message: t("cli:scn.durationNotWhole", { value: quote(value), hint: durationHint() }) };
    seconds += scaled / scale;
    if (seconds > BigInt(MAX_DURATION)) return tooLong(quote(value));
  }
  return { ok: true, seconds: Number(seconds) };
}

/** What a rate looks like, said after a bad one (in the current language). */
export const rateHint = () => t("cli:scn.rateHint");
/** The highest rate of one sender: a thousand messages a second (86.4 million a day). */
export const MAX_RATE_PER_SECOND = 1000;

/** Messages per second in a rate such as `20/h`, or an error message. */
export function parseRate(value: unknown): { ok: true; perSecond: number } | { ok: false; message: string } {
  if (typeof value !== "string") {
    return { ok: false, message: t("cli:scn.expectedRate", { got: describe(value), hint: rateHint() }) };
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|m|h|d|w)\s*$/.exec(value);
  if (!m) return { ok: false, message: t("cli:scn.notRate", { value: quote(value), hint: rateHint() }) };
  const count = Number(m[1]);
  if (count <= 0) return { ok: false, message: t("cli:scn.rateZero", { value: quote(value), hint: rateHint() }) };
  const perSecond = count / SECONDS[m[2]!]!;
  if (!Number.isFinite(perSecond) || perSecond > MAX_RATE_PER_SECOND) {
    return { ok: false, message: t("cli:scn.rateTooHigh", { value: quote(value), max: MAX_RATE_PER_SECOND }) };
  }
  if (perSecond * MAX_DURATION < 1e-6) {
    return { ok: false, message: t("cli:scn.rateTooLow", { value: quote(value), hint: rateHint() }) };
  }
  return { ok: true, perSecond };
}

/** A short description of a YAML value for error messages (strings escaped and cut). */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return t("cli:scn.describe.nothing");
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return t("cli:scn.describe.list");
  if (typeof value === "object") return t("cli:scn.describe.mapping");
  if (typeof value === "number" && !Number.isFinite(value)) return t("cli:scn.describe.notFinite", { value });
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) return t("cli:scn.describe.unsafe", { value, max: Number.MAX_SAFE_INTEGER });
  return String(value);
}
