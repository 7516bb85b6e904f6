/**
 * The JSON Schema of the scenario format (draft-07, what yaml-language-server
 * reads), generated from the same zod schema the validator uses, so editors
 * and mxsim agree. schema/scenario.schema.json is this, committed; a test
 * fails when it drifts (regenerate with `npm run schema`).
 */
import * as z from "zod";
import { MTA_NAMES } from "../core/profile.js";
import { scenario } from "./schema.js";

type Json = Record<string, unknown>;

/**
 * An MTA may also be written as its bare name; zod's preprocess step does not show in the schema, so it is added
 * here. The MTAs' settings (one object per MTA) appear wherever an `mta:` does: they are kept once, under
 * `definitions.mta`, and referred to, so the file does not repeat them for servers and senders.
 */
function allowMtaNames(node: unknown, definitions: Json, seen = new WeakSet<object>()): void {
  if (!node || typeof node !== "object" || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const v of node) allowMtaNames(v, definitions, seen);
    return;
  }
  const o = node as Json;
  for (const v of Object.values(o)) allowMtaNames(v, definitions, seen);
  const variants = o.oneOf as Json[] | undefined;
  if (
    Array.isArray(variants) &&
    variants.length === MTA_NAMES.length &&
    variants.every((v) => MTA_NAMES.includes(((v.properties as Json | undefined)?.name as Json | undefined)?.const as never))
  ) {
    delete o.oneOf;
    definitions.mta ??= { oneOf: variants };
    o.anyOf = [{ type: "string", enum: [...MTA_NAMES] }, { $ref: "#/definitions/mta" }];
  }
}

export function scenarioJsonSchema(): Json {
  const schema = z.toJSONSchema(scenario, { target: "draft-7", io: "input", unrepresentable: "any" }) as Json;
  const definitions: Json = {};
  allowMtaNames(schema, definitions);
  return {
    $schema: schema.$schema,
    $id: "https://github.com/mxsim/mxsim/schema/scenario.schema.json",
    title: "mxsim scenario",
    description: "A scenario for mxsim, the MX failover simulator: DNS MX records, mail servers with outages, and senders.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
    definitions: { ...((schema.definitions as Json | undefined) ?? {}), ...definitions },
  };
}

export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
