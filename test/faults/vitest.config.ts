/**
 * The slow fault-injection suite (`pnpm test:faults`): child processes killed with SIGKILL,
 * concurrent writer processes, the projector killed mid-batch. Excluded from the default run.
 */
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"
import { describeSeed, fastCheckSeed } from "../support/fastCheckSeed.js"

const seed = fastCheckSeed(import.meta.dirname)
console.log(describeSeed(seed))

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/faults/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    setupFiles: ["test/support/fastCheckSetup.ts"],
    env: { FC_SEED: String(seed.seed) },
    pool: "forks",
    // One throwaway PostgreSQL cluster per run (started by the first suite that needs it); the bins built
    // when stale; the child scripts bundled.
    globalSetup: ["test/support/postgresGlobalSetup.ts", "test/buildBins.ts", "test/faults/buildChildren.ts"],
    // Two files at a time: much of the suite waits (kill points, child start-up), not computes.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 60_000
  }
})
