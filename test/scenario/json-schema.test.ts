import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema, scenarioJsonSchemaText } from "../../src/scenario/json-schema.js";

const SHIPPED = [
  ...readdirSync("scenarios").filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios", f)),
  ...readdirSync("scenarios/compare").filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios/compare", f)),
  ...readdirSync("scenarios/decide").filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios/decide", f)),
];

describe("the JSON Schema for editors", () => {
  it("is generated from the validator's schema: schema/scenario.schema.json is up to date (npm run schema)", () => {
    expect(readFileSync("schema/scenario.schema.json", "utf8")).toBe(scenarioJsonSchemaText());
  });

  it("is draft-07, which yaml-language-server reads", () => {
    expect(scenarioJsonSchema().$schema).toBe("http://json-schema.org/draft-07/schema#");
  });

  const validate = new Ajv({ strict: false, allErrors: true }).compile(scenarioJsonSchema());

  it.each(SHIPPED)("accepts %s and the file points editors at it", (file) => {
    const text = readFileSync(file, "utf8");
    const ok = validate(parse(text));
    expect(validate.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
    const target = relative(dirname(file), "schema/scenario.schema.json");
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${target}`);
  });

  it("rejects what the validator rejects: unknown keys, a wrong MTA, a wrong mode", () => {
    const base = parse(readFileSync("scenarios/02-article-outage.yaml", "utf8"));
    const bad = [
      { ...base, extra: 1 },
      { ...base, senders: { "hotmail.com": { ...base.senders["hotmail.com"], mta: "postfx" } } },
      { ...base, senders: { "hotmail.com": { ...base.senders["hotmail.com"], mta: { name: "gmail", maximal_queue_lifetime: "2d" } } } },
      { ...base, senders: { "hotmail.com": { ...base.senders["hotmail.com"], mix: { gmail: [] } } } },
      { ...base, servers: { ...base.servers, "fcmx1.blyx.com": { ...base.servers["fcmx1.blyx.com"], outages: [{ start: "1d", duration: "1h", mode: "down" }] } } },
    ];
    for (const b of bad) expect(validate(b)).toBe(false);
  });
});
