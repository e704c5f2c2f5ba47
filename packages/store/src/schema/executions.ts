/**
 * `executions`: one row per execution, as the seed's DDL declares it (CONTRACT.md section 3).
 * The store inserts it with the MessageReceived; the projector keeps `status`/`completed_at`.
 *
 * Two more indexes are not declared here: `idx_executions_created_key` and
 * `idx_executions_user_created_key`, on `instantKeySql("created_at")` (migration 0003,
 * hand-written: drizzle-kit 0.31 splits an index expression at its commas, drizzle-orm#6062).
 */
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const executions = sqliteTable(
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
    /** Added by Cratos Core (not in the seed) for `list --status`. */
    index("idx_executions_status").on(t.status, t.createdAt)
  ]
)
