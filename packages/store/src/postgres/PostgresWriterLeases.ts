/**
 * The writer-lease table (`writer_leases`, migration 0003) on PostgreSQL: the same operations as
 * SQLite's (`../leases/WriterLeases.ts`), one statement each on the pool, and the children's groups
 * in `writer_lease_children`. `child` is fire and forget: a tool reports its process group from a
 * synchronous spawn and exit.
 */
import { Effect } from "effect"
import { type ChildRow, type LeaseRow, type LeaseTable, leasesWithChildren } from "../leases/LeaseTable.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import { pgStorageError } from "./PostgresFailure.js"

const MINE = "execution_id = $1 AND pid = $2 AND host = $3 AND process_started_at = $4"

export const leaseTable = Effect.map(PostgresDatabase, ({ pool, location }): LeaseTable => {
  const run = <R = LeaseRow>(operation: string, text: string, values: Array<unknown>) =>
    Effect.tryPromise({
      try: async () => (await pool.query(text, values)).rows as Array<R>,
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
    child: (id, me, pgid, startedAt, running) => {
      const done = running
        ? pool.query(
            `INSERT INTO writer_lease_children (execution_id, pgid, started_at)
             SELECT execution_id, $5, $6 FROM writer_leases WHERE ${MINE}
             ON CONFLICT (execution_id, pgid) DO UPDATE SET started_at = excluded.started_at`,
            [id, me.pid, me.host, me.processStartedAt, pgid, startedAt]
          )
        : pool.query("DELETE FROM writer_lease_children WHERE execution_id = $1 AND pgid = $2", [id, pgid])
      done.catch(() => undefined)
    },
    remove: (l) =>
      Effect.asVoid(
        run(
          "drop",
          `WITH gone AS (DELETE FROM writer_leases WHERE ${MINE} RETURNING execution_id)
           DELETE FROM writer_lease_children c USING gone WHERE c.execution_id = gone.execution_id`,
          [l.executionId, l.pid, l.host, l.processStartedAt]
        )
      ),
    all: Effect.zipWith(
      run("all", "SELECT * FROM writer_leases ORDER BY execution_id", []),
      run<ChildRow>(
        "all",
        "SELECT execution_id, pgid, started_at FROM writer_lease_children ORDER BY execution_id, pgid",
        []
      ),
      leasesWithChildren
    )
  }
})
