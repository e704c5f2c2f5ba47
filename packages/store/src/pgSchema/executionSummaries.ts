/** `execution_summaries` on PostgreSQL: the SQLite table column for column (kept by the projector). */
import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core"
import { executions } from "./executions.js"

export const executionSummaries = pgTable("execution_summaries", {
  executionId: text("execution_id")
    .primaryKey()
    .references(() => executions.id),
  eventCount: integer("event_count").notNull().default(0),
  goal: text("goal"),
  stepCount: integer("step_count").notNull().default(0),
  /** JSON array of tool names. */
  toolsUsed: text("tools_used").notNull().default("[]"),
  toolCalls: integer("tool_calls").notNull().default(0),
  toolFailures: integer("tool_failures").notNull().default(0),
  toolTimeMs: bigint("tool_time_ms", { mode: "number" }).notNull().default(0),
  tokensUsed: bigint("tokens_used", { mode: "number" }).notNull().default(0),
  modelUsed: text("model_used"),
  approvalPending: integer("approval_pending").notNull().default(0),
  errorCount: integer("error_count").notNull().default(0),
  firstEventAt: text("first_event_at"),
  lastEventAt: text("last_event_at"),
  lastPosition: bigint("last_position", { mode: "number" }).notNull().default(0)
})
