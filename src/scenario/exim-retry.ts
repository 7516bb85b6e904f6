/**
 * Exim's retry rule syntax, as a scenario writes it: the parameter sets of a
 * `begin retry` rule (`F,2h,15m; G,16h,1h,1.5; F,4d,6h`), checked as
 * readconf.c checks them, into the rules core/profiles/exim.ts applies.
 */
import { t } from "./text.js";
import { EXIM_DEFAULT_RETRY, type RetryRule } from "../core/profiles/exim.js";

/** Parses Exim's retry rule syntax, e.g. `F,2h,15m; G,16h,1h,1.5; F,4d,6h`. */
export function parseRetryRule(
  text: string,
  duration: (s: string) => number | undefined,
  /** How a part of the rule is quoted in an error message. */
  show: (s: string) => string = (s) => JSON.stringify(s),
): { ok: true; rules: RetryRule[] } | { ok: false; message: string } {
  const rules: RetryRule[] = [];
  for (const part of text.split(";").map((s) => s.trim()).filter(Boolean)) {
    const f = part.split(",").map((s) => s.trim());
    const kind = f[0]?.toUpperCase();
    const cutoff = f[1] !== undefined ? duration(f[1]) : undefined;
    const p1 = f[2] !== undefined ? duration(f[2]) : undefined;
    if (kind === "F" && f.length === 3 && cutoff !== undefined && p1 !== undefined && p1 > 0) {
      rules.push({ kind, cutoff, p1, p2: 0 });
    } else if (kind === "G" && f.length === 4 && cutoff !== undefined && p1 !== undefined && p1 > 0 && /^\d+(\.\d{1,3})?$/.test(f[3]!)) {
      rules.push({ kind, cutoff, p1, p2: Math.round(Number(f[3]) * 1000) });
    } else if (kind === "G" && f.length === 4 && cutoff !== undefined && p1 !== undefined && p1 > 0) {
      return { ok: false, message: t("cli:scn.r.multiplier", { part: show(part) }) };
    } else {
      return {
        ok: false,
        message: t("cli:scn.r.notSet", { part: show(part), example: EXIM_DEFAULT_RETRY }),
      };
    }
  }
  // readconf.c, readconf_retries(): "bad parameters for retry rule" when a cutoff or interval is not
  // positive or a G multiplier is below 1.
  const stuck = rules.find((r) => r.cutoff <= 0 || (r.kind === "G" && r.p2 < 1000));
  if (stuck) {
    return {
      ok: false,
      message:
        stuck.cutoff <= 0
          ? t("cli:scn.r.cutoffZero", { example: EXIM_DEFAULT_RETRY })
          : t("cli:scn.r.shrinks"),
    };
  }
  if (rules.length === 0) return { ok: false, message: t("cli:scn.r.empty", { example: EXIM_DEFAULT_RETRY }) };
  for (let i = 1; i < rules.length; i++) {
    if (rules[i]!.cutoff <= rules[i - 1]!.cutoff) {
      return { ok: false, message: t("cli:scn.r.grow", { example: EXIM_DEFAULT_RETRY }) };
    }
  }
  return { ok: true, rules };
}
