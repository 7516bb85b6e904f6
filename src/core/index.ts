/**
 * The public face of the simulation: what the shell (src/cli), the report
 * builders and a browser page need. A Model goes in (model.ts), simulate or
 * Simulation runs it, a RunResult of typed-array columns comes out, and the code
 * tables (outcomes.ts, failure-modes.ts) and the MTA registry (profile.ts) say
 * what the numbers in it mean. AttemptLog is the sink that records every
 * attempt, for explain and the CSV files. Everything here is browser-safe
 * (tsconfig.core.json; test/browser-bundle.test.ts bundles it for the browser).
 * The building blocks (event queue, delivery, host memory, streams) stay inside.
 */
export * from "./simulate.js";
export * from "./model.js";
export * from "./outcomes.js";
export * from "./failure-modes.js";
export * from "./profile.js";
export * from "./attempt-log.js";
export * from "./records.js";
export type { ConnectionCounts, NoticeCounts } from "./delivery.js";
