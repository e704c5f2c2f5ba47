/**
 * The projector's database on PostgreSQL: a batch is one transaction on a pooled client.
 *
 * - **One projector at a time per batch.** Each batch transaction first takes a
 *   transaction-scoped advisory lock (`PROJECTOR_LOCK_KEY`), as SQLite's `BEGIN IMMEDIATE` takes
 *   the write lock: two projectors (a worker and a CLI's catch-up, or two workers) queue there,
 *   then each reads the checkpoints inside its transaction and applies only what is past them.
 * - **Never a skipped event.** The store takes the log's advisory lock before it inserts events
 *   and holds it to its commit (see `@cratos/store`'s statements.ts), so ids become visible in id
 *   order: reading `id > checkpoint` never passes an id that commits later.
 * - **Poison.** A projection whose `fold` throws, or whose write the server rejects as bad data
 *   (SQLSTATE class 22 or 23), is retried event by event, each in a SAVEPOINT, to find the
 *   event(s) it fails on. Any other failure of the server or the connection fails the batch
 *   (rolled back, nothing kept); serialization failures and deadlocks are retried.
 * - **Waking.** `waitForAppend` LISTENs on `cratos_log` (a statement trigger of `execution_events`
 *   notifies it on commit, migration 0004), on a connection of its own.
 */
import type { StorageError, StoredEvent } from "@cratos/store"
import { inTransaction, isRetryable, PostgresDatabase, pgStorageError, sqlState } from "@cratos/store/postgres"
import { Deferred, Duration, Effect, Schedule, type Scope } from "effect"
import type pg from "pg"
import { type BatchOutcome, type DeadLetter, positionOf, reasonOf } from "../BatchApplier.js"
import { PoisonEvent, ProjectionVersionAhead } from "../errors.js"
import type { PoisonPolicy } from "../PoisonPolicy.js"
import { applyPostgres, type PgContext, type PgStatement, type Projection } from "../Projection.js"
import type { ProjectionReset, ProjectorBackend } from "../ProjectorBackend.js"
import { lagOf } from "../ProjectionLag.js"

/** Any 64-bit key, the same in every process: one projector transaction at a time. */
export const PROJECTOR_LOCK_KEY = 7_303_841_003

/** The channel the log's trigger notifies on commit (migration 0004). */
export const LOG_CHANNEL = "cratos_log"

/** A failure of the database itself (not the event's fault): fails the batch. */
class DatabaseFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
  }
}

/** Bad data (class 22) and integrity violations (class 23) blame the event; the rest the database. */
const blamesData = (e: unknown): boolean => {
  const state = sqlState(e)
  return state !== undefined && (state.startsWith("22") || state.startsWith("23"))
}

const contextOf = (client: pg.PoolClient): PgContext => ({
  query: async <R>(statement: PgStatement) => {
    try {
      return (await client.query(statement as pg.QueryConfig)).rows as Array<R>
    } catch (e) {
      throw blamesData(e) ? e : new DatabaseFailure(e)
    }
  }
})

interface CheckpointRow {
  readonly name: string
  readonly version: number
  readonly position: number
}

const CHECKPOINTS: PgStatement = {
  name: "cratos_checkpoints",
  text: `SELECT name, version, position FROM projection_checkpoints ORDER BY name`
}
const PUT_CHECKPOINT = (name: string, version: number, position: number, now: string): PgStatement => ({
  name: "cratos_checkpoint_put",
  text: `INSERT INTO projection_checkpoints (name, version, position, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, updated_at = excluded.updated_at`,
  values: [name, version, position, now]
})
const ADVANCE = (names: ReadonlyArray<string>, position: number, now: string): PgStatement => ({
  name: "cratos_checkpoint_advance",
  text: `UPDATE projection_checkpoints SET position = $1, updated_at = $2 WHERE name = ANY($3::text[])`,
  values: [position, now, names]
})
const DEAD_LETTER = (d: DeadLetter, now: string): PgStatement => ({
  name: "cratos_dead_letter",
  text: `INSERT INTO projector_dead_letters (projection, position, execution_id, error, recorded_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (projection, position) DO UPDATE SET execution_id = excluded.execution_id, error = excluded.error,
  recorded_at = excluded.recorded_at`,
  values: [d.projection, d.position, d.executionId, d.reason, now]
})
const CLEAR_DEAD_LETTERS = (name: string): PgStatement => ({
  name: "cratos_dead_letters_clear",
  text: `DELETE FROM projector_dead_letters WHERE projection = $1`,
  values: [name]
})
const LOCK: PgStatement = { name: "cratos_projector_lock", text: `SELECT pg_advisory_xact_lock(${PROJECTOR_LOCK_KEY})` }
const LAST_POSITION: PgStatement = {
  name: "cratos_projector_last_position",
  text: `SELECT COALESCE(max(id), 0) AS n FROM execution_events`
}

