import { createHash } from "node:crypto"
import { Database } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { createToken } from "./tokenCommands.js"
import { hashToken } from "./TokenSecret.js"
import { TokenStore } from "./TokenStore.js"

const layer = TokenStore.layer.pipe(Layer.provideMerge(Database.layerMemory))

describe("TokenStore on SQLite", () => {
  it.effect("stores a token's SHA-256 only, and verifies the token itself and nothing else", () =>
    Effect.gen(function* () {
      const token = yield* createToken({ name: "ci", scopes: "read,ingest", user: "alice" })
      const rows = (yield* Database).connection.prepare("SELECT * FROM api_tokens").all() as Array<
        Record<string, unknown>
      >
      expect(rows).toHaveLength(1)
      expect(rows[0]!["hash"]).toBe(hashToken(token))
      expect(hashToken(token)).toBe(createHash("sha256").update(token, "utf8").digest("hex"))
      const stored = JSON.stringify(rows)
      expect(stored).not.toContain(token)
      expect(stored).not.toContain(token.slice("cratos_".length + 17))
      const tokens = yield* TokenStore
      expect(yield* tokens.verify(token)).toMatchObject({ scopes: ["read", "ingest"], userId: "alice" })
      // the same id with another secret, a truncated token, another well-formed one: none verifies
      const last = token.at(-1) === "A" ? "B" : "A"
      expect(yield* tokens.verify(`${token.slice(0, -1)}${last}`)).toBeNull()
      expect(yield* tokens.verify(token.slice(0, -1))).toBeNull()
      expect(yield* tokens.verify(`cratos_${"0".repeat(16)}_${"A".repeat(43)}`)).toBeNull()
    }).pipe(Effect.provide(layer))
  )
})
