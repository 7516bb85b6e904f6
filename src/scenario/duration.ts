/**
 * Durations and rates as people write them in mail-server configs.
 *
 * A duration is a number followed by a unit, or several of them run together:
 * `400s`, `36h`, `7d`, `1h30m`, `2w`. Units: s, m (minutes), h, d, w, as in
 * Postfix's main.cf. A bare number means seconds, as in qmail's control files
 * (control/queuelifetime holds `604800`) and Postfix's default unit.
 *
 * The strict pattern is checked here; the arithmetic is parse-duration's.
 */
import parseDuration from "parse-duration";

const UNIT_RE = /^(\d+(\.\d+)?(w|d|h|m|s))+$/;
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export const DURATION_HINT = "write a number and a unit (s, m, h, d, w), e.g. 90s, 36h, 7d or 1h30m";

/** Seconds in `value`, or an error message saying what to write instead. */
export function parseDurationValue(value: unknown): { ok: true; seconds: number } | { ok: false; message: string } {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      return { ok: false, message: `${value} is not a duration; ${DURATION_HINT}` };
    }
    if (!Number.isInteger(value)) {
      return { ok: false, message: `${value} is not a whole number of seconds; ${DURATION_HINT}` };
    }
    return { ok: true, seconds: value };
  }
  if (typeof value !== "string") {
    return { ok: false, message: `expected a duration, got ${describe(value)}; ${DURATION_HINT}` };
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) return { ok: true, seconds: Number(text) };
  if (!UNIT_RE.test(text)) {
    return { ok: false, message: `"${value}" is not a duration; ${DURATION_HINT}` };
  }
  const seconds = parseDuration(text, "s");
  if (seconds === null || !Number.isFinite(seconds)) {
    return { ok: false, message: `"${value}" is not a duration; ${DURATION_HINT}` };
  }
  if (!Number.isInteger(seconds)) {
    return { ok: false, message: `"${value}" is not a whole number of seconds; ${DURATION_HINT}` };
  }
  return { ok: true, seconds };
}

export const RATE_HINT = "write messages per unit of time, e.g. 20/h, 500/d or 0.5/m";

/** Messages per second in a rate such as `20/h`, or an error message. */
export function parseRate(value: unknown): { ok: true; perSecond: number } | { ok: false; message: string } {
  if (typeof value !== "string") {
    return { ok: false, message: `expected a rate, got ${describe(value)}; ${RATE_HINT}` };
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|m|h|d|w)\s*$/.exec(value);
  if (!m) return { ok: false, message: `"${value}" is not a rate; ${RATE_HINT}` };
  const count = Number(m[1]);
  if (count <= 0) return { ok: false, message: `a rate of ${value} sends nothing; ${RATE_HINT}, or remove the sender` };
  return { ok: true, perSecond: count / SECONDS[m[2]!]! };
}

/** A short description of a YAML value for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return `"${value}"`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}
