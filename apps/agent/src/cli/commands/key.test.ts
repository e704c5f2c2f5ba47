import { describe, expect, it } from "@effect/vitest"
import { ContentKeys, Database, resolveMasterKey } from "@cratos/store"
import { Effect, Either, Exit, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { type InvocationOf, parseCommandLine } from "../Commands.js"
import { makeMemory } from "../Output.js"
import { key } from "./key.js"

const parse = (argv: ReadonlyArray<string>) =>
  Either.getOrThrow(parseCommandLine(["key", ...argv])) as InvocationOf<"key">

/** Runs with `env` as the process's CRATOS_* variables. */
const withEnv = <A, E, R>(env: Record<string, string | undefined>, effect: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
      for (const [k, v] of Object.entries(env))
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      return saved
    }),
    () => effect,
    (saved) =>
      Effect.sync(() => {
        for (const [k, v] of Object.entries(saved))
          if (v === undefined) delete process.env[k]
          else process.env[k] = v
      })
  )

describe("cratos key rotate", () => {
  it.effect("re-wraps the data keys under a new key file, keeps the old one and says when it can go", () =>
    Effect.gen(function* () {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-key-cmd-"))
      const env = { CRATOS_HOME: home, CRATOS_MASTER_KEY: undefined, CRATOS_MASTER_KEY_FILE: undefined }
      const first = Either.getOrThrow(resolveMasterKey({ create: true, env: { CRATOS_HOME: home } }))
      const layer = ContentKeys.layer({ create: false, env: { CRATOS_HOME: home } }).pipe(
        Layer.provideMerge(Database.layerMemory)
      )
      const memory = makeMemory()
      const code = yield* withEnv(
        env,
        Effect.gen(function* () {
          const alice = yield* (yield* ContentKeys).forUser("alice", "t0")
          const result = yield* key(parse(["rotate", "--json"])).pipe(Effect.provide(memory.layer))
          const reopened = yield* ContentKeys.make({ create: false, env: { CRATOS_HOME: home } })
          expect((yield* reopened.byId(alice.keyId))?.key.equals(alice.key)).toBe(true)
          return result
        }).pipe(Effect.provide(layer))
      )
      expect(code).toBe(0)
      const out = JSON.parse(memory.stdout())
      expect(out.rewrapped).toBe(1)
      expect(out.key_file).toBe(path.join(home, "master.key"))
      expect(fs.readFileSync(out.old_key_file, "utf8")).toBe(`${first.key.toString("base64")}\n`)
      expect(out.new_key_id).not.toBe(first.id)
    })
  )

  it.effect("refuses, in one line, when the key comes from CRATOS_MASTER_KEY, and an unknown action", () =>
    Effect.gen(function* () {
      const memory = makeMemory()
      const layer = ContentKeys.layer({ create: false }).pipe(Layer.provideMerge(Database.layerMemory))
      const refused = yield* withEnv(
        { CRATOS_MASTER_KEY: Buffer.alloc(32, 1).toString("base64") },
        Effect.exit(key(parse(["rotate"])).pipe(Effect.provide(memory.layer), Effect.provide(layer)))
      )
      expect(Exit.isFailure(refused) && String(refused.cause)).toMatch(/CRATOS_MASTER_KEY or CRATOS_MASTER_KEY_FILE/)
      const unknown = yield* Effect.exit(key(parse(["spin"])).pipe(Effect.provide(memory.layer), Effect.provide(layer)))
      expect(Exit.isFailure(unknown) && String(unknown.cause)).toMatch(/unknown action "spin"/)
    })
  )
})
