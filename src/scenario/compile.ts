/**
 * From a schema-valid scenario to the simulator's model: names resolved to
 * indices, times to seconds from the start, MTA overrides merged over the
 * profile's defaults. Checks what the schema cannot see on its own
 * (references between sections, windows in time) and reports each problem
 * with the path of the value to fix. One function per section (compile-*.ts),
 * run in the order below, which is the order their problems are reported in.
 */
import type { Model } from "../core/model.js";
import { compileActions } from "./compile-actions.js";
import { CompileContext, type Issue } from "./compile-context.js";
import { compileDomains } from "./compile-domains.js";
import { checkRouteLoops } from "./compile-routes.js";
import { compileSenders } from "./compile-senders.js";
import { compileServers } from "./compile-servers.js";
import { compileWhitelists } from "./compile-greylisting.js";
import type { ScenarioInput } from "./schema.js";
import { t } from "./text.js";

export type { Issue, Path } from "./compile-context.js";

export function compile(input: ScenarioInput): { model: Model; issues: Issue[] } {
  const ctx = new CompileContext(input);
  const { duration } = input;
  if (duration <= 0) ctx.issue(["duration"], t("cli:scn.c.durationZero"));
  // Event times are whole seconds packed with a sequence number (event-queue.ts): keep them below 2^25 s.
  if (duration > 365 * 86400) ctx.issue(["duration"], t("cli:scn.c.durationYear"));
  const domains = compileDomains(ctx);
  const servers = compileServers(ctx);
  checkRouteLoops(ctx, domains, servers);
  const { senders, byName } = compileSenders(ctx);
  compileWhitelists(ctx, servers, senders, byName);
  const actions = compileActions(ctx);
  const model: Model = {
    name: input.name,
    ...descriptionOf(input.description),
    seed: input.seed,
    startEpochMs: input.start,
    duration,
    domains,
    servers,
    senders,
    actions,
    ...(input.story !== undefined ? { story: input.story } : {}),
  };
  return { model, issues: ctx.issues };
}

/** A description given as text, or by language (`{ en: …, es: … }`): the English (else the first) is the model's description. */
function descriptionOf(d: string | Readonly<Record<string, string | undefined>>): Pick<Model, "description" | "descriptions"> {
  if (typeof d === "string") return { description: d };
  const given = Object.entries(d).filter((e): e is [string, string] => e[1] !== undefined);
  return { description: d.en ?? given[0]?.[1] ?? "", descriptions: Object.fromEntries(given) };
}
