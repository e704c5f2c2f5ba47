/**
 * How `cratos import` commits executions' lines: each execution atomically, on either database.
 *
 * SQLite: the groups given together (one input batch's worth) share one `BEGIN IMMEDIATE`
 * transaction, each group in a SAVEPOINT of its own: a group that fails is undone alone, the
 * groups before it commit, the ones after it are not tried. The events are sealed as the store
 * seals them (`ContentReader.seal`) and written through the store's own calls without sealing
 * again (`ContentReader.asStored`), so the import has them as stored: they are projected in the
 * same transaction (`makeInlineProjection`) when the read model was up to date, instead of being
 * read back and decoded by a catch-up.
 *
 * PostgreSQL: the store's two append functions on one client between BEGIN and COMMIT
 * (`@cratos/store/postgres`'s `appendGroup`, loaded on first use), one execution at a time.
 * Either way a failure leaves nothing of its execution.
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { type BatchOutcome, makeInlineProjection } from "@cratos/projector"
import { ContentReader, Database, type LogEntry, type PostgresDatabase, StorageError } from "@cratos/store"
import type { GroupFailure } from "@cratos/store/postgres"
import { Cause, Clock, Context, Effect, Either, Exit, Layer, Runtime } from "effect"

/** One execution's lines to commit. */
export interface ImportGroup {
  readonly executionId: string
  /** `base` 0: a new execution (its MessageReceived first); else events appended at version `base`. */
  readonly base: number
  readonly events: ReadonlyArray<ExecutionEvent>
}

/** How far `commitAll` went: the first `committed` groups are in the database. */
export interface ImportOutcome {
  readonly committed: number
  /** Why group number `committed` was not (undefined: all were). */
  readonly failure?: GroupFailure
}

export interface ImportCommitsShape {
  /** Commits `groups` in order, each atomically; stops at the first that fails (those before it stay). */
  readonly commitAll: (groups: ReadonlyArray<ImportGroup>) => Effect.Effect<ImportOutcome>
}

const storageError = (path: string, e: unknown) => {
  const code = (e as { code?: unknown }).code
  return new StorageError({
    operation: "import",
    path,
    code: typeof code === "string" ? code : "UNKNOWN",
    reason: e instanceof Error ? e.message : String(e)
  })
}

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

const logDeadLetters = (outcome: BatchOutcome | undefined) =>
  Effect.forEach(
    outcome?.deadLetters ?? [],
    (d) =>
      Effect.logWarning("poison event dead-lettered").pipe(
        Effect.annotateLogs({
          projection: d.projection,
          position: d.position,
          execution_id: d.executionId,
          reason: d.reason
        })
      ),
    { discard: true }
  )

interface Sealed {
  readonly executionId: string
  readonly base: number
  readonly userId: string | undefined
  readonly events: ReadonlyArray<ExecutionEvent>
  readonly inputText: string | undefined
}

