/**
 * The projector's one write: a batch of log entries applied to every projection, and each
 * projection's checkpoint moved to the batch's end, in ONE `BEGIN IMMEDIATE` transaction on the
 * shared connection. A crash at any instant leaves either the whole batch with its checkpoints,
 * or neither: no event is lost or applied twice.
 *
 * The checkpoints are read again inside the transaction (under the write lock), and each
 * projection is given only the entries after its own checkpoint; so applying a batch twice, or
 * two projectors (the worker and a CLI's catch-up) racing over the same batch, changes nothing.
 *
 * Poison: a handler that throws on a batch is retried event by event, each in its own savepoint,
 * to find the event(s) it fails on; what SQLite reports as a storage failure (busy, full, I/O,
 * read-only, missing table) is not poison and fails the batch.
 *
 * Synchronous and throwing by design (it runs inside better-sqlite3's transaction); the Effect
 * boundary is in Projector.ts.
 */
import type { LogEntry, StoredEvent } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"
import { PoisonEvent } from "./errors.js"
import type { PoisonPolicy } from "./PoisonPolicy.js"
import { applySqlite, contextOf, type Projection } from "./Projection.js"
import { prepareCheckpoints } from "./sql/checkpoints.js"
import { prepareDeadLetters } from "./sql/deadLetters.js"

export interface DeadLetter {
  readonly projection: string
  readonly position: number
  readonly executionId: string
  readonly reason: string
}

export interface BatchOutcome {
  /** The position every projection's checkpoint now holds (at least). */
  readonly position: number
  readonly deadLetters: ReadonlyArray<DeadLetter>
}

/** A checkpoint changed version under us (another projector reset it): re-check and retry. */
export class CheckpointMoved extends Error {
  constructor(readonly projection: string) {
    super(`the checkpoint of ${projection} was reset by another projector`)
  }
}

const POISON_CODES = /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/

/** Whether a thrown value blames the event (poison) rather than the database. */
export const blamesEvent = (cause: unknown): boolean => {
  const code = (cause as { readonly code?: unknown } | null)?.code
  return !(typeof code === "string" && code.startsWith("SQLITE_")) || POISON_CODES.test(code)
}

export const reasonOf = (cause: unknown): string => {
  const text = cause instanceof Error ? cause.message : String(cause)
  return text.length > 300 ? text.slice(0, 300) + "…" : text
}

export const positionOf = (entry: LogEntry): number =>
  entry._tag === "Event" ? entry.stored.position : entry.error.position

export const makeBatchApplier = (
  db: BetterSqlite3.Database,
  projections: ReadonlyArray<Projection>,
  policy: PoisonPolicy
) => {
  const ctx = contextOf(db)
  const checkpoints = prepareCheckpoints(db)
  const deadLetterSql = prepareDeadLetters(db)
  const handles = projections.map((p) => ({ projection: p, types: new Set<string>(p.canHandle) }))
  // Nested in the batch's transaction, better-sqlite3 runs this as a SAVEPOINT.
  const savepoint = db.transaction((f: () => void) => f())

  const body = (entries: ReadonlyArray<LogEntry>, now: string): BatchOutcome => {
    const last = entries[entries.length - 1]
    if (last === undefined) return { position: 0, deadLetters: [] }
    const end = positionOf(last)
    const deadLetters: Array<DeadLetter> = []
    const poison = (projection: string, position: number, executionId: string, reason: string) => {
      if (policy === "stop") throw new PoisonEvent({ projection, position, executionId, reason })
      deadLetterSql.record(projection, position, executionId, reason, now)
      deadLetters.push({ projection, position, executionId, reason })
    }
    for (const { projection, types } of handles) {
      const cp = checkpoints.get(projection.name)
      if (cp === undefined || cp.version !== projection.version) throw new CheckpointMoved(projection.name)
      if (cp.position >= end) continue
      const events: Array<StoredEvent> = []
      for (const entry of entries) {
        if (entry._tag === "Event") {
          const stored = entry.stored
          if (stored.position > cp.position && types.has(stored.event.type)) events.push(stored)
        } else if (entry.error.position > cp.position) {
          const { position, executionId, reason } = entry.error
          poison(projection.name, position, executionId, `does not decode: ${reason}`)
        }
      }
      if (events.length > 0) {
        try {
          savepoint(() => applySqlite(projection, events, ctx))
        } catch (cause) {
          if (!blamesEvent(cause)) throw cause
          // Find the event(s) it fails on; the others are applied one by one, in order.
          for (const stored of events) {
            try {
              savepoint(() => applySqlite(projection, [stored], ctx))
            } catch (single) {
              if (!blamesEvent(single)) throw single
              poison(projection.name, stored.position, stored.executionId, reasonOf(single))
            }
          }
        }
      }
      checkpoints.advance(projection.name, end, now)
    }
    return { position: end, deadLetters }
  }

  const transaction = db.transaction(body)
  /** Applies the entries (ordered by position) in one BEGIN IMMEDIATE transaction. */
  return (entries: ReadonlyArray<LogEntry>, now: string): BatchOutcome => transaction.immediate(entries, now)
}
