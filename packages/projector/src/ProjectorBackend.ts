/**
 * What the projector needs of its database, one implementation per dialect: SQLite
 * (`SqliteProjectorBackend.ts`, synchronous better-sqlite3 transactions) and PostgreSQL
 * (`postgres/PostgresProjectorBackend.ts`, pooled transactions). `Projector.ts` holds the logic
 * both share (passes, catch-up, follow, rebuild, waitFor) over this interface.
 */
import type { LogEntry, StorageError } from "@cratos/store"
import type { Effect } from "effect"
import type { BatchOutcome } from "./BatchApplier.js"
import type { PoisonEvent, ProjectionVersionAhead } from "./errors.js"
import type { Projection } from "./Projection.js"
import type { ProjectorStatus } from "./ProjectionLag.js"
import type { ProjectionInfo } from "./projections/index.js"

/** A projection reset because it had no checkpoint (`from: null`) or one of another version. */
export interface ProjectionReset {
  readonly name: string
  readonly from: number | null
  readonly to: number
}

export interface ProjectorBackend {
  /** The database in messages (a file, or a URL without its password). */
  readonly location: string
  /** Resets the projections without a checkpoint of their version; refuses to go back a version. */
  readonly ensure: (now: string) => Effect.Effect<ReadonlyArray<ProjectionReset>, ProjectionVersionAhead | StorageError>
  /**
   * Applies log entries (ordered by position) to every projection and moves their checkpoints,
   * in one transaction; `"moved"` when another projector reset a checkpoint under us.
   * Busy/serialization retries are the backend's.
   */
  readonly apply: (
    entries: ReadonlyArray<LogEntry>,
    now: string
  ) => Effect.Effect<BatchOutcome | "moved", PoisonEvent | StorageError>
  /** Resets these projections (their rows, dead letters and checkpoint at 0) in one transaction. */
  readonly reset: (chosen: ReadonlyArray<Projection>, now: string) => Effect.Effect<void, StorageError>
  /** The lowest checkpoint among the projections (of their current version), 0 when absent. */
  readonly lowestCheckpoint: Effect.Effect<number, StorageError>
  /** How far each of `known` is behind the log. */
  readonly lag: (known: ReadonlyArray<ProjectionInfo>) => Effect.Effect<ProjectorStatus, StorageError>
  /**
   * Waits until the log may have grown past `position`, or `timeoutMs` passed (PostgreSQL:
   * LISTEN/NOTIFY). Absent: the projector polls.
   */
  readonly waitForAppend?: (timeoutMs: number) => Effect.Effect<void>
}
