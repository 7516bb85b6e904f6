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
  concurrency: 2,
  timeoutMS: 20000,
  tempDirName: ".stryker-tmp",
  thresholds: { high: 95, low: 90, break: null },
};
