/**
 * `execution_events`: the append-only log, as the seed's DDL declares it. `id` is the global
 * position; the database refuses UPDATE and any DELETE outside retention (migration 0002).
 */
import { sql } from "drizzle-orm"
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core"
import { executions } from "./executions.js"

export const executionEvents = sqliteTable(
  "execution_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    executionId: text("execution_id")
      .notNull()
      .references(() => executions.id),
    userId: text("user_id").notNull(),
    /** The variant name (`eventTypeName`). */
    eventType: text("event_type").notNull(),
    /** The event's wire JSON, exactly as serde writes it. */
    eventData: text("event_data").notNull(),
    /** The event's own timestamp, canonical RFC 3339 (the seed writes `Utc::now()` here). */
    timestamp: text("timestamp").notNull(),
    createdAt: text("created_at").notNull().default(sql`(datetime('now'))`)
  },
  (t) => [
    index("idx_events_execution_id").on(t.executionId),
    index("idx_events_user_id").on(t.userId),
    index("idx_events_timestamp").on(t.timestamp)
  ]
)
