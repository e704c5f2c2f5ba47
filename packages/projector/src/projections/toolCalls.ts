/**
 * `tool_calls`: one row per ToolCompleted, keyed by its log position, for the per-tool counts
 * and duration percentiles of `ReadModel.stats`.
 */
import { defineProjection } from "../Projection.js"

export const toolCalls = defineProjection({
  name: "tool_calls",
  version: 1,
  canHandle: ["ToolCompleted"],
  handle: (events, ctx) => {
    const insert = ctx.statement<[number, string, string, number, number, string]>(
      `INSERT INTO tool_calls (position, execution_id, tool, success, duration_ms, completed_at) VALUES (?, ?, ?, ?, ?, ?)`
    )
    for (const { position, executionId, event } of events) {
      insert.run(position, executionId, event.tool, event.output.success ? 1 : 0, event.duration_ms, event.timestamp)
    }
  },
  reset: (ctx) => {
    ctx.statement(`DELETE FROM tool_calls`).run()
  }
})
