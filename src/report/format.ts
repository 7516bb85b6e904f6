/** Time formats shared by tables, CSV files and charts. Locale-independent. */

// `human` is shared with the scenario layer's warnings, so it lives in core (the one layer both import);
// re-exported here so that the reports keep one place to take their formats from.
export { human } from "../core/duration-text.js";

/** "7-01:00:00": days-hh:mm:ss, the way Life with qmail prints its retry table. */
export function dhms(seconds: number): string {
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const rest = s - d * 86400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, "0");
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, "0");
  const ss = String(rest % 60).padStart(2, "0");
  return `${d}-${hh}:${mm}:${ss}`;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
/** "YYYY-MM-DD" per day number since the epoch: a run spans at most a year of days. */
const dayNames = new Map<number, string>();

/**
 * ISO 8601 UTC time of `seconds` after the scenario's start, without
 * milliseconds. Called twice per CSV row, so the date part is formatted once
 * per day and the time of day from a table (Date.toISOString per row was most
 * of the cost of writing a million rows).
 */
export function isoAt(startEpochMs: number, seconds: number): string {
  if (!Number.isFinite(seconds)) return "";
  const ms = startEpochMs + seconds * 1000;
  if (ms % 1000 !== 0) return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const total = ms / 1000;
  const day = Math.floor(total / 86400);
  let date = dayNames.get(day);
  if (date === undefined) {
    date = new Date(day * 86400000).toISOString().slice(0, 10);
    dayNames.set(day, date);
  }
  const sod = total - day * 86400;
  const h = Math.floor(sod / 3600);
  const m = Math.floor((sod % 3600) / 60);
  return `${date}T${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[sod % 60]}Z`;
}

/** The unit charts use on their time axis: hours for up to 3 days, days beyond. */
export function timeUnit(duration: number): { name: "hours" | "days"; seconds: number } {
  return duration <= 3 * 86400 ? { name: "hours", seconds: 3600 } : { name: "days", seconds: 86400 };
}

/** "1d 09:06:54" or "09:06:54": an exact offset in seconds, for step-by-step stories. */
export function offset(seconds: number): string {
  const [d, hms] = dhms(seconds).split("-") as [string, string];
  return d === "0" ? hms : `${d}d ${hms}`;
}
