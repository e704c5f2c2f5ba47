import { encodeEventJson, type ExecutionEvent } from "@cratos/domain"
import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Layer, Stream } from "effect"
import { allBackends, decode, messageReceived, newId, SEED_GET_EVENTS, serdeCases, TestSql } from "./helpers.js"

const cases = serdeCases()

describe.each(allBackends())("event store on $name", (backend) => {
  it.effect("round-trips every serde fixture byte for byte through append and getEvents", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* TestSql
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      const events = cases.map((c) => decode(c.text))
      const result = yield* store.append(id, events, { expectedVersion: 1 })
      expect(result.version).toBe(cases.length + 1)
      expect(result.deduplicated).toBe(false)

      const read = yield* store.getEvents(id)
      expect(read.slice(1)).toEqual(events)
      read.slice(1).forEach((e, i) => {
        expect(Either.getOrThrow(encodeEventJson(e))).toBe(cases[i]!.text)
      })
      // The stored columns: the wire text, the variant name, the event's own timestamp.
      const rows = yield* sql.all<{ event_type: string; event_data: string; timestamp: string }>(
        "SELECT event_type, event_data, timestamp FROM execution_events WHERE execution_id = ? ORDER BY id",
        id
      )
      rows.slice(1).forEach((row, i) => {
        expect(row.event_type).toBe(cases[i]!.event_type)
        expect(row.event_data).toBe(cases[i]!.text)
        expect(row.timestamp).toBe((events[i] as ExecutionEvent).timestamp)
      })
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("returns consecutive positions and versions, and reads streams in append order", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const a = newId()
      const b = newId()
      const startA = yield* store.startExecution(a, messageReceived())
      const startB = yield* store.startExecution(b, messageReceived({ userId: "user-b" }))
      expect(startB.position).toBe(startA.position + 1)
      const r1 = yield* store.append(a, [decode(cases[2]!.text), decode(cases[3]!.text)], { expectedVersion: 1 })
      expect(r1.positions).toEqual([startB.position + 1, startB.position + 2])
      expect(r1.version).toBe(3)
      const r2 = yield* store.append(b, [decode(cases[4]!.text)])
      expect(r2.version).toBe(2)
      expect(yield* store.streamVersion(a)).toBe(3)
      expect(yield* store.streamVersion(b)).toBe(2)
      expect(yield* store.streamVersion(newId())).toBe(0)
      expect(yield* store.lastPosition).toBe(r2.positions[0])

      const streamA = yield* store.readStream(a)
      expect(streamA.map((s) => s.position)).toEqual([startA.position, ...r1.positions])
      expect(streamA.every((s) => s.executionId === a && s.userId === "user-1")).toBe(true)
      const streamB = yield* store.readStream(b)
      expect(streamB.map((s) => s.userId)).toEqual(["user-b", "user-b"])

      const all = yield* Stream.runCollect(store.readAll({ batchSize: 2 }))
      expect(Chunk.toReadonlyArray(all).map((s) => s.position)).toEqual([1, 2, 3, 4, 5])
      const after = yield* Stream.runCollect(store.readAll({ after: 2, limit: 2, batchSize: 1 }))
      expect(Chunk.toReadonlyArray(after).map((s) => s.position)).toEqual([3, 4])
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("writes the executions row from the MessageReceived and refuses a second start", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* TestSql
      const id = newId()
      const msg = messageReceived({ userId: "u-7", text: "hello", at: "2025-11-26T10:10:37.250Z" })
      const started = yield* store.startExecution(id, msg)
      expect(started).toEqual({ executionId: id, position: started.position, version: 1 })
      expect((yield* sql.all("SELECT * FROM executions WHERE id = ?", id))[0]).toEqual({
        id,
        user_id: "u-7",
        channel: "cli",
        input_text: "hello",
        status: "pending",
        created_at: "2025-11-26T10:10:37.250Z",
        completed_at: null
      })
      const again = yield* Effect.flip(store.startExecution(id, msg))
      expect(again._tag).toBe("ExecutionAlreadyExists")
      expect(yield* store.streamVersion(id)).toBe(1)
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("inserts an event with the seed's insert_event semantics", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      const rowId = yield* store.insertEvent(id, "someone", decode(cases[5]!.text))
      const stream = yield* store.readStream(id)
      expect(stream[1]).toMatchObject({ position: rowId, userId: "someone" })
      const missing = yield* Effect.flip(store.insertEvent(newId(), "u", decode(cases[5]!.text)))
      expect(missing._tag).toBe("ExecutionNotFound")
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("keeps rows readable by the seed's get_events query", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* TestSql
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      yield* store.append(
        id,
        cases.slice(0, 4).map((c) => decode(c.text))
      )
      const texts = (yield* sql.all<{ event_data: string }>(SEED_GET_EVENTS, id)).map((r) => r.event_data)
      expect(texts).toHaveLength(5)
      for (const t of texts) expect(() => decode(t)).not.toThrow()
    }).pipe(Effect.provide(backend.layer()))
  )
})

describe("an event store with spans", () => {
  it.effect("works the same with spans on every operation", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      const r = yield* store.append(id, [decode(cases[2]!.text)], { expectedVersion: 1 })
      expect(r.version).toBe(2)
      expect(yield* store.getEvents(id)).toHaveLength(2)
      expect((yield* Effect.flip(store.append(id, [], { expectedVersion: 0 })))._tag).toBe("ConcurrencyError")
    }).pipe(
      Effect.provide(EventStore.layerFromDatabase({ spans: true }).pipe(Layer.provideMerge(Database.layerMemory)))
    )
  )
})
