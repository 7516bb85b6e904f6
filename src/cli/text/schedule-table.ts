/** `mxsim profiles`' text: a profile's header, its table of attempts, and the outcome. */
import { BOUNCE_INFO } from "../../core/outcomes.js";
import { MTA_SETTINGS, PROFILE_DEFAULTS, PROFILE_INFO, type MtaName } from "../../core/profile.js";
import { sourceTag, valueText } from "../../report/model-doc.js";
import { dhms } from "../../report/format.js";
import { DOWN_FOR, type Schedule } from "../../report/profile-schedule.js";
import { boxTable } from "./table.js";

/** The schedule as text: a header, a table of attempts, and the outcome. */
export function scheduleText(s: Schedule): string {
  const info = PROFILE_INFO[s.mta];
  const out = [`${s.mta}: ${info.title}`, info.description, ...sourcedSettings(s.mta) ?? [`Source: ${info.source}`]];
  out.push("A message that can never be delivered (its only MX refuses every connection), queued at 0 s:");
  const table = boxTable(["attempt", "seconds", "d-hh:mm:ss"], { colAligns: ["right", "right", "right"] });
  s.attempts.forEach((t, i) => table.push([i + 1, t, dhms(t)]));
  out.push(table.toString());
  if (s.withoutConnection > 0) {
    out.push(`Plus ${s.withoutConnection} deliveries that made no connection (the host was still in its retry wait).`);
  }
  out.push(
    s.warnings.length > 0
      ? `Delay warnings: at ${s.warnings.map((w) => `${w} s (${dhms(w)})`).join(", ")}.`
      : "Delay warnings: none.",
  );
  out.push(
    s.bounceAt !== null
      ? `Bounced at ${s.bounceAt} s (${dhms(s.bounceAt)}) after ${s.attempts.length} attempts: ${BOUNCE_INFO[s.bounceReason as keyof typeof BOUNCE_INFO].text}.`
      : `Not bounced within ${DOWN_FOR / 86400} days.`,
  );
  return out.join("\n");
}

/** For a profile whose numbers come from different kinds of source (a provider's): its settings, each with its source. */
function sourcedSettings(mta: MtaName): string[] | undefined {
  const specs = MTA_SETTINGS[mta];
  if (!specs.some((o) => o.source)) return undefined;
  const defaults = PROFILE_DEFAULTS[mta] as unknown as Record<string, unknown>;
  const table = boxTable(["setting", "default", "source"], { colWidths: [18, 30, 60] });
  for (const o of specs) table.push([o.key, valueText(o.kind, defaults[o.key], o.example), o.source ? sourceTag(o.source) : ""]);
  return ["Its settings, each with the kind of source its default comes from (every one can be overridden in a scenario):", table.toString()];
}
