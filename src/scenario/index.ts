/**
 * The public face of the scenario compiler: YAML text in, a Model or located
 * diagnostics out (loadScenario, formatDiagnostic), the JSON Schema for
 * editors, the settings each MTA takes, and the text helpers the shell uses to
 * quote what a user wrote. Pure and browser-safe: the caller reads the file.
 */
export * from "./load.js";
export * from "./json-schema.js";
export * from "./mta-options.js";
export type { ScenarioInput } from "./schema.js";
export { parseDurationValue, parseRate } from "./duration.js";
export * from "./did-you-mean.js";
export * from "./quote.js";
