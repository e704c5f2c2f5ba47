/**
 * `tool_calls`: one row per ToolCompleted, keyed by its log position, for the per-tool counts
 * and duration percentiles of `ReadModel.stats`. Reads no rows: each event is a new row.
 */
import { defineProjection, noRows } from "../Projection.js"

export interface ToolCallRow {
  readonly position: number
  readonly executionId: string
  readonly tool: string
  readonly success: 0 | 1
  readonly durationMs: number
  readonly completedAt: string
}

export const toolCalls = defineProjection({
  name: "tool_calls",
  version: 1,
  canHandle: ["ToolCompleted"],
  fold: (events): ReadonlyArray<ToolCallRow> =>
    events.map(({ position, executionId, event }) => ({
      position,
      executionId,
      tool: event.tool,
      success: event.output.success ? 1 : 0,
      durationMs: event.duration_ms,
      completedAt: event.timestamp
    })),
  sqlite: {
    load: noRows.sqlite,
    write: (ctx, rows) => {
      const insert = ctx.statement<[number, string, string, number, number, string]>(
        `INSERT INTO tool_calls (position, execution_id, tool, success, duration_ms, completed_at) VALUES (?, ?, ?, ?, ?, ?)`
      )
      for (const r of rows) insert.run(r.position, r.executionId, r.tool, r.success, r.durationMs, r.completedAt)
    },
    reset: (ctx) => {
      ctx.statement(`DELETE FROM tool_calls`).run()
    }
  },
  postgres: {
    load: noRows.postgres,
    write: async (ctx, rows) => {
      if (rows.length === 0) return
      await ctx.query({
        name: "cratos_tool_calls_insert",
        text: `INSERT INTO tool_calls (position, execution_id, tool, success, duration_ms, completed_at)
SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::int4[], $5::int8[], $6::text[])`,
        values: [
          rows.map((r) => r.position),
          rows.map((r) => r.executionId),
          rows.map((r) => r.tool),
          rows.map((r) => r.success),
          rows.map((r) => r.durationMs),
          rows.map((r) => r.completedAt)
        ]
      })
    },
    reset: async (ctx) => {
      await ctx.query({ text: `DELETE FROM tool_calls` })
    }
  }
})
