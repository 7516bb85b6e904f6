// Regenerates schema/scenario.schema.json from the zod schema (npm run schema).
import { writeFileSync } from "node:fs";
import { scenarioJsonSchemaText } from "../dist/scenario/json-schema.js";

writeFileSync("schema/scenario.schema.json", scenarioJsonSchemaText());
console.log("updated schema/scenario.schema.json");
