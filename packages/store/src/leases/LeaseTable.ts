/** The writer-lease table's operations on one database, and the writer a lease names. */
import type { Effect } from "effect"
import type { StorageError } from "../errors.js"
import type { Lease, LeasedChild } from "./Lease.js"

/** This process as a lease names it. */
export interface WriterIdentity {
  readonly pid: number
  readonly host: string
  readonly processStartedAt: number
}

/** The lease table's operations on one database (SQLite below; PostgreSQL in `postgres/PostgresWriterLeases.ts`). */
export interface LeaseTable {
  readonly take: (executionId: string, me: WriterIdentity, now: number) => Effect.Effect<void, StorageError>
  readonly beat: (executionId: string, me: WriterIdentity, now: number) => Effect.Effect<void, StorageError>
  /**
   * Fire and forget (called from a tool's synchronous spawn and exit): names a child's group while
   * it runs (`writer_lease_children`, only while `me` holds the lease), forgets it when it ends.
   */
  readonly child: (
    executionId: string,
    me: WriterIdentity,
    pgid: number,
    startedAt: number | null,
    running: boolean
  ) => void
  readonly remove: (
    lease: Pick<Lease, "executionId" | "pid" | "host" | "processStartedAt">
  ) => Effect.Effect<void, StorageError>
  readonly all: Effect.Effect<ReadonlyArray<Lease>, StorageError>
}

/** A `writer_leases` row as both dialects read it. */
export interface LeaseRow {
  readonly execution_id: string
  readonly pid: number
  readonly host: string
  readonly process_started_at: number
  readonly heartbeat_at: number
}

/** A `writer_lease_children` row. */
export interface ChildRow {
  readonly execution_id: string
  readonly pgid: number
  readonly started_at: number | null
}

/** The leases with the children each names. */
export const leasesWithChildren = (
  rows: ReadonlyArray<LeaseRow>,
  childRows: ReadonlyArray<ChildRow>
): ReadonlyArray<Lease> => {
  const children = new Map<string, Array<LeasedChild>>()
  for (const c of childRows) {
    const list = children.get(c.execution_id) ?? []
    list.push({ pgid: c.pgid, startedAt: c.started_at })
    children.set(c.execution_id, list)
  }
  return rows.map((r) => ({
    executionId: r.execution_id,
    pid: r.pid,
    host: r.host,
    processStartedAt: r.process_started_at,
    heartbeatAt: r.heartbeat_at,
    children: children.get(r.execution_id) ?? []
  }))
}
