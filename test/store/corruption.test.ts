import { EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { allBackends, messageReceived, newId, TestSql, toolInvoked } from "./helpers.js"

describe.each(allBackends())("corrupt rows on $name", (backend) => {
  it.effect("are reported with their position and execution while other executions read fine", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* TestSql
      const bad = newId()
      const good = newId()
      yield* store.startExecution(bad, messageReceived())
      yield* store.startExecution(good, messageReceived())
      const [planted] = yield* sql.all<{ id: number }>(
        "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, 'user-1', 'ToolInvoked', ?, 'x') RETURNING id",
        bad,
        '{not json "secret-value"'
      )
      const position = Number(planted?.id)
      yield* store.append(good, [toolInvoked(1)])

      const err = yield* Effect.flip(store.getEvents(bad))
      expect(err).toMatchObject({ _tag: "CorruptEvent", position, executionId: bad })
      expect(err.message).toContain(`row ${position}`)
      expect(err.message).not.toContain("secret-value")
      expect((yield* Effect.flip(store.readStream(bad)))._tag).toBe("CorruptEvent")
      expect(yield* store.getEvents(good)).toHaveLength(2)

      // readAll yields what comes before and then fails; readLog yields it and goes on.
      const upTo = yield* Stream.runCollect(store.readAll({ batchSize: 2 }).pipe(Stream.either))
      const items = Chunk.toReadonlyArray(upTo)
      expect(items.filter((e) => e._tag === "Right")).toHaveLength(2)
      expect(items[items.length - 1]).toMatchObject({ _tag: "Left", left: { _tag: "CorruptEvent", position } })

      const log = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readLog({ batchSize: 2 })))
      expect(log.map((e) => e._tag)).toEqual(["Event", "Event", "Corrupt", "Event"])
      expect(log[2]).toMatchObject({ _tag: "Corrupt", error: { position, executionId: bad } })
      expect(log[3]).toMatchObject({ _tag: "Event", stored: { executionId: good, position: position + 1 } })
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("includes a row that is JSON but not an event", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* TestSql
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      yield* sql.all(
        "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, 'u', 'X', ?, 'x')",
        id,
        '{"type":"Nope","timestamp":"2025-11-26T10:10:37Z"}'
      )
      const err = yield* Effect.flip(store.getEvents(id))
      expect(err).toMatchObject({ _tag: "CorruptEvent", position: 2, executionId: id })
    }).pipe(Effect.provide(backend.layer()))
  )
})