/** A checkpoint changed version under us (another projector reset it). */
const MOVED = Symbol("moved")

/** Up to 4 more tries, 10 ms doubling: serialization failures and deadlocks. */
const retrySchedule = Schedule.exponential(Duration.millis(10)).pipe(Schedule.intersect(Schedule.recurs(4)))

export const make = (
  projections: ReadonlyArray<Projection>,
  policy: PoisonPolicy
): Effect.Effect<ProjectorBackend, never, PostgresDatabase | Scope.Scope> =>
  Effect.gen(function* () {
    const { pool, location } = yield* PostgresDatabase
    const handles = projections.map((p) => ({ projection: p, types: new Set<string>(p.canHandle) }))

    /** `f` in one transaction holding the projector lock; typed errors pass through, the rest is a StorageError. */
    const transaction = <A, E>(
      operation: string,
      f: (client: pg.PoolClient, ctx: PgContext) => Promise<A>,
      passThrough: (e: unknown) => e is E
    ): Effect.Effect<A, E | StorageError> =>
      Effect.tryPromise({
        try: () =>
          inTransaction(pool, async (client) => {
            await client.query(LOCK as pg.QueryConfig)
            return f(client, contextOf(client))
          }),
        catch: (e) => e
      }).pipe(
        Effect.retry({
          schedule: retrySchedule,
          while: (e) => isRetryable(e instanceof DatabaseFailure ? e.cause : e)
        }),
        Effect.mapError((e): E | StorageError =>
          passThrough(e) ? e : pgStorageError(operation, location, e instanceof DatabaseFailure ? e.cause : e)
        ),
        Effect.withSpan(operation)
      )

    const readCheckpoints = async (ctx: PgContext) =>
      new Map((await ctx.query<CheckpointRow>(CHECKPOINTS)).map((r) => [r.name, r]))

    const resetOne = async (ctx: PgContext, p: Projection, now: string) => {
      await p.postgres.reset(ctx)
      await ctx.query(CLEAR_DEAD_LETTERS(p.name))
      await ctx.query(PUT_CHECKPOINT(p.name, p.version, 0, now))
    }

    const isVersionAhead = (e: unknown): e is ProjectionVersionAhead => e instanceof ProjectionVersionAhead
    const isPoison = (e: unknown): e is PoisonEvent => e instanceof PoisonEvent
    const isNothing = (_: unknown): _ is never => false

    const ensure: ProjectorBackend["ensure"] = (now) =>
      transaction(
        "Projector.ensure",
        async (_client, ctx) => {
          const cps = await readCheckpoints(ctx)
          const done: Array<ProjectionReset> = []
          for (const p of projections) {
            const cp = cps.get(p.name)
            if (cp !== undefined && cp.version === p.version) continue
            if (cp !== undefined && cp.version > p.version) {
              throw new ProjectionVersionAhead({ projection: p.name, stored: cp.version, version: p.version })
            }
            await resetOne(ctx, p, now)
            done.push({ name: p.name, from: cp?.version ?? null, to: p.version })
          }
          return done
        },
        isVersionAhead
      )

    /** Runs `f` in a savepoint: rolled back to it when `f` throws. */
    const savepoint = async (client: pg.PoolClient, f: () => Promise<void>) => {
      await client.query("SAVEPOINT cratos_projection")
      try {
        await f()
      } catch (e) {
        await client.query("ROLLBACK TO SAVEPOINT cratos_projection")
        throw e
      }
      await client.query("RELEASE SAVEPOINT cratos_projection")
    }

    const apply: ProjectorBackend["apply"] = (entries, now) => {
      const last = entries[entries.length - 1]
      if (last === undefined) return Effect.succeed({ position: 0, deadLetters: [] })
      const end = positionOf(last)
      return transaction(
        "Projector.applyBatch",
        async (client, ctx): Promise<BatchOutcome | typeof MOVED> => {
          const cps = await readCheckpoints(ctx)
          const deadLetters: Array<DeadLetter> = []
          const poison = async (d: DeadLetter) => {
            if (policy === "stop") throw new PoisonEvent(d)
            await ctx.query(DEAD_LETTER(d, now))
            deadLetters.push(d)
          }
          const advanced: Array<string> = []
          for (const { projection, types } of handles) {
            const cp = cps.get(projection.name)
            if (cp === undefined || cp.version !== projection.version) return MOVED
            if (cp.position >= end) continue
            const events: Array<StoredEvent> = []
            for (const entry of entries) {
              if (entry._tag === "Event") {
                const stored = entry.stored
                if (stored.position > cp.position && types.has(stored.event.type)) events.push(stored)
              } else if (entry.error.position > cp.position) {
                const { position, executionId, reason } = entry.error
                await poison({
                  projection: projection.name,
                  position,
                  executionId,
                  reason: `does not decode: ${reason}`
                })
              }
            }
            if (events.length > 0) {
              try {
                await savepoint(client, () => applyPostgres(projection, events, ctx))
              } catch (cause) {
                if (cause instanceof DatabaseFailure) throw cause
                for (const stored of events) {
                  try {
                    await savepoint(client, () => applyPostgres(projection, [stored], ctx))
                  } catch (single) {
                    if (single instanceof DatabaseFailure) throw single
                    await poison({
                      projection: projection.name,
                      position: stored.position,
                      executionId: stored.executionId,
                      reason: reasonOf(single)
                    })
                  }
                }
              }
            }
            advanced.push(projection.name)
          }
          if (advanced.length > 0) await ctx.query(ADVANCE(advanced, end, now))
          return { position: end, deadLetters }
        },
        isPoison
      ).pipe(Effect.map((out) => (out === MOVED ? "moved" : out)))
    }

    const reset: ProjectorBackend["reset"] = (chosen, now) =>
      transaction(
        "Projector.reset",
        async (_client, ctx) => {
          for (const p of chosen) await resetOne(ctx, p, now)
        },
        isNothing
      )

    const query = <R>(operation: string, statement: PgStatement): Effect.Effect<ReadonlyArray<R>, StorageError> =>
      Effect.tryPromise({
        try: async () => (await pool.query(statement as pg.QueryConfig)).rows as Array<R>,
        catch: (e) => pgStorageError(operation, location, e)
      })

    const lowestCheckpoint = Effect.map(query<CheckpointRow>("Projector.checkpoints", CHECKPOINTS), (rows) => {
      const byName = new Map(rows.map((r) => [r.name, r]))
      let low = Number.POSITIVE_INFINITY
      for (const p of projections) {
        const cp = byName.get(p.name)
        low = Math.min(low, cp !== undefined && cp.version === p.version ? cp.position : 0)
      }
      return low === Number.POSITIVE_INFINITY ? 0 : low
    })

    const lag: ProjectorBackend["lag"] = (known) =>
      Effect.gen(function* () {
        const [lastRow] = yield* query<{ n: number }>("Projector.lag", LAST_POSITION)
        const rows = yield* query<CheckpointRow>("Projector.lag", CHECKPOINTS)
        return lagOf(lastRow?.n ?? 0, rows, known)
      })

    // ---- LISTEN/NOTIFY -------------------------------------------------------------------------
    // One listening connection, opened on first wait and kept (closed with the pool's scope).
    let listener: Promise<pg.PoolClient> | undefined
    let wake: (() => void) | undefined
    const listen = () => {
      listener ??= (async () => {
        const client = await pool.connect()
        client.on("notification", () => wake?.())
        client.on("error", () => {
          listener = undefined
        })
        await client.query(`LISTEN ${LOG_CHANNEL}`)
        return client
      })().catch((e) => {
        listener = undefined
        throw e
      })
      return listener
    }
    yield* Effect.addFinalizer(() =>
      Effect.promise(async () => {
        const l = listener
        listener = undefined
        if (l !== undefined) (await l.catch(() => undefined))?.release(true)
      })
    ).pipe(Effect.orElse(() => Effect.void))

    const waitForAppend: ProjectorBackend["waitForAppend"] = (timeoutMs) =>
      Effect.gen(function* () {
        const woken = yield* Deferred.make<void>()
        wake = () => Deferred.unsafeDone(woken, Effect.void)
        // A failed LISTEN (server gone) falls back to the timeout: the next query reports it.
        yield* Effect.promise(() =>
          listen().then(
            () => undefined,
            () => undefined
          )
        )
        yield* Deferred.await(woken).pipe(Effect.timeout(Duration.millis(timeoutMs)), Effect.ignore)
        wake = undefined
      })

    const backend: ProjectorBackend = { location, ensure, apply, reset, lowestCheckpoint, lag, waitForAppend }
    return backend
  })
