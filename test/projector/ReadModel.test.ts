import { Database } from "@cratos/store"
import { ReadModel } from "@cratos/projector"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"

const layer = ReadModel.layer.pipe(Layer.provideMerge(Database.layerMemory))

const insertExecution = (id: string, createdAt: string, fields: Partial<{ user: string; status: string; text: string; channel: string }> = {}) =>
  Effect.flatMap(Database, ({ connection }) =>
    Effect.sync(() =>
      connection
        .prepare(`INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(id, fields.user ?? "u1", fields.channel ?? "cli", fields.text ?? "hello", fields.status ?? "pending", createdAt)
    )
  )

describe("ReadModel", () => {
  it.effect("lists newest first by instant, even when fraction digits differ", () =>
    Effect.gen(function* () {
      yield* insertExecution("a", "2025-11-26T10:10:37Z")
      yield* insertExecution("b", "2025-11-26T10:10:37.250Z")
      yield* insertExecution("c", "2025-11-26T10:10:36.999999999Z")
      yield* insertExecution("d", "2025-11-26T10:10:38.5+00:00")
      const rm = yield* ReadModel
      const rows = yield* rm.list()
      expect(rows.map((r) => r.id)).toEqual(["d", "b", "a", "c"])
      const since = yield* rm.list({ since: "2025-11-26T10:10:37.1Z" })
      expect(since.map((r) => r.id)).toEqual(["d", "b"])
      const until = yield* rm.list({ until: "2025-11-26T12:10:37+02:00" })
      expect(until.map((r) => r.id)).toEqual(["a", "c"])
      expect(yield* rm.latestId()).toBe("d")
    }).pipe(Effect.provide(layer))
  )

  it.effect("searches input text literally: % and _ are not wildcards", () =>
    Effect.gen(function* () {
      yield* insertExecution("a", "2025-11-26T10:00:00Z", { text: "grow 100% now" })
      yield* insertExecution("b", "2025-11-26T10:00:01Z", { text: "grow 100 now" })
      yield* insertExecution("c", "2025-11-26T10:00:02Z", { text: "a_b" })
      yield* insertExecution("d", "2025-11-26T10:00:03Z", { text: "axb" })
      const rm = yield* ReadModel
      expect((yield* rm.list({ search: "100%" })).map((r) => r.id)).toEqual(["a"])
      expect((yield* rm.list({ search: "a_b" })).map((r) => r.id)).toEqual(["c"])
    }).pipe(Effect.provide(layer))
  )

  it.effect("get fails with ExecutionNotFound for an unknown id", () =>
    Effect.gen(function* () {
      const rm = yield* ReadModel
      const error = yield* Effect.flip(rm.get("nope"))
      expect(error._tag).toBe("ExecutionNotFound")
    }).pipe(Effect.provide(layer))
  )

  it.effect("rejects a since that is not a timestamp with InvalidQuery", () =>
    Effect.gen(function* () {
      const rm = yield* ReadModel
      const error = yield* Effect.flip(rm.list({ since: "yesterday" }))
      expect(error._tag).toBe("InvalidQuery")
    }).pipe(Effect.provide(layer))
  )
})
