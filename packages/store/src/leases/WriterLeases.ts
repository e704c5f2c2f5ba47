/**
 * Writer leases (table `writer_leases`): the process writing an execution says so, and keeps
 * saying so. `hold` takes the lease before the execution's first event, heartbeats every
 * `heartbeatMs` while the execution runs (a fiber on `Schedule.spaced`), records the process group
 * of every tool child running now (`writer_lease_children`: steps run side by side), and deletes
 * the lease and those rows when the execution ends, however it ends.
 * A lease left behind is a writer that died: see `AbandonedExecutions`.
 */
import { Database } from "../Database.js"
import type { PostgresDatabase } from "../postgres/PostgresDatabase.js"
import type { StorageError } from "../errors.js"
import { toStorageError } from "../SqliteFailure.js"
import { Clock, Context, Effect, Layer, Schedule } from "effect"
import * as os from "node:os"
import { ChildProcessGroup } from "./ChildProcessGroup.js"
import type { Lease } from "./Lease.js"
import { procInfo } from "./WriterLiveness.js"

export type { Lease, LeasedChild } from "./Lease.js"
export type { LeaseTable, WriterIdentity } from "./LeaseTable.js"
import { type ChildRow, type LeaseRow, type LeaseTable, leasesWithChildren, type WriterIdentity } from "./LeaseTable.js"

export const currentWriter = (): WriterIdentity => ({
  pid: process.pid,
  host: os.hostname(),
  processStartedAt: procInfo(process.pid)?.startedAt ?? Math.round(performance.timeOrigin)
})

export const DEFAULT_HEARTBEAT_MS = 5000

export interface WriterLeasesShape {
  readonly identity: WriterIdentity
  /** Runs `self` holding the lease of `executionId` (taken before, heartbeated during, released after). */
  readonly hold: <A, E, R>(executionId: string, self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StorageError, R>
  /** Every lease in the table. */
  readonly all: Effect.Effect<ReadonlyArray<Lease>, StorageError>
  /** Deletes this lease (only if it is still the same writer's). */
  readonly drop: (lease: Lease) => Effect.Effect<void, StorageError>
}

/** The lease row of this writer: its execution, process id, host and process start time. */
const MINE = "execution_id = ? AND pid = ? AND host = ? AND process_started_at = ?"

/** The service over a lease table (either dialect). */
export const makeWith = (
  table: LeaseTable,
  options: { readonly heartbeatMs?: number; readonly identity?: WriterIdentity } = {}
): WriterLeasesShape => {
  const identity = options.identity ?? currentWriter()
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
  const hold = <A, E, R>(executionId: string, self: Effect.Effect<A, E, R>) =>
    Effect.acquireUseRelease(
      Effect.flatMap(Clock.currentTimeMillis, (now) => table.take(executionId, identity, now)),
      () =>
        Effect.gen(function* () {
          const heartbeat = Effect.flatMap(Clock.currentTimeMillis, (now) =>
            table.beat(executionId, identity, now)
          ).pipe(
            // a missed beat is not the execution's failure: the next one may go through
            Effect.catchAll((e) => Effect.logWarning(`writer lease heartbeat: ${e.message}`)),
            Effect.repeat(Schedule.spaced(heartbeatMs)),
            Effect.delay(heartbeatMs)
          )
          yield* Effect.forkScoped(heartbeat)
          const report = (pgid: number, running: boolean) => {
            try {
              table.child(executionId, identity, pgid, running ? (procInfo(pgid)?.startedAt ?? null) : null, running)
            } catch {
              // the group still ends with the step; only the crash case loses its kill
            }
          }
          return yield* Effect.locally(self, ChildProcessGroup, report)
        }).pipe(Effect.scoped),
      () => table.remove({ executionId, ...identity }).pipe(Effect.ignore)
    )
  return { identity, hold, all: table.all, drop: table.remove }
}

/** The lease table on the shared SQLite connection. */
const sqliteTable = Effect.gen(function* () {
  const { connection, path } = yield* Database
  const insert = connection.prepare<[string, number, string, number, number]>(
    "INSERT OR REPLACE INTO writer_leases " +
      "(execution_id, pid, host, process_started_at, heartbeat_at, child_pgid, child_started_at) " +
      "VALUES (?, ?, ?, ?, ?, NULL, NULL)"
  )
  const beat = connection.prepare(`UPDATE writer_leases SET heartbeat_at = ? WHERE ${MINE}`)
  // A child is named only while this writer holds the lease (the INSERT … SELECT finds its row).
  const childStarted = connection.prepare(
    "INSERT OR REPLACE INTO writer_lease_children (execution_id, pgid, started_at) " +
      `SELECT execution_id, ?, ? FROM writer_leases WHERE ${MINE}`
  )
  const childEnded = connection.prepare("DELETE FROM writer_lease_children WHERE execution_id = ? AND pgid = ?")
  const remove = connection.prepare(`DELETE FROM writer_leases WHERE ${MINE}`)
  const removeChildren = connection.prepare(
    "DELETE FROM writer_lease_children WHERE execution_id = ? " +
      "AND NOT EXISTS (SELECT 1 FROM writer_leases WHERE writer_leases.execution_id = writer_lease_children.execution_id)"
  )
  const release = connection.transaction((lease: readonly [string, number, string, number]) => {
    remove.run(...lease)
    removeChildren.run(lease[0])
  })
  const select = connection.prepare<[], LeaseRow>("SELECT * FROM writer_leases ORDER BY execution_id")
  const selectChildren = connection.prepare<[], ChildRow>(
    "SELECT execution_id, pgid, started_at FROM writer_lease_children ORDER BY execution_id, pgid"
  )
  const attempt = <A>(operation: string, f: () => A) =>
    Effect.try({ try: f, catch: (e) => toStorageError(`WriterLeases.${operation}`, path, e) })
  const table: LeaseTable = {
    take: (id, me, now) => attempt("take", () => void insert.run(id, me.pid, me.host, me.processStartedAt, now)),
    beat: (id, me, now) => attempt("heartbeat", () => void beat.run(now, id, me.pid, me.host, me.processStartedAt)),
    child: (id, me, pgid, startedAt, running) => {
      if (running) childStarted.run(pgid, startedAt, id, me.pid, me.host, me.processStartedAt)
      else childEnded.run(id, pgid)
    },
    remove: (l) => attempt("drop", () => void release([l.executionId, l.pid, l.host, l.processStartedAt])),
    all: attempt("all", () => leasesWithChildren(select.all(), selectChildren.all()))
  }
  return table
})

export class WriterLeases extends Context.Tag("@cratos/agent/WriterLeases")<WriterLeases, WriterLeasesShape>() {
  static readonly make = (options: { readonly heartbeatMs?: number; readonly identity?: WriterIdentity } = {}) =>
    Effect.map(sqliteTable, (table) => WriterLeases.of(makeWith(table, options)))

  static readonly layer = (
    options: { readonly heartbeatMs?: number } = {}
  ): Layer.Layer<WriterLeases, never, Database> => Layer.effect(WriterLeases, WriterLeases.make(options))

  /** The leases on PostgreSQL (the store's pool); its module is loaded on first use. */
  static readonly layerPostgres = (
    options: { readonly heartbeatMs?: number } = {}
  ): Layer.Layer<WriterLeases, never, PostgresDatabase> =>
    Layer.effect(
      WriterLeases,
      Effect.flatMap(
        Effect.promise(() => import("../postgres/PostgresWriterLeases.js")),
        (m) => Effect.map(m.leaseTable, (table) => WriterLeases.of(makeWith(table, options)))
      )
    )
}
