/**
 * `executions` on PostgreSQL: the SQLite table (`../schema/executions.ts`) column for column, in
 * Postgres types. The three instant-key indexes are in hand-written migrations (as on SQLite),
 * on `instantKeyPgSql("created_at")`: 0001 (the key; user, key) and 0008 (status, key).
 */
import { index, pgTable, text } from "drizzle-orm/pg-core"

export const executions = pgTable(
  "executions",
  {
    /** UUID of the execution. */
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    channel: text("channel").notNull(),
    inputText: text("input_text").notNull(),
    /** pending, running, completed, failed. */
    status: text("status").notNull().default("pending"),
    /** ISO 8601; the MessageReceived's timestamp when Cratos Core writes it. */
    createdAt: text("created_at").notNull(),
    completedAt: text("completed_at")
  },
  (t) => [
    index("idx_executions_user_id").on(t.userId),
    index("idx_executions_created_at").on(t.createdAt),
    index("idx_executions_status").on(t.status, t.createdAt)
  ]
)
