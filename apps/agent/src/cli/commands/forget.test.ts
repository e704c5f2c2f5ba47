import { describe, expect, it } from "@effect/vitest"
import { ContentKeys, Database, keyFingerprint, makeContentKeys, newKey } from "@cratos/store"
import { Effect, Either, Exit, Layer } from "effect"
import { type InvocationOf, parseCommandLine } from "../Commands.js"
import { makeMemory } from "../Output.js"
import { forget, forgottenLines } from "./forget.js"

const parse = (argv: ReadonlyArray<string>) =>
  Either.getOrThrow(parseCommandLine(["forget", ...argv])) as InvocationOf<"forget">

const key = newKey()
const keys = Layer.effect(
  ContentKeys,
  makeContentKeys(Either.right({ key, id: keyFingerprint(key), source: "test", created: false }))
).pipe(Layer.provideMerge(Database.layerMemory))

describe("cratos forget", () => {
  it.effect("destroys the user's data key only with --yes, records it, and lists it", () =>
    Effect.gen(function* () {
      const contentKeys = yield* ContentKeys
      const alice = yield* contentKeys.forUser("alice", "2026-12-01T00:00:00Z")
      yield* contentKeys.forUser("bob", "2026-12-01T00:00:00Z")
      const memory = makeMemory()
      const refused = yield* Effect.exit(forget(parse(["--user", "alice"])).pipe(Effect.provide(memory.layer)))
      expect(Exit.isFailure(refused)).toBe(true)
      expect(yield* contentKeys.byId(alice.keyId)).toBeDefined()

      const done = yield* forget(parse(["--user", "alice", "--yes"])).pipe(Effect.provide(memory.layer))
      expect(done).toBe(0)
      expect(memory.stdout()).toMatch(new RegExp(`^forgot alice: data key ${alice.keyId} destroyed at `))
      expect(memory.stderr()).toContain("a backup of the database or its export taken before now")
      expect(yield* contentKeys.byId(alice.keyId)).toBeUndefined()

      const listed = makeMemory()
      yield* forget(parse(["--list", "--json"])).pipe(Effect.provide(listed.layer))
      expect(JSON.parse(listed.stdout()).map((r: { user_id: string }) => r.user_id)).toEqual(["alice"])

      const again = yield* Effect.exit(forget(parse(["--user", "alice", "--yes"])).pipe(Effect.provide(memory.layer)))
      expect(Exit.isFailure(again)).toBe(true)
    }).pipe(Effect.provide(keys))
  )

  it("prints the table of forgotten users, or says there is none", () => {
    expect(forgottenLines([])).toEqual(["No user has been forgotten."])
    expect(forgottenLines([{ userId: "alice", keyId: "k1", forgottenAt: "2026-12-01T10:00:00.000Z" }])).toEqual([
      "USER   KEY  FORGOTTEN AT (UTC)",
      "alice  k1   2026-12-01T10:00:00.000Z"
    ])
  })
})
