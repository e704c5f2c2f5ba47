import { defineConfig } from "vitest/config"
import { describeSeed, fastCheckSeed } from "./test/support/fastCheckSeed.js"

const seed = fastCheckSeed(import.meta.dirname)
console.log(describeSeed(seed))

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/*/scripts/**/*.test.ts",
      "apps/web/test/**/*.test.ts",
      "test/**/*.test.ts"
    ],
    exclude: ["**/node_modules/**", "test/faults/**"],
    setupFiles: ["test/support/fastCheckSetup.ts"],
    env: { FC_SEED: String(seed.seed) },
    pool: "forks",
    // One throwaway PostgreSQL cluster per run (started by the first suite that needs it); the bins built when stale.
    globalSetup: ["test/support/postgresGlobalSetup.ts", "test/buildBins.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
