/** The senders: section: who sends to which domain, when (a rate or a list of times), until when, and from which MTA. */
import type { Arrivals, Sender } from "../core/model.js";
import type { CompileContext, Path } from "./compile-context.js";
import { compileProfile } from "./compile-profile.js";
import { quote } from "./quote.js";
import type { MtaInput, ScenarioInput } from "./schema.js";

type SenderInput = ScenarioInput["senders"][string];

export function compileSenders(ctx: CompileContext): Sender[] {
  return Object.entries(ctx.input.senders).map(([name, s]) => {
    const base: Path = ["senders", name];
    if (ctx.serverIndex.has(name)) ctx.issue(base, `${quote(name)} names both a sender and a server; give the sender another name`);
    const arrivals = compileArrivals(ctx, s, base);
    const until = s.until !== undefined ? Math.round(ctx.toSeconds(s.until)) : Infinity;
    if (until <= 0) ctx.issue([...base, "until"], "this sender would never send; give an end after the start, e.g. until: 14d");
    return {
      name,
      until,
      domain: ctx.needDomain([...base, "to"], s.to),
      arrivals,
      profile: compileProfile(ctx, [...base, "mta"], s.mta as MtaInput),
      forged: s.forged,
      invalidRecipients: s.invalid_recipients,
      target: s.target,
      retries: s.retries,
    };
  });
}

/** Poisson arrivals at a rate, or the listed send times (each inside the run), sorted. */
function compileArrivals(ctx: CompileContext, s: SenderInput, base: Path): Arrivals {
  if (s.rate !== undefined) return { kind: "poisson", rate: s.rate };
  const { duration } = ctx.input;
  const times = (s.at ?? []).map((p, i) => {
    const t = ctx.toSeconds(p);
    if (t < 0 || t >= duration) {
      ctx.issue([...base, "at", i], `this send time is outside the simulation (from the start up to duration ${duration}s); move it or lengthen duration`);
    }
    return Math.round(t);
  });
  return { kind: "list", times: times.sort((a, b) => a - b) };
}
