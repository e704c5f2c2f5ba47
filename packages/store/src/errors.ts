/**
 * The store's typed errors. Each names what a person needs to act on it; none carries event
 * payloads (they may hold secrets).
 */
import { Data } from "effect"

/** `expectedVersion` did not match the stream's version at the time of the append. */
export class ConcurrencyError extends Data.TaggedError("ConcurrencyError")<{
  readonly executionId: string
  readonly expected: number
  readonly actual: number
}> {
  override get message() {
    return `execution ${this.executionId} is at version ${this.actual}, expected ${this.expected}`
  }
}

/** The idempotency key was used before with different events. */
export class IdempotencyConflict extends Data.TaggedError("IdempotencyConflict")<{
  readonly key: string
  readonly executionId: string
}> {
  override get message() {
    return `idempotency key ${JSON.stringify(this.key)} was already used with different events`
  }
}

/** No execution with this id. */
export class ExecutionNotFound extends Data.TaggedError("ExecutionNotFound")<{
  readonly executionId: string
}> {
  override get message() {
    return `no execution ${this.executionId}`
  }
}

/** startExecution for an id that already exists. */
export class ExecutionAlreadyExists extends Data.TaggedError("ExecutionAlreadyExists")<{
  readonly executionId: string
}> {
  override get message() {
    return `execution ${this.executionId} already exists`
  }
}

/** A stored `event_data` that does not decode; the row is named, its content is not echoed. */
export class CorruptEvent extends Data.TaggedError("CorruptEvent")<{
  readonly position: number
  readonly executionId: string
  readonly reason: string
}> {
  override get message() {
    return `event row ${this.position} of execution ${this.executionId} does not decode: ${this.reason}`
  }
}

/** An event that cannot be stored (not encodable as serde-readable JSON, or over a size cap). */
export class InvalidEvent extends Data.TaggedError("InvalidEvent")<{
  readonly executionId: string
  readonly index: number
  readonly reason: string
}> {
  override get message() {
    return `event ${this.index} for execution ${this.executionId} cannot be stored: ${this.reason}`
  }
}

/** The database could not be opened as a Cratos database. */
export class DatabaseOpenError extends Data.TaggedError("DatabaseOpenError")<{
  readonly path: string
  readonly reason: string
}> {
  override get message() {
    return `cannot open ${this.path}: ${this.reason}`
  }
}

/**
 * SQLite refused an operation (disk full, read-only, locked past the busy timeout, I/O error).
 * Nothing of the failed operation was written.
 */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly operation: string
  readonly path: string
  readonly code: string
  readonly reason: string
}> {
  override get message() {
    return `${this.operation} failed on ${this.path}: ${this.reason} (${this.code})`
  }
}

/** Retention refused to prune an execution that is not completed or failed. */
export class ExecutionNotFinished extends Data.TaggedError("ExecutionNotFinished")<{
  readonly executionId: string
  readonly status: string
}> {
  override get message() {
    return `execution ${this.executionId} is ${this.status}; only a completed or failed execution can be pruned`
  }
}
