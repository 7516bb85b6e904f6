/**
 * An mta: value (a server's or a sender's): the MTA's defaults with the
 * scenario's overrides merged over them, each override checked against its
 * option's spec, then the whole profile against its MTA's own rules.
 */
import { t } from "./text.js";
import { PROFILE_DEFAULTS, type Profile } from "../core/profile.js";
import { parseRetryRule } from "./exim-retry.js";
import type { CompileContext, Path } from "./compile-context.js";
import { parseDurationValue } from "./duration.js";
import { MTA_OPTIONS, profileProblems } from "./mta-options.js";
import { quote } from "./quote.js";
import { parseRetryList } from "./retry-list.js";
import type { MtaInput } from "./schema.js";

export function compileProfile(ctx: CompileContext, path: Path, m: MtaInput): Profile {
  const merged: Record<string, unknown> = { ...PROFILE_DEFAULTS[m.name] };
  for (const o of MTA_OPTIONS[m.name]) {
    const v = m[o.key];
    if (v === undefined) continue;
    const at = [...path, o.key];
    if (o.kind.type === "duration" || o.kind.type === "count") {
      if ((v as number) < o.kind.min) {
        ctx.issue(at, t("cli:scn.p.atLeast", { key: o.key, min: `${o.kind.min}${o.kind.type === "duration" ? "s" : ""}`, example: o.example }));
      }
      merged[o.key] = v;
    } else if (o.kind.type === "retry") {
      const r = parseRetryRule(v as string, seconds, quote);
      if (r.ok) merged[o.key] = r.rules;
      else ctx.issue(at, r.message);
    } else if (o.kind.type === "intervals") {
      const r = parseRetryList(v as string | number | (string | number)[], seconds, quote);
      if (r.ok) merged[o.key] = r.seconds;
      else ctx.issue(at, r.message);
    } else merged[o.key] = v;
  }
  const p = merged as unknown as Profile;
  for (const problem of profileProblems(p)) ctx.issue([...path, problem.key], problem.message);
  return p;
}

/** A duration in a retry rule, in seconds, or undefined when it is not one. */
function seconds(text: string): number | undefined {
  const d = parseDurationValue(text);
  return d.ok ? d.seconds : undefined;
}
