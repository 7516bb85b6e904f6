/**
 * The retry list a scenario writes for a sender: `10m, 15m, 30m, 1h*3` —
 * durations separated by commas, `*n` repeating one n times (Haraka's
 * temp_fail_intervals syntax), the last one repeating after the list ends
 * (Stalwart's queue.schedule.retry). `none` (or an empty list) is no
 * interval, for lists that may be empty (delay notices).
 */
import { t } from "./text.js";

/** The most intervals a list may hold (one `*n` included): a list longer than this is a typo, since the last interval repeats anyway. */
export const MAX_REPEAT = 100_000;

export function parseRetryList(
  value: string | number | readonly (string | number)[],
  duration: (s: string) => number | undefined,
  show: (s: string) => string = (s) => JSON.stringify(s),
): { ok: true; seconds: number[] } | { ok: false; message: string } {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(",");
  const parts = items.map((s) => s.trim());
  if (parts.length === 1 && /^none$/i.test(parts[0]!)) return { ok: true, seconds: [] };
  const seconds: number[] = [];
  for (const part of parts) {
    if (part === "" && parts.length === 1) return { ok: true, seconds: [] };
    const m = /^(.*?)(?:\s*\*\s*(\d+))?$/.exec(part)!;
    const d = duration(m[1]!.trim());
    if (d === undefined || d <= 0) {
      return { ok: false, message: t("cli:scn.l.notInterval", { part: show(part) }) };
    }
    const n = m[2] === undefined ? 1 : Number(m[2]);
    if (n < 1 || n > MAX_REPEAT) return { ok: false, message: t("cli:scn.l.repeat", { part: show(part), max: MAX_REPEAT }) };
    if (seconds.length + n > MAX_REPEAT) return { ok: false, message: t("cli:scn.l.tooMany", { part: show(part), max: MAX_REPEAT }) };
    for (let k = 0; k < n; k++) seconds.push(d);
  }
  return { ok: true, seconds };
}
