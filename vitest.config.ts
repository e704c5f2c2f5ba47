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
    // Two files at a time (vitest's default is one fewer than the CPUs: one here). Many files wait on
    // child processes, a browser or the server, not compute: on 2 cores the run takes 432 s
    // instead of 615 s.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
