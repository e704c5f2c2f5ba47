/**
 * The writer-lease table (`writer_leases`, migration 0003) on PostgreSQL: the same operations as
 * SQLite's (`../leases/WriterLeases.ts`), one statement each on the pool. `child` is fire and
 * forget: a tool reports its process group from a synchronous spawn.
 */
import { Effect } from "effect"
import type { Lease } from "../leases/Lease.js"
import type { LeaseTable } from "../leases/LeaseTable.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import { pgStorageError } from "./PostgresFailure.js"

const MINE = "execution_id = $1 AND pid = $2 AND host = $3 AND process_started_at = $4"

interface Row {
  readonly execution_id: string
  readonly pid: number
  readonly host: string
  readonly process_started_at: number
  readonly heartbeat_at: number
  readonly child_pgid: number | null
  readonly child_started_at: number | null
}

export const leaseTable = Effect.map(PostgresDatabase, ({ pool, location }): LeaseTable => {
  const run = (operation: string, text: string, values: Array<unknown>) =>
    Effect.tryPromise({
      try: async () => (await pool.query(text, values)).rows as Array<Row>,
      catch: (e) => pgStorageError(`WriterLeases.${operation}`, location, e)
    })
  return {
    take: (id, me, now) =>
      Effect.asVoid(
        run(
          "take",
          `INSERT INTO writer_leases (execution_id, pid, host, process_started_at, heartbeat_at, child_pgid, child_started_at)
           VALUES ($1, $2, $3, $4, $5, NULL, NULL)
           ON CONFLICT (execution_id) DO UPDATE SET pid = excluded.pid, host = excluded.host,
             process_started_at = excluded.process_started_at, heartbeat_at = excluded.heartbeat_at,
             child_pgid = NULL, child_started_at = NULL`,
          [id, me.pid, me.host, me.processStartedAt, now]
        )
      ),
    beat: (id, me, now) =>
      Effect.asVoid(
        run("heartbeat", `UPDATE writer_leases SET heartbeat_at = $5 WHERE ${MINE}`, [
          id,
          me.pid,
          me.host,
          me.processStartedAt,
          now
        ])
      ),
    child: (id, me, pgid, startedAt) => {
      pool
        .query(`UPDATE writer_leases SET child_pgid = $5, child_started_at = $6 WHERE ${MINE}`, [
          id,
          me.pid,
          me.host,
          me.processStartedAt,
          pgid,
          startedAt
        ])
        .catch(() => undefined)
    },
    remove: (l) =>
      Effect.asVoid(
        run("drop", `DELETE FROM writer_leases WHERE ${MINE}`, [l.executionId, l.pid, l.host, l.processStartedAt])
      ),
    all: Effect.map(
      run("all", "SELECT * FROM writer_leases ORDER BY execution_id", []),
      (rows): ReadonlyArray<Lease> =>
        rows.map((r) => ({
          executionId: r.execution_id,
          pid: r.pid,
          host: r.host,
          processStartedAt: r.process_started_at,
          heartbeatAt: r.heartbeat_at,
          childPgid: r.child_pgid,
          childStartedAt: r.child_started_at
        }))
    )
  }
})
