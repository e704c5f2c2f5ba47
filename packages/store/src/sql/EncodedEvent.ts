/** An event ready to be inserted: its row values, encoded outside the write transaction. */
import { sql } from "drizzle-orm"
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3"
import { executionEvents } from "../schema/executionEvents.js"

export interface EncodedEvent {
  /** `execution_events.event_type`: the variant name. */
  readonly eventType: string
  /** `execution_events.event_data`: the wire JSON. */
  readonly eventData: string
  /** `execution_events.timestamp`: the event's own timestamp, canonical RFC 3339. */
  readonly timestamp: string
}

/** The values of one `execution_events` row, as `prepareInsertEventRow`'s placeholders. */
export interface EventRowValues extends EncodedEvent {
  readonly executionId: string
  readonly userId: string
}

/**
 * One `execution_events` row (`id` and `created_at` from the table's defaults); `.run(values)`
 * gives its position as `lastInsertRowid`.
 */
export const prepareInsertEventRow = (d: BetterSQLite3Database) =>
  d
    .insert(executionEvents)
    .values({
      executionId: sql.placeholder("executionId"),
      userId: sql.placeholder("userId"),
      eventType: sql.placeholder("eventType"),
      eventData: sql.placeholder("eventData"),
      timestamp: sql.placeholder("timestamp")
    })
    .prepare()

/** Runs the prepared insert; the new row's position. */
export const runInsertEventRow = (
  insert: ReturnType<typeof prepareInsertEventRow>,
  executionId: string,
  userId: string,
  e: EncodedEvent
): number =>
  Number(
    insert.run({
      executionId,
      userId,
      eventType: e.eventType,
      eventData: e.eventData,
      timestamp: e.timestamp
    } satisfies EventRowValues).lastInsertRowid
  )
