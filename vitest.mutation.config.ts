import { defineConfig } from "vitest/config";

// The tests StrykerJS runs against each mutant of src/core (npm run mutation): the core's own tests.
// The CLI tests run the built dist/, which a mutant of src/ never reaches. test/purity.test.ts is not
// among them: it reads the source text, which StrykerJS instruments (and which then mentions process).
export default defineConfig({
  test: {
    include: ["test/core/**/*.test.ts"],
    // Instrumented code runs several times slower than the build.
    testTimeout: 300_000,
    env: { MXSIM_PROPERTY_RUNS: "10", MXSIM_SEEDS: "8" },
    setupFiles: ["test/fast-check-setup.ts"],
    expect: { requireAssertions: true },
  },
});
