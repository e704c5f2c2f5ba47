/**
 * One following projector per PostgreSQL database: the leader holds a session advisory lock
 * (`LEADER_LOCK_KEY`) on a connection of its own for as long as it follows. The others try for it
 * every `retryMs` (default 1 s) and log that they are waiting. A leader that dies (SIGKILL, power
 * loss) loses its connection and so its lock: the server frees it when the socket closes, and the
 * next try of a waiting worker takes over (measured by test/postgres/workerLeadership.test.ts).
 *
 * Batches are serialized anyway (each takes the projector's transaction lock, see
 * PostgresProjectorBackend.ts), so a `cratos project --once` beside the leader is safe; the
 * leadership keeps several followers from taking turns on every batch.
 */
import { PostgresDatabase, pgStorageError } from "@cratos/store/postgres"
import { Duration, Effect } from "effect"

/** Any 64-bit key, the same in every process. */
export const LEADER_LOCK_KEY = 7_303_841_004

export const leadership = Effect.gen(function* () {
  const { pool, location } = yield* PostgresDatabase
  const client = yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: () => pool.connect(),
      catch: (e) => pgStorageError("Projector.leadership", location, e)
    }),
    // Destroyed, not returned to the pool: the session lock goes with the connection.
    (c) => Effect.sync(() => c.release(true))
  )
  // A broken leader connection must not crash the process; the next query reports it.
  client.on("error", () => undefined)
  const tryTake = Effect.tryPromise({
    try: async () =>
      (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LEADER_LOCK_KEY}) AS ok`)).rows[0]?.ok ===
      true,
    catch: (e) => pgStorageError("Projector.leadership", location, e)
  })
  let announced = false
  while (!(yield* tryTake)) {
    if (!announced) {
      yield* Effect.logInfo("another projector is leading: waiting to take over")
      announced = true
    }
    yield* Effect.sleep(Duration.seconds(1))
  }
  yield* Effect.logInfo("leading: this projector applies the projections")
})
