/**
 * A quick check of the store's overhead against raw better-sqlite3 on the same file, schema and
 * pragmas (not a test; run by hand). Raw and store runs alternate in blocks so that checkpoints
 * and a busy machine hit both alike.
 *
 *   node --import tsx test/store/appendBench.ts [events] [fixture]
 *
 * W1: single-event appends with expected version, each its own transaction, vs raw INSERTs
 * (JSON.stringify + a prepared INSERT, autocommit). W2: 10-event batches vs raw INSERTs of 10
 * in one transaction. R: getEvents (decoded) vs SELECT + JSON.parse of the same stream.
 */
import type { ExecutionEvent } from "@cratos/domain"
import { Database, EventStore } from "@cratos/store"
import { Context, Effect, Layer } from "effect"
import { fixtureEvent, messageReceived, newId, tempDbPath } from "./helpers.js"

const N = Number(process.argv[2] ?? 20_000)
const event = fixtureEvent(process.argv[3] ?? "tool_completed_ok")
const BLOCK = 1000

const program = Effect.gen(function* () {
  const ctx = yield* Layer.build(EventStore.layer({ path: tempDbPath() }))
  const store = Context.get(ctx, EventStore)
  const db = Context.get(ctx, Database).connection
  const raw = db.prepare(
    "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)"
  )
  const rawId = newId()
  const storeId = newId()
  yield* store.startExecution(rawId, messageReceived())
  yield* store.startExecution(storeId, messageReceived())
  let version = 1
  const batch: ReadonlyArray<ExecutionEvent> = Array.from({ length: 10 }, () => event)
  const rawBatch = db.transaction(() => {
    for (const e of batch) raw.run(rawId, "user-1", e.type, JSON.stringify(e), e.timestamp)
  })
  const t = { rawW1: 0, storeW1: 0, rawW2: 0, storeW2: 0, rawR: 0, storeR: 0 }
  const clock = () => performance.now()

  for (let done = 0; done < N; done += BLOCK) {
    let t0 = clock()
    for (let i = 0; i < BLOCK; i++) raw.run(rawId, "user-1", event.type, JSON.stringify(event), event.timestamp)
    t.rawW1 += clock() - t0
    t0 = clock()
    for (let i = 0; i < BLOCK; i++) {
      version = Effect.runSync(store.append(storeId, [event], { expectedVersion: version })).version
    }
    t.storeW1 += clock() - t0
    t0 = clock()
    for (let i = 0; i < BLOCK / 10; i++) rawBatch.immediate()
    t.rawW2 += clock() - t0
    t0 = clock()
    for (let i = 0; i < BLOCK / 10; i++) {
      version = Effect.runSync(store.append(storeId, batch, { expectedVersion: version })).version
    }
    t.storeW2 += clock() - t0
  }
  const select = db.prepare("SELECT event_data FROM execution_events WHERE execution_id = ? ORDER BY id").pluck()
  for (let r = 0; r < 5; r++) {
    let t0 = clock()
    for (const text of select.all(rawId) as Array<string>) JSON.parse(text)
    t.rawR += clock() - t0
    t0 = clock()
    Effect.runSync(store.getEvents(storeId))
    t.storeR += clock() - t0
  }
  const us = (ms: number, n: number) => +((ms * 1000) / n).toFixed(1)
  console.table({
    "W1 µs/append": { raw: us(t.rawW1, N), store: us(t.storeW1, N), ratio: +(t.rawW1 / t.storeW1).toFixed(2) },
    "W2 µs/event": { raw: us(t.rawW2, N), store: us(t.storeW2, N), ratio: +(t.rawW2 / t.storeW2).toFixed(2) },
    "R µs/row": { raw: us(t.rawR, 5 * 2 * N), store: us(t.storeR, 5 * 2 * N), ratio: +(t.rawR / t.storeR).toFixed(2) }
  })
})

Effect.runPromise(Effect.scoped(program)).catch((e) => {
  console.error(e)
  process.exit(1)
})
