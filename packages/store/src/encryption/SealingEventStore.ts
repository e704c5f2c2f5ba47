/**
 * The event store with encryption at rest (issue 14): every write seals the raw content of the
 * events under the user's data key before it reaches SQL (so `execution_events.data`,
 * `executions.input_text` and the WAL hold envelopes), and every read opens what the keys allow.
 *
 * It wraps any `EventStoreShape`, so the write path (the agent's recorder, `import`) and the read
 * paths (show, list, export --reveal, the projector) change only the layer they build:
 * `SealingEventStore.layer` in place of `EventStore.layerFromDatabase()`.
 *
 * Reads: a field that does not open (no master key, user forgotten, corrupted envelope) reads as
 * `[encrypted]` and the rest of the event, and every other event, still reads. `readLog` (what
 * `export` writes) returns rows as stored: a backup stays encrypted.
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { Clock, Effect, Layer, Stream } from "effect"
import { Database } from "../Database.js"
import { EventStore, type EventStoreShape } from "../EventStore.js"
import * as Sqlite from "../SqliteEventStore.js"
import { ContentKeys, type ContentKeysShape, type DataKey } from "./ContentKeys.js"
import { envelopeKeyIds, openEvent, sealEvent } from "./EventSealing.js"

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/** `events` of `executionId` opened with every key they name that can be loaded. */
const openAll = <E extends { readonly executionId: string; readonly event: ExecutionEvent }>(
  keys: ContentKeysShape,
  items: ReadonlyArray<E>
) =>
  Effect.gen(function* () {
    const loaded = new Map<string, DataKey | undefined>()
    for (const item of items) {
      for (const id of envelopeKeyIds(item.event)) {
        if (!loaded.has(id)) loaded.set(id, yield* Effect.orElseSucceed(keys.byId(id), () => undefined))
      }
    }
    return items.map((item) => ({
      ...item,
      event: openEvent((id) => loaded.get(id), item.executionId, item.event).event
    }))
  })

export const sealingEventStore = (
  inner: EventStoreShape,
  keys: ContentKeysShape,
  userOf: (executionId: string) => string | undefined
): EventStoreShape => {
  const users = new Map<string, string>()
  const keyFor = (executionId: string, userId: string | undefined) =>
    Effect.gen(function* () {
      const user = userId ?? users.get(executionId) ?? userOf(executionId)
      if (user === undefined) return undefined
      users.set(executionId, user)
      return yield* Effect.orDie(keys.forUser(user, yield* nowIso))
    })
  return {
    ...inner,
    startExecution: (executionId, event, options) =>
      Effect.gen(function* () {
        const key = yield* keyFor(executionId, event.message.user_id)
        const sealed = key === undefined ? event : (sealEvent(key, executionId, event) as MessageReceived)
        return yield* inner.startExecution(executionId, sealed, options)
      }),
    append: (executionId, events, options) =>
      Effect.gen(function* () {
        const key = yield* keyFor(executionId, undefined)
        return yield* inner.append(
          executionId,
          key === undefined ? events : events.map((e) => sealEvent(key, executionId, e)),
          options
        )
      }),
    insertEvent: (executionId, userId, event) =>
      Effect.gen(function* () {
        const key = yield* keyFor(executionId, userId)
        return yield* inner.insertEvent(
          executionId,
          userId,
          key === undefined ? event : sealEvent(key, executionId, event)
        )
      }),
    getEvents: (executionId) =>
      inner.getEvents(executionId).pipe(
        Effect.flatMap((events) =>
          openAll(
            keys,
            events.map((event) => ({ executionId, event }))
          )
        ),
        Effect.map((items) => items.map((i) => i.event))
      ),
    readStream: (executionId) => inner.readStream(executionId).pipe(Effect.flatMap((stored) => openAll(keys, stored))),
    readAll: (options) =>
      inner.readAll(options).pipe(Stream.mapEffect((stored) => Effect.map(openAll(keys, [stored]), (s) => s[0]!)))
  }
}

/** The sealing `EventStore` (a layer of the `EventStore` tag, not a service of its own). */
export const SealingEventStore = {
  /** `EventStore` on the Database service, sealing writes and opening reads with `ContentKeys`. */
  layer: (options: Sqlite.EventStoreOptions = {}) =>
    Layer.effect(
      EventStore,
      Effect.gen(function* () {
        const inner = yield* Sqlite.makeWith(options)
        const keys = yield* ContentKeys
        const { connection } = yield* Database
        const userOf = (executionId: string) =>
          (
            connection.prepare("SELECT user_id FROM executions WHERE id = ?").get(executionId) as
              | { user_id: string }
              | undefined
          )?.user_id
        return sealingEventStore(inner, keys, userOf)
      })
    )
}
