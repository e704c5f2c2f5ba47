/** The writer-lease table's operations on one database, and the writer a lease names. */
import type { Effect } from "effect"
import type { StorageError } from "../errors.js"
import type { Lease } from "./Lease.js"

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
  /** Fire and forget (called from a tool's synchronous spawn): records the child's group. */
  readonly child: (executionId: string, me: WriterIdentity, pgid: number | null, startedAt: number | null) => void
  readonly remove: (
    lease: Pick<Lease, "executionId" | "pid" | "host" | "processStartedAt">
  ) => Effect.Effect<void, StorageError>
  readonly all: Effect.Effect<ReadonlyArray<Lease>, StorageError>
}
