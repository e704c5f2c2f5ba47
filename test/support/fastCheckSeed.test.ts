import { FastCheck } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { FALLBACK_SEED, fastCheckSeed, seedOfCommit } from "./fastCheckSeed.js"

describe("the property tests' seed", () => {
  it("is the run's FC_SEED in both fast-check instances", () => {
    const seed = Number(process.env.FC_SEED)
    expect(Number.isInteger(seed)).toBe(true)
    expect(fc.readConfigureGlobal().seed).toBe(seed)
    expect(FastCheck.readConfigureGlobal().seed).toBe(seed)
  })

  it("comes from the commit: the same for a commit, another for another commit", () => {
    expect(seedOfCommit("b73b77f0000000000000000000000000000000000")).toBe(
      seedOfCommit("b73b77f0ffffffffffffffffffffffffffffffff")
    )
    expect(seedOfCommit("ffffffff00000000000000000000000000000000")).toBe(-1)
    expect(seedOfCommit("00000001ffffffffffffffffffffffffffffffff")).toBe(1)
    expect(fastCheckSeed(process.cwd(), {}).source).toMatch(/^commit [0-9a-f]{12}$|^no git/)
  })

  it("is FC_SEED when given, and the fixed fallback outside a git checkout", () => {
    expect(fastCheckSeed(process.cwd(), { FC_SEED: "-42" })).toEqual({ seed: -42, source: "FC_SEED" })
    expect(() => fastCheckSeed(process.cwd(), { FC_SEED: "abc" })).toThrow(/FC_SEED must be an integer/)
    expect(fastCheckSeed("/", {}).seed).toBe(FALLBACK_SEED)
  })

  it("is printed with a failure, so the failure can be replayed", () => {
    const seed = Number(process.env.FC_SEED)
    expect(() => fc.assert(fc.property(fc.nat(), (n) => n < 0))).toThrow(new RegExp(`seed: ${seed}\\b`))
  })
})