export class ImportCommits extends Context.Tag("@cratos/agent/cli/ImportCommits")<ImportCommits, ImportCommitsShape>() {
  static readonly layer: Layer.Layer<ImportCommits, never, Database | ContentReader> = Layer.effect(
    ImportCommits,
    Effect.gen(function* () {
      const reader = yield* ContentReader
      const store = reader.asStored
      const { connection: db, path } = yield* Database
      // prepared at the first commit: an import of nothing prepares nothing
      let prepared: ReturnType<typeof prepare> | undefined
      const prepare = () => ({
        inline: makeInlineProjection(db),
        userOf: db.prepare<[string], string>("SELECT user_id FROM executions WHERE id = ?").pluck(true),
        savepoint: db.prepare("SAVEPOINT import_execution"),
        release: db.prepare("RELEASE import_execution"),
        rollbackTo: db.prepare("ROLLBACK TO import_execution")
      })
      /** The users of the executions this import started (an append's rows carry the user). */
      const users = new Map<string, string>()

      /** One group's writes (synchronous effects of the store), with its rows as log entries. */
      const write = (s: Sealed, userId: string, entries: Array<LogEntry>) =>
        Effect.gen(function* () {
          const positions: Array<number> = []
          if (s.base === 0) {
            const [first, ...rest] = s.events
            const started = yield* store.startExecution(
              s.executionId,
              first as MessageReceived,
              s.inputText === undefined ? {} : { inputText: s.inputText }
            )
            positions.push(started.position)
            if (rest.length > 0) {
              positions.push(...(yield* store.append(s.executionId, rest, { expectedVersion: 1 })).positions)
            }
          } else {
            positions.push(...(yield* store.append(s.executionId, s.events, { expectedVersion: s.base })).positions)
          }
          for (let i = 0; i < s.events.length; i++) {
            entries.push({
              _tag: "Event",
              stored: { position: positions[i]!, executionId: s.executionId, userId, event: s.events[i]! }
            })
          }
        })

      const commitAll: ImportCommitsShape["commitAll"] = (groups) =>
        Effect.gen(function* () {
          if (groups.length === 0) return { committed: 0 }
          const sql = (prepared ??= prepare())
          // sealed first (outside the transaction); a group that cannot be is where it stops
          const sealed: Array<Sealed> = []
          let failure: GroupFailure | undefined
          for (const g of groups) {
            const first = g.events[0]
            const userId = g.base === 0 && first?.type === "MessageReceived" ? first.message.user_id : undefined
            const s = yield* Effect.either(reader.seal(g.executionId, userId, g.events, g.base === 0))
            if (Either.isLeft(s)) {
              failure = s.left
              break
            }
            sealed.push({ executionId: g.executionId, base: g.base, userId, ...s.right, inputText: s.right.inputText })
          }
          const now = yield* nowIso
          // the command's own runtime, so what the store logs goes through the CLI's logger (stderr)
          const runtime = yield* Effect.runtime<never>()
          let committed = 0
          let projected: BatchOutcome | undefined
          try {
            db.transaction(() => {
              const logEnd = sql.inline.logEnd()
              const entries: Array<LogEntry> = []
              // every group in one synchronous run of the store's effects, each in its savepoint
              const exit = Runtime.runSyncExit(runtime)(
                Effect.gen(function* () {
                  for (const s of sealed) {
                    const userId = s.userId ?? users.get(s.executionId) ?? sql.userOf.get(s.executionId) ?? ""
                    const before = entries.length
                    sql.savepoint.run()
                    const written = yield* Effect.either(write(s, userId, entries))
                    if (Either.isLeft(written)) {
                      sql.rollbackTo.run()
                      sql.release.run()
                      entries.length = before
                      failure = written.left
                      return
                    }
                    sql.release.run()
                    if (s.base === 0 && s.userId !== undefined) users.set(s.executionId, s.userId)
                    committed++
                  }
                })
              )
              // a defect (a statement that threw): the whole transaction is rolled back
              if (Exit.isFailure(exit)) throw Cause.squash(exit.cause)
              projected = sql.inline.apply(logEnd, entries, now)
            }).immediate()
          } catch (e) {
            // BEGIN or COMMIT failed (or SQLite rolled the transaction back): none of them is there
            return { committed: 0, failure: storageError(path, e) }
          }
          yield* logDeadLetters(projected)
          return failure === undefined ? { committed } : { committed, failure }
        })

      return { commitAll }
    })
  )

  /** Sealed as the store seals (`ContentReader.seal`), then each group in one transaction. */
  static readonly layerPostgres: Layer.Layer<ImportCommits, never, PostgresDatabase | ContentReader> = Layer.effect(
    ImportCommits,
    Effect.gen(function* () {
      const m = yield* Effect.promise(() => import("@cratos/store/postgres"))
      const context = yield* Effect.context<PostgresDatabase>()
      const reader = yield* ContentReader
      const commit = ({ executionId, events, base }: ImportGroup) =>
        Effect.gen(function* () {
          const first = events[0]
          const userId = first?.type === "MessageReceived" ? first.message.user_id : undefined
          const sealed = yield* reader.seal(executionId, userId, events, base === 0)
          const options = sealed.inputText === undefined ? {} : { inputText: sealed.inputText }
          return yield* Effect.provide(m.appendGroup(executionId, sealed.events, base, options), context)
        }) as Effect.Effect<void, GroupFailure>
      return {
        commitAll: (groups) =>
          Effect.gen(function* () {
            for (let i = 0; i < groups.length; i++) {
              const r = yield* Effect.either(commit(groups[i]!))
              if (Either.isLeft(r)) return { committed: i, failure: r.left }
            }
            return { committed: groups.length }
          })
      }
    })
  )
}
