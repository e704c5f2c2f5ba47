import { AppendEvents, CreateExecution } from "@cratos/http"
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import fc from "fast-check"
import * as fs from "node:fs"
import { fileURLToPath } from "node:url"
import { applyMutation, type Json, mutation } from "@cratos/store/testing"
import { canonicalAppendEvents, canonicalCreateExecution } from "./CanonicalBodies.js"

const events: ReadonlyArray<Json> = fs
  .readFileSync(fileURLToPath(new URL("../../../test/fixtures/serde/cases.jsonl", import.meta.url)), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse((JSON.parse(l) as { text: string }).text) as Json)
const messages = events.filter((e) => (e as { type?: unknown }).type === "MessageReceived")

const OPTIONS = { errors: "first", onExcessProperty: "ignore" } as const
const fullAppend = Schema.decodeUnknownEither(AppendEvents, OPTIONS)
const fullCreate = Schema.decodeUnknownEither(CreateExecution, OPTIONS)

/** The fast answer is the full decoder's value, or no answer (then the full decoder runs). */
const agrees = <A>(fast: A | undefined, full: Either.Either<A, unknown>) => {
  if (fast === undefined) return
  expect(Either.isRight(full)).toBe(true)
  expect(fast).toEqual(Either.getOrThrow(full))
  expect(JSON.stringify(fast)).toBe(JSON.stringify(Either.getOrThrow(full)))
}

describe("canonical ingest bodies", () => {
  it("answer at once for bodies of canonical events, with the full decoder's value", () => {
    const append = { events, expected_version: 3 }
    expect(canonicalAppendEvents(append)).toBeDefined()
    agrees(canonicalAppendEvents(append), fullAppend(append))
    expect(messages.length).toBeGreaterThan(0)
    for (const event of messages) {
      const body = { execution_id: "5f0e0000-0000-4000-8000-000000000001", user_id: "u", event }
      expect(canonicalCreateExecution(body)).toBeDefined()
      agrees(canonicalCreateExecution(body), fullCreate(body))
    }
  })

  it("leave a body to the full decoder when an event or the envelope is not canonical", () => {
    const event = messages[0] as Record<string, Json>
    expect(canonicalAppendEvents({ events: [] })).toBeUndefined()
    expect(canonicalAppendEvents({ events: [{ ...event, extra: 1 }] })).toBeUndefined()
    expect(canonicalAppendEvents({ events: [event], expected_version: -1 })).toBeUndefined()
    expect(
      canonicalCreateExecution({ user_id: "u", event: events.find((e) => e !== event && !messages.includes(e)) })
    ).toBeUndefined()
    expect(canonicalCreateExecution({ user_id: "", event })).toBeUndefined()
    expect(canonicalCreateExecution({ execution_id: "nope", user_id: "u", event })).toBeUndefined()
  })

  it("never answer differently from the full decoder, for any mutation of a body", () => {
    const seen = { fast: 0, slow: 0 }
    fc.assert(
      fc.property(
        fc.nat(events.length - 1),
        fc.nat(messages.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (i, j, ms) => {
          const append = ms.reduce(applyMutation, { events: [events[i]!, events[(i + 1) % events.length]!] } as Json)
          const create = ms.reduce(applyMutation, { user_id: "u", event: messages[j]! } as Json)
          const fast = canonicalAppendEvents(append)
          agrees(fast, fullAppend(append))
          agrees(canonicalCreateExecution(create), fullCreate(create))
          if (fast === undefined) seen.slow++
          else seen.fast++
        }
      ),
      { numRuns: 2000 }
    )
    expect(seen.fast).toBeGreaterThan(100)
    expect(seen.slow).toBeGreaterThan(100)
  })
})
