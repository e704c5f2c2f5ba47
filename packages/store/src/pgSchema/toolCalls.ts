/** `tool_calls` on PostgreSQL: the SQLite table column for column (kept by the projector). */
import { bigint, index, integer, pgTable, text } from "drizzle-orm/pg-core"

export const toolCalls = pgTable(
  "tool_calls",
  {
    position: bigint("position", { mode: "number" }).primaryKey(),
    executionId: text("execution_id").notNull(),
    tool: text("tool").notNull(),
    success: integer("success").notNull(),
    durationMs: bigint("duration_ms", { mode: "number" }).notNull(),
    completedAt: text("completed_at").notNull()
  },
  (t) => [index("idx_tool_calls_tool").on(t.tool), index("idx_tool_calls_execution_id").on(t.executionId)]
)
