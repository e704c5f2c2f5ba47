import { decodeEventJson, encodeEventJson, type ExecutionEvent } from "@cratos/domain"
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import {
  decodeStoredEventJson,
  encodeStoredEventJson,
  isCanonicalEvent,
  isCanonicalWireEvent
} from "./CanonicalDecode.js"
import { applyMutation, type Json, type Mutation, mutation, tricky } from "./testing/JsonMutation.js"

const texts: ReadonlyArray<string> = fs
  .readFileSync(fileURLToPath(new URL("../../../test/fixtures/serde/cases.jsonl", import.meta.url)), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => (JSON.parse(l) as { text: string }).text)

/** Why a fixture would stop taking the fast path (correct, but the speed is lost). */
const SLOW = "the canonical check no longer accepts it; CanonicalCheck.test.ts names what changed in SchemaAST"

const sameOutcome = (text: string) => {
  const fast = decodeStoredEventJson(text)
  const slow = decodeEventJson(text)
  expect(fast._tag).toBe(slow._tag)
  if (Either.isRight(fast) && Either.isRight(slow)) {
    expect(fast.right).toEqual(slow.right)
    expect(JSON.stringify(fast.right)).toBe(JSON.stringify(slow.right))
  } else {
    expect(Either.getLeft(fast)).toEqual(Either.getLeft(slow))
  }
}

describe("decodeStoredEventJson", () => {
  it("takes the fast path for every serde fixture, decoding as the domain does", () => {
    for (const text of texts) {
      expect(isCanonicalEvent(JSON.parse(text)), `slow path for ${text.slice(0, 60)}…: ${SLOW}`).toBe(true)
      sameOutcome(text)
    }
  })

  it("sends non-canonical documents to the domain's decoder", () => {
    const t = texts[0]!
    expect(isCanonicalEvent(JSON.parse(t.replace(/"timestamp":"([^"]+)Z"}$/, '"timestamp":"$1+00:00"}')))).toBe(false)
    expect(isCanonicalEvent({ ...JSON.parse(t), extra: 1 })).toBe(false)
  })

  it("gives the domain decoder's result for mutated fixtures", () => {
    const seen = { fast: 0, slowRight: 0, left: 0 }
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (i, ms) => {
        const doc = ms.reduce(applyMutation, JSON.parse(texts[i]!) as Json)
        const text = JSON.stringify(doc)
        sameOutcome(text)
        if (isCanonicalEvent(doc)) seen.fast++
        else if (Either.isRight(decodeEventJson(text))) seen.slowRight++
        else seen.left++
      }),
      { numRuns: 4000 }
    )
    // The mutations reach all three outcomes often enough to mean something.
    expect(seen.fast).toBeGreaterThan(200)
    expect(seen.slowRight).toBeGreaterThan(200)
    expect(seen.left).toBeGreaterThan(200)
  })
})

const decoded = (text: string): ExecutionEvent => Either.getOrThrow(decodeEventJson(text))

const sameEncoding = (event: ExecutionEvent) => {
  const fast = encodeStoredEventJson(event)
  const slow = encodeEventJson(event)
  expect(fast).toEqual(slow)
}

/** Values an event built in code (not parsed from JSON) may hold. */
const unusual: ReadonlyArray<unknown> = [
  10n,
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "lone \uD800",
  2 ** 53 + 2,
  new Date(0),
  -0
]

describe("encodeStoredEventJson", () => {
  it("takes the fast path for every decoded serde fixture, writing the fixture's bytes", () => {
    for (const text of texts) {
      const event = decoded(text)
      expect(isCanonicalWireEvent(event), `slow path for ${text.slice(0, 60)}…: ${SLOW}`).toBe(true)
      expect(encodeStoredEventJson(event)).toEqual(Either.right(text))
    }
  })

  it("sends events in another key order or with extra keys to the domain's encoder", () => {
    const event = decoded(texts[texts.length - 1]!)
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as unknown as ExecutionEvent
    expect(isCanonicalWireEvent(reordered)).toBe(false)
    expect(encodeStoredEventJson(reordered)).toEqual(Either.right(texts[texts.length - 1]!))
    expect(isCanonicalWireEvent({ ...event, extra: 1 } as unknown as ExecutionEvent)).toBe(false)
  })

  it("gives the domain encoder's result for a Date among an event's values (seed 1930528264's counterexample)", () => {
    const ms: ReadonlyArray<Mutation> = [
      { op: "set", at: 1430070752, value: new Date(0) as unknown as Json },
      { op: "extra", at: 456871278, value: [null] },
      { op: "reverse", at: 995700856 }
    ]
    sameEncoding(ms.reduce(applyMutation, decoded(texts[0]!) as unknown as Json) as unknown as ExecutionEvent)
  })

  it("gives the domain encoder's result for mutated events", () => {
    const seen = { fast: 0, right: 0, left: 0 }
    const value = fc.oneof(
      fc.constantFrom(...tricky),
      fc.constantFrom(...unusual),
      fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>
    ) as fc.Arbitrary<Json>
    const mutations: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({ op: fc.constant("set" as const), at: fc.nat(), value }),
      fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("reverse" as const), at: fc.nat() }),
      fc.record({ op: fc.constant("extra" as const), at: fc.nat(), value })
    )
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(mutations, { minLength: 1, maxLength: 3 }), (i, ms) => {
        const event = ms.reduce(applyMutation, decoded(texts[i]!) as unknown as Json) as unknown as ExecutionEvent
        sameEncoding(event)
        if (isCanonicalWireEvent(event)) seen.fast++
        if (Either.isRight(encodeEventJson(event))) seen.right++
        else seen.left++
      }),
      { numRuns: 4000 }
    )
    expect(seen.fast).toBeGreaterThan(200)
    expect(seen.left).toBeGreaterThan(200)
  })
})
