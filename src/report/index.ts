/**
 * The public face of the report builders: a RunResult in, plain data out
 * (the summary, results.json, the step-by-step story of one message, CSV text,
 * chart configurations, the HTML report, the expectation checks, lesson pages,
 * the failover table). Browser-safe: nothing here draws a terminal table; those
 * renderers belong to the shell, and the browser bundle test fails if one of
 * them, or their cli-table3, is reachable from here.
 */
export * from "./summary.js";
export * from "./results-json.js";
export * from "./explain.js";
export * from "./expectations.js";
export * from "./charts.js";
export * from "./csv.js";
export * from "./html.js";
export * from "./format.js";
export * from "./lesson.js";
export * from "./failover-table.js";
export * from "./compare.js";
export * from "./sweep.js";
export * from "./replications.js";
export * from "./profile-schedule.js";
export * from "./metrics.js";
