/** `execution_summaries`: one read-model row per execution (kept by the projector). */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core"
import { executions } from "./executions.js"

export const executionSummaries = sqliteTable("execution_summaries", {
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
  toolTimeMs: integer("tool_time_ms").notNull().default(0),
  tokensUsed: integer("tokens_used").notNull().default(0),
  modelUsed: text("model_used"),
  approvalPending: integer("approval_pending").notNull().default(0),
  errorCount: integer("error_count").notNull().default(0),
  firstEventAt: text("first_event_at"),
  lastEventAt: text("last_event_at"),
  lastPosition: integer("last_position").notNull().default(0)
})
