import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CLI tests render charts and write folders; give them room on a shared machine.
    testTimeout: 60_000,
    setupFiles: ["test/fast-check-setup.ts", "test/locale-setup.ts"],
    // A test that asserts nothing fails: it could not catch anything.
    expect: { requireAssertions: true },
  },
});
