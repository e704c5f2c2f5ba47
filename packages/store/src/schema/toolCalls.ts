/** `tool_calls`: one row per ToolCompleted, keyed by its log position (kept by the projector). */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const toolCalls = sqliteTable(
  "tool_calls",
  {
    position: integer("position").primaryKey(),
    executionId: text("execution_id").notNull(),
    tool: text("tool").notNull(),
    success: integer("success").notNull(),
    durationMs: integer("duration_ms").notNull(),
    completedAt: text("completed_at").notNull()
  },
  (t) => [index("idx_tool_calls_tool").on(t.tool), index("idx_tool_calls_execution_id").on(t.executionId)]
)
