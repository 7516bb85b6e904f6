/** Time formats shared by tables, CSV files and charts. Locale-independent. */
import prettyMs from "pretty-ms";

/** "3h 51m", "6m 40s", "7d 1h", "0s": a duration in seconds for people. */
export function human(seconds: number): string {
  if (!Number.isFinite(seconds)) return "-";
  if (Math.round(seconds) === 0) return "0s";
  return prettyMs(Math.round(seconds) * 1000, { unitCount: 2, secondsDecimalDigits: 0 });
}

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

/** ISO 8601 UTC time of `seconds` after the scenario's start, without milliseconds. */
export function isoAt(startEpochMs: number, seconds: number): string {
  if (!Number.isFinite(seconds)) return "";
  return new Date(startEpochMs + seconds * 1000).toISOString().replace(".000Z", "Z");
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
