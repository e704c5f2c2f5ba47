/** The shapes of the Retention service, apart from its tag and implementations (which import this). */
import type { Effect } from "effect"
import type { Timestamp } from "@cratos/domain"
import type { ExecutionNotFinished, ExecutionNotFound, StorageError } from "./errors.js"

export interface PruneResult {
  readonly executionId: string
  /** Number of events deleted. */
  readonly events: number
}

export interface RetentionShape {
  /** Deletes a completed or failed execution and everything derived from it, atomically. */
  readonly pruneExecution: (
    executionId: string
  ) => Effect.Effect<PruneResult, ExecutionNotFound | ExecutionNotFinished | StorageError>
  /** Ids of the executions that finished before `olderThan` (oldest first). */
  readonly findPrunable: (olderThan: Timestamp.Timestamp) => Effect.Effect<ReadonlyArray<string>, StorageError>
}
