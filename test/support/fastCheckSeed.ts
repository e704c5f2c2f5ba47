/**
 * The seed of every property test in a run: derived from the commit, so a run is reproducible
 * for a commit and each new commit explores new cases; `FC_SEED` overrides it (to replay).
 *
 *   FC_SEED=-123456 pnpm vitest run path/to/file.test.ts    # replays what a failure printed
 *
 * Without git (a source tarball) the seed is a fixed fallback. The vitest configs compute it
 * once, print it, and hand it to the workers as FC_SEED; `fastCheckSetup.ts` applies it to both
 * fast-check instances (the `fast-check` package and effect's `FastCheck`).
 */
import { spawnSync } from "node:child_process"

/** The seed when there is no git commit to derive one from. */
export const FALLBACK_SEED = 0x5eed

export interface FastCheckSeed {
  readonly seed: number
  /** Where it came from, for the line the run prints. */
  readonly source: string
}

/** A 32-bit signed seed from the first 8 hex digits of a commit id. */
export const seedOfCommit = (sha: string): number => Number.parseInt(sha.slice(0, 8), 16) | 0

export const fastCheckSeed = (cwd: string, env: NodeJS.ProcessEnv = process.env): FastCheckSeed => {
  const given = env.FC_SEED
  if (given !== undefined && given.trim() !== "") {
    const seed = Number(given)
    if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(given)}`)
    return { seed: seed | 0, source: "FC_SEED" }
  }
  const git = spawnSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" })
  const sha = git.status === 0 ? git.stdout.trim() : ""
  return /^[0-9a-f]{40,64}$/.test(sha)
    ? { seed: seedOfCommit(sha), source: `commit ${sha.slice(0, 12)}` }
    : { seed: FALLBACK_SEED, source: "no git commit: the fixed fallback" }
}

/** The line a run prints: the seed, where it came from, how to replay it. */
export const describeSeed = ({ seed, source }: FastCheckSeed): string =>
  `fast-check seed ${seed} (${source}); replay a failure with FC_SEED=${seed}`
