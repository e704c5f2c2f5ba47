/**
 * `execution_events` on PostgreSQL: the SQLite table column for column. `event_data` is `text`,
 * never `jsonb` (which reorders keys and respells numbers): the wire JSON byte for byte.
 *
 * A sequence hands out ids in allocation order, not commit order: every transaction that inserts
 * events takes one transaction-scoped advisory lock first (the store's append path), so ids
 * become visible in id order and a reader of `id > checkpoint` never passes an id that commits
 * later (see the store README for the choice and its measured cost).
 */
import { sql } from "drizzle-orm"
import { bigserial, index, pgTable, text } from "drizzle-orm/pg-core"
import { executions } from "./executions.js"

export const executionEvents = pgTable(
  "execution_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    executionId: text("execution_id")
      .notNull()
      .references(() => executions.id),
    userId: text("user_id").notNull(),
    /** The variant name (`eventTypeName`). */
    eventType: text("event_type").notNull(),
    /** The event's wire JSON, exactly as serde writes it. */
    eventData: text("event_data").notNull(),
    /** The event's own timestamp, canonical RFC 3339. */
    timestamp: text("timestamp").notNull(),
    /** SQLite's `datetime('now')` spelling: `YYYY-MM-DD HH:MM:SS`, UTC. */
    createdAt: text("created_at").notNull().default(sql`to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')`)
  },
  (t) => [
    index("idx_events_execution_id").on(t.executionId),
    index("idx_events_user_id").on(t.userId),
    index("idx_events_timestamp").on(t.timestamp),
    // SQLite's 0009: a rerun's MessageReceived names its original as `message.thread_id` (not a
    // sealed field); the read model's rerun links compare exactly this expression.
    index("idx_events_message_thread_id")
      .on(sql`((${t.eventData}::json -> 'message') ->> 'thread_id')`)
      .where(sql`${t.eventType} = 'MessageReceived'`)
  ]
)
