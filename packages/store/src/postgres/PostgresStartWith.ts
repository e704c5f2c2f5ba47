/**
 * A new execution and the events after its MessageReceived, or more events of one, in ONE
 * transaction on PostgreSQL (what `cratos import` commits per execution; on SQLite it wraps the
 * store's synchronous calls in a transaction instead). The same two plpgsql functions the store
 * calls (`cratos_start_execution`, `cratos_append`, migration 0002), on one client between BEGIN
 * and COMMIT: a failure of either leaves nothing. Their statements are built by Drizzle's builder
 * once per process (`prepareGroupStatements`) and run by name on the transaction's client.
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { drizzle } from "drizzle-orm/node-postgres"
import { Effect } from "effect"
import {
  ConcurrencyError,
  ExecutionAlreadyExists,
  ExecutionNotFound,
  type IdempotencyConflict,
  InvalidEvent,
  type StorageError
} from "../errors.js"
import { DEFAULT_MAX_EVENT_BYTES, encodeAll } from "../EventEncoding.js"
import { inTransaction } from "./inTransaction.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import { driverError, pgStorageError } from "./PostgresFailure.js"
import { type GroupStatements, prepareGroupStatements } from "./statements.js"

export type GroupFailure =
  | ConcurrencyError
  | ExecutionAlreadyExists
  | ExecutionNotFound
  | IdempotencyConflict
  | InvalidEvent
  | StorageError

/** Built on first use (text and placeholders only: no connection is bound). */
let statements: GroupStatements | undefined
const groupStatements = () => (statements ??= prepareGroupStatements(drizzle.mock()))

class Refused {
  constructor(readonly error: GroupFailure) {}
}

/**
 * `base` 0: starts the execution with `events[0]` (a MessageReceived) and appends the rest at
 * version 1; otherwise appends `events` at version `base`.
 */
export const appendGroup = (
  executionId: string,
  events: ReadonlyArray<ExecutionEvent>,
  base: number,
  options: { readonly inputText?: string } = {}
) =>
  Effect.gen(function* () {
    const { pool, location } = yield* PostgresDatabase
    const encoded = encodeAll(executionId, events, DEFAULT_MAX_EVENT_BYTES)
    if (encoded instanceof InvalidEvent) return yield* encoded
    const now = new Date(yield* Effect.clockWith((c) => c.currentTimeMillis)).toISOString()
    const columns = (from: number) => {
      const rest = encoded.slice(from)
      return [rest.map((e) => e.eventType), rest.map((e) => e.eventData), rest.map((e) => e.timestamp)]
    }
    return yield* Effect.tryPromise({
      try: () => {
        const Q = groupStatements()
        return inTransaction(pool, async (client) => {
          let version = base
          if (base === 0) {
            const first = events[0] as MessageReceived
            const m = first.message
            const e0 = encoded[0]!
            const started = await Q.START_EXECUTION(client, {
              executionId,
              userId: m.user_id,
              channel: m.channel_type,
              inputText: options.inputText ?? m.text,
              createdAt: first.timestamp,
              key: null,
              hash: "",
              eventType: e0.eventType,
              eventData: e0.eventData,
              timestamp: e0.timestamp,
              now
            })
            if (started[0]?.[0] === "exists") throw new Refused(new ExecutionAlreadyExists({ executionId }))
            version = 1
          }
          const from = base === 0 ? 1 : 0
          if (encoded.length > from) {
            const [types, data, timestamps] = columns(from)
            const out = await Q.APPEND(client, {
              executionId,
              key: null,
              hash: "",
              expected: version,
              types,
              data,
              timestamps,
              now
            })
            const [outcome, actual] = out[0]!
            if (outcome === "not_found") throw new Refused(new ExecutionNotFound({ executionId }))
            if (outcome === "conflict") {
              throw new Refused(new ConcurrencyError({ executionId, expected: version, actual }))
            }
          }
        })
      },
      catch: (e): GroupFailure => (e instanceof Refused ? e.error : pgStorageError("import", location, driverError(e)))
    })
  })
