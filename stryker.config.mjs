// StrykerJS: mutation testing of the pure core (npm run mutation). Each mutant of src/core is run
// against the core's tests (vitest.mutation.config.ts); mutants that do not type-check are left out
// by the TypeScript checker. The incremental file lets a re-run after a small change test only the
// mutants it touches. Reports land in reports/mutation/ (git-ignored).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  plugins: ["@stryker-mutator/vitest-runner", "@stryker-mutator/typescript-checker"],
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.core.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: ["src/core/**/*.ts"],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  // With a checker, Stryker gives half the workers to checkers and half to test runners: 4 makes two of
  // each; on two cores the checkers are idle most of the time.
  concurrency: 4,
  // A mutant that loops for ever is cut off at 1.5 × the tests' normal time + 5 s.
  timeoutMS: 5000,
  tempDirName: ".stryker-tmp",
  thresholds: { high: 95, low: 90, break: null },
};
