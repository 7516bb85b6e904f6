/**
 * The senders: section: who sends to which domain, when (a rate or a list of times), until when, and from
 * which MTA — or, with `mix:`, from several MTAs as shares of one rate: one model sender per MTA, named
 * `<sender>/<mta>`, each sending its share of the rate (a Poisson process split by shares is a Poisson
 * process per share).
 */
import type { Arrivals, Sender } from "../core/model.js";
import { MTA_NAMES, type Profile } from "../core/profile.js";
import type { CompileContext, Path } from "./compile-context.js";
import { compileProfile } from "./compile-profile.js";
import { quote } from "./quote.js";
import { t } from "./text.js";
import { mta as mtaSchema, type MtaInput, type ScenarioInput } from "./schema.js";

type SenderInput = ScenarioInput["senders"][string];

/** The senders, and for each name written under senders: the model senders it became (several for a mix). */
export function compileSenders(ctx: CompileContext): { senders: Sender[]; byName: Map<string, number[]> } {
  const senders: Sender[] = [];
  const byName = new Map<string, number[]>();
  for (const [name, s] of Object.entries(ctx.input.senders)) {
    const base: Path = ["senders", name];
    if (ctx.serverIndex.has(name)) ctx.issue(base, t("cli:scn.c.senderIsServer", { name: quote(name) }));
    const arrivals = compileArrivals(ctx, s, base);
    const until = s.until !== undefined ? Math.round(ctx.toSeconds(s.until)) : Infinity;
    if (until <= 0) ctx.issue([...base, "until"], t("cli:scn.c.untilNever"));
    const common = {
      until,
      domain: ctx.needDomain([...base, "to"], s.to),
      forged: s.forged,
      invalidRecipients: s.invalid_recipients,
      target: s.target,
      retries: s.retries,
    };
    const first = senders.length;
    if (s.mix === undefined) {
      const profile = compileProfile(ctx, [...base, "mta"], (s.mta ?? { name: "qmail" }) as MtaInput);
      senders.push(sender(name, common, arrivals, profile));
    } else {
      for (const part of compileMix(ctx, s.mix, base, arrivals)) senders.push(sender(`${name}/${part.mta.name}`, common, part.arrivals, part.profile));
    }
    byName.set(name, Array.from({ length: senders.length - first }, (_, k) => first + k));
  }
  return { senders, byName };
}

/** A model sender, its fields in the model's order. */
function sender(name: string, c: Omit<Sender, "name" | "arrivals" | "profile">, arrivals: Arrivals, profile: Profile): Sender {
  return { name, until: c.until, domain: c.domain, arrivals, profile, forged: c.forged, invalidRecipients: c.invalidRecipients, target: c.target, retries: c.retries };
}

type MixInput = NonNullable<SenderInput["mix"]>;

/** Each MTA of a mix with its share of the rate; the shares must add up to 100%. */
function compileMix(ctx: CompileContext, mix: MixInput, base: Path, arrivals: Arrivals) {
  const path: Path = [...base, "mix"];
  const entries = Object.entries(mix);
  if (entries.length === 0) ctx.issue(path, t("cli:scn.c.mixEmpty"));
  const total = entries.reduce((sum, [, e]) => sum + e.share, 0);
  if (entries.length > 0 && Math.abs(total - 100) > 1e-6) {
    ctx.issue(path, t("cli:scn.c.shares", { total: +total.toFixed(6) }));
  }
  const rate = arrivals.kind === "poisson" ? arrivals.rate : 0;
  return entries.flatMap(([name, e]) => {
    const at: Path = [...path, name];
    if (!(MTA_NAMES as readonly string[]).includes(name)) {
      ctx.issue(at, t("cli:scn.c.notMta", { name: quote(name), suggestion: ctx.suggest(name, MTA_NAMES, t("cli:scn.c.writeOneOf")) }));
      return [];
    }
    if (e.share <= 0) ctx.issue([...at, "share"], t("cli:scn.c.shareZero"));
    const { share: _share, ...overrides } = e;
    const parsed = mtaSchema.safeParse({ ...overrides, name });
    if (!parsed.success) {
      for (const iss of parsed.error.issues) ctx.issue([...at, ...(iss.path as (string | number)[]).filter((p) => p !== "name")], iss.message);
      return [];
    }
    const mta = parsed.data as MtaInput;
    return [{ mta, arrivals: { kind: "poisson" as const, rate: (rate * e.share) / 100 }, profile: compileProfile(ctx, at, mta) }];
  });
}

/** Poisson arrivals at a rate, or the listed send times (each inside the run), sorted. */
function compileArrivals(ctx: CompileContext, s: SenderInput, base: Path): Arrivals {
  if (s.rate !== undefined) return { kind: "poisson", rate: s.rate };
  const { duration } = ctx.input;
  const times = (s.at ?? []).map((p, i) => {
    const at = ctx.toSeconds(p);
    if (at < 0 || at >= duration) {
      ctx.issue([...base, "at", i], t("cli:scn.c.sendTimeOutside", { duration }));
    }
    return Math.round(at);
  });
  return { kind: "list", times: times.sort((a, b) => a - b) };
}
