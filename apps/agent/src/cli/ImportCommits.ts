/**
 * How `cratos import` commits one execution's lines: atomically, on either database. SQLite: the
 * store's synchronous calls inside one `BEGIN IMMEDIATE` transaction; PostgreSQL: the store's two
 * append functions on one client between BEGIN and COMMIT (`@cratos/store/postgres`'s
 * `appendGroup`, loaded on first use). Either way a failure leaves nothing of the group.
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { ContentReader, Database, EventStore, type PostgresDatabase, StorageError } from "@cratos/store"
import type { GroupFailure } from "@cratos/store/postgres"
import type BetterSqlite3 from "better-sqlite3"
import { Context, Effect, Exit, Layer, Runtime } from "effect"

export interface ImportCommitsShape {
  /** `base` 0: a new execution (its MessageReceived first); else events appended at version `base`. */
  readonly commit: (
    executionId: string,
    events: ReadonlyArray<ExecutionEvent>,
    base: number
  ) => Effect.Effect<void, GroupFailure>
}

const ROLLBACK = Symbol("rollback")

/** Runs a synchronous effect inside one SQLite transaction; a failure rolls everything back. */
const inTransaction = <A, E>(db: BetterSqlite3.Database, path: string, effect: Effect.Effect<A, E>) =>
  // the command's own runtime, so what the store logs goes through the CLI's logger (stderr)
  Effect.flatMap(Effect.runtime<never>(), (runtime): Effect.Effect<A, E | StorageError> => {
    let exit: Exit.Exit<A, E> | undefined
    try {
      db.transaction(() => {
        exit = Runtime.runSyncExit(runtime)(effect)
        if (Exit.isFailure(exit)) throw ROLLBACK
      }).immediate()
    } catch (e) {
      if (e !== ROLLBACK) {
        const code = (e as { code?: unknown }).code
        return Effect.fail(
          new StorageError({
            operation: "import",
            path,
            code: typeof code === "string" ? code : "UNKNOWN",
            reason: e instanceof Error ? e.message : String(e)
          })
        )
      }
    }
    return exit!
  })

export class ImportCommits extends Context.Tag("@cratos/agent/cli/ImportCommits")<ImportCommits, ImportCommitsShape>() {
  static readonly layer: Layer.Layer<ImportCommits, never, Database | EventStore> = Layer.effect(
    ImportCommits,
    Effect.gen(function* () {
      const store = yield* EventStore
      const { connection: db, path } = yield* Database
      return {
        commit: (executionId, events, base) =>
          inTransaction(
            db,
            path,
            Effect.gen(function* () {
              if (base === 0) {
                const [first, ...rest] = events
                yield* store.startExecution(executionId, first as MessageReceived)
                if (rest.length > 0) yield* store.append(executionId, rest, { expectedVersion: 1 })
              } else {
                yield* store.append(executionId, events, { expectedVersion: base })
              }
            })
          ).pipe(Effect.asVoid)
      }
    })
  )

  /** Sealed as the store seals (`ContentReader.seal`), then the group in one transaction. */
  static readonly layerPostgres: Layer.Layer<ImportCommits, never, PostgresDatabase | ContentReader> = Layer.effect(
    ImportCommits,
    Effect.gen(function* () {
      const m = yield* Effect.promise(() => import("@cratos/store/postgres"))
      const context = yield* Effect.context<PostgresDatabase>()
      const reader = yield* ContentReader
      return {
        commit: (executionId, events, base) =>
          Effect.gen(function* () {
            const first = events[0]
            const userId = first?.type === "MessageReceived" ? first.message.user_id : undefined
            const sealed = yield* reader.seal(executionId, userId, events, base === 0)
            const options = sealed.inputText === undefined ? {} : { inputText: sealed.inputText }
            return yield* Effect.provide(m.appendGroup(executionId, sealed.events, base, options), context)
          }) as Effect.Effect<void, GroupFailure>
      }
    })
  )
}
