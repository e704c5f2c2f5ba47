/**
 * Vitest setup file: every property test of the run uses the seed the config computed
 * (`fastCheckSeed.ts`), in both fast-check instances. A failure's message carries the seed
 * (and the shrink path) as fast-check prints it.
 */
import { FastCheck } from "effect"
import fc from "fast-check"

const seed = Number(process.env.FC_SEED)
if (!Number.isInteger(seed)) throw new Error("FC_SEED is not set: run the tests through a vitest config that sets it")
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed })
FastCheck.configureGlobal({ ...FastCheck.readConfigureGlobal(), seed })
