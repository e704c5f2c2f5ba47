/**
 * `executions` on PostgreSQL: the SQLite table (`../schema/executions.ts`) column for column, in
 * Postgres types. The two instant-key indexes are in the hand-written migration (as on SQLite),
 * on `instantKeyPgSql("created_at")`.
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
