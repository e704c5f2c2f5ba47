/**
 * `execution_summaries`: one row per execution, folded from its events.
 *
 * - `event_count`: events in the log; `first_event_at`/`last_event_at`: the timestamps of the
 *   first and last of them by position (events are ordered by position, not by timestamp);
 * - `goal`, `step_count`: of the last PlanGenerated; `model_used`: its model; `tokens_used`:
 *   the sum over every PlanGenerated. The goal is kept masked (issue 14: the read model holds no
 *   raw text), read without a key by the domain's `maskedTextOf`: a sealed goal's masked copy (its
 *   v2 envelope carries one), a plaintext goal (older rows, `--encryption off`) masked. Version 2:
 *   version 1 kept plaintext goals as they were, so a database projected by it is rebuilt;
 * - `tools_used`: distinct tool names of ToolInvoked and ToolCompleted, in order of first use,
 *   as a JSON array; `tool_calls`: ToolCompleted count, `tool_failures`: those with
 *   `success: false`, `tool_time_ms`: the sum of their `duration_ms`;
 * - sums (`tokens_used`, `tool_time_ms`) saturate at 2^53-1 rather than lose precision;
 * - `approval_pending`: an ApprovalRequested not answered yet;
 * - `error_count`: ErrorOccurred count (recoverable or not);
 * - `last_position`: the position of the last event folded.
 */
import { maskedTextOf } from "@cratos/domain"
import type { StoredEvent } from "@cratos/store"
import { ALL_EVENT_TYPES, defineProjection } from "../Projection.js"

export interface Summary {
  eventCount: number
  goal: string | null
  stepCount: number
  toolsUsed: Array<string>
  toolCalls: number
  toolFailures: number
  toolTimeMs: number
  tokensUsed: number
  modelUsed: string | null
  approvalPending: boolean
  errorCount: number
  firstEventAt: string | null
  lastEventAt: string | null
  lastPosition: number
}

export const emptySummary = (): Summary => ({
  eventCount: 0,
  goal: null,
  stepCount: 0,
  toolsUsed: [],
  toolCalls: 0,
  toolFailures: 0,
  toolTimeMs: 0,
  tokensUsed: 0,
  modelUsed: null,
  approvalPending: false,
  errorCount: 0,
  firstEventAt: null,
  lastEventAt: null,
  lastPosition: 0
})

/** Sums saturate at 2^53-1: beyond it a JavaScript number (and what better-sqlite3 binds) is inexact. */
const add = (a: number, b: number): number => Math.min(Number.MAX_SAFE_INTEGER, a + b)

const useTool = (s: Summary, tool: string) => {
  if (!s.toolsUsed.includes(tool)) s.toolsUsed.push(tool)
}

/** Folds one more event into a summary (in place: summaries are per-batch scratch values). */
export const evolveSummary = (s: Summary, { position, event }: StoredEvent): Summary => {
  s.eventCount += 1
  if (s.firstEventAt === null) s.firstEventAt = event.timestamp
  s.lastEventAt = event.timestamp
  s.lastPosition = position
  switch (event.type) {
    case "PlanGenerated":
      s.goal = maskedTextOf(event.plan.goal)
      s.stepCount = event.plan.steps.length
      s.tokensUsed = add(s.tokensUsed, event.tokens_used)
      s.modelUsed = event.model_used
      break
    case "ApprovalRequested":
      s.approvalPending = true
      break
    case "ApprovalReceived":
      s.approvalPending = false
      break
    case "ToolInvoked":
      useTool(s, event.tool)
      break
    case "ToolCompleted":
      useTool(s, event.tool)
      s.toolCalls += 1
      if (!event.output.success) s.toolFailures += 1
      s.toolTimeMs = add(s.toolTimeMs, event.duration_ms)
      break
    case "ErrorOccurred":
      s.errorCount += 1
      break
    case "MessageReceived":
    case "ResponseSent":
      break
  }
  return s
}

interface SummaryRow {
  event_count: number
  goal: string | null
  step_count: number
  tools_used: string
  tool_calls: number
  tool_failures: number
  tool_time_ms: number
  tokens_used: number
  model_used: string | null
  approval_pending: number
  error_count: number
  first_event_at: string | null
  last_event_at: string | null
  last_position: number
}

const parseTools = (text: string): Array<string> => {
  const value: unknown = JSON.parse(text)
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : []
}

const fromRow = (r: SummaryRow): Summary => ({
  eventCount: r.event_count,
  goal: r.goal,
  stepCount: r.step_count,
  toolsUsed: parseTools(r.tools_used),
  toolCalls: r.tool_calls,
  toolFailures: r.tool_failures,
  toolTimeMs: r.tool_time_ms,
  tokensUsed: r.tokens_used,
  modelUsed: r.model_used,
  approvalPending: r.approval_pending !== 0,
  errorCount: r.error_count,
  firstEventAt: r.first_event_at,
  lastEventAt: r.last_event_at,
  lastPosition: r.last_position
})

const UPSERT = `INSERT INTO execution_summaries (execution_id, event_count, goal, step_count, tools_used, tool_calls,
  tool_failures, tool_time_ms, tokens_used, model_used, approval_pending, error_count, first_event_at, last_event_at,
  last_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (execution_id) DO UPDATE SET event_count = excluded.event_count, goal = excluded.goal,
  step_count = excluded.step_count, tools_used = excluded.tools_used, tool_calls = excluded.tool_calls,
  tool_failures = excluded.tool_failures, tool_time_ms = excluded.tool_time_ms, tokens_used = excluded.tokens_used,
  model_used = excluded.model_used, approval_pending = excluded.approval_pending, error_count = excluded.error_count,
  first_event_at = excluded.first_event_at, last_event_at = excluded.last_event_at,
  last_position = excluded.last_position`

/** Folds a batch over the executions' current summaries: the summaries it touched (the loaded ones, updated). */
export const foldSummaries = (
  events: ReadonlyArray<StoredEvent>,
  rows: ReadonlyMap<string, Summary>
): ReadonlyMap<string, Summary> => {
  const touched = new Map<string, Summary>()
  for (const stored of events) {
    let s = touched.get(stored.executionId)
    if (s === undefined) {
      // The loaded rows are the batch's own (built by `load` for this batch): folded in place.
      s = rows.get(stored.executionId) ?? emptySummary()
      touched.set(stored.executionId, s)
    }
    evolveSummary(s, stored)
  }
  return touched
}

const SELECT_COLUMNS = `execution_id, event_count, goal, step_count, tools_used, tool_calls, tool_failures, tool_time_ms,
  tokens_used, model_used, approval_pending, error_count, first_event_at, last_event_at, last_position`

/** The row's values in the table's column order (`approval_pending` and `tools_used` as stored). */
const valuesOf = (id: string, s: Summary) =>
  [
    id,
    s.eventCount,
    s.goal,
    s.stepCount,
    JSON.stringify(s.toolsUsed),
    s.toolCalls,
    s.toolFailures,
    s.toolTimeMs,
    s.tokensUsed,
    s.modelUsed,
    s.approvalPending ? 1 : 0,
    s.errorCount,
    s.firstEventAt,
    s.lastEventAt,
    s.lastPosition
  ] as const

const PG_TYPES = [
  "text",
  "int4",
  "text",
  "int4",
  "text",
  "int4",
  "int4",
  "int8",
  "int8",
  "text",
  "int4",
  "int4",
  "text",
  "text",
  "int8"
] as const

/** `$1::text[], $2::int4[], …`: one typed array parameter per column. */
const PG_ARRAYS = PG_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")

const PG_UPSERT = `INSERT INTO execution_summaries (${SELECT_COLUMNS})
SELECT * FROM unnest(${PG_ARRAYS})
ON CONFLICT (execution_id) DO UPDATE SET event_count = excluded.event_count, goal = excluded.goal,
  step_count = excluded.step_count, tools_used = excluded.tools_used, tool_calls = excluded.tool_calls,
  tool_failures = excluded.tool_failures, tool_time_ms = excluded.tool_time_ms, tokens_used = excluded.tokens_used,
  model_used = excluded.model_used, approval_pending = excluded.approval_pending, error_count = excluded.error_count,
  first_event_at = excluded.first_event_at, last_event_at = excluded.last_event_at,
  last_position = excluded.last_position`

export const executionSummary = defineProjection({
  name: "execution_summary",
  version: 2,
  canHandle: ALL_EVENT_TYPES,
  fold: foldSummaries,
  sqlite: {
    load: (ctx, ids) => {
      const select = ctx.statement<[string], SummaryRow>(
        `SELECT ${SELECT_COLUMNS} FROM execution_summaries WHERE execution_id = ?`
      )
      const rows = new Map<string, Summary>()
      for (const id of ids) {
        const row = select.get(id)
        if (row !== undefined) rows.set(id, fromRow(row))
      }
      return rows
    },
    write: (ctx, touched) => {
      const upsert = ctx.statement(UPSERT)
      for (const [id, s] of touched) upsert.run(...valuesOf(id, s))
    },
    reset: (ctx) => {
      ctx.statement(`DELETE FROM execution_summaries`).run()
    }
  },
  postgres: {
    load: async (ctx, ids) => {
      const rows = await ctx.query<SummaryRow & { readonly execution_id: string }>({
        name: "cratos_summary_load",
        text: `SELECT ${SELECT_COLUMNS} FROM execution_summaries WHERE execution_id = ANY($1::text[])`,
        values: [ids]
      })
      return new Map(rows.map((r) => [r.execution_id, fromRow(r)]))
    },
    write: async (ctx, touched) => {
      if (touched.size === 0) return
      const columns: Array<Array<unknown>> = PG_TYPES.map(() => [])
      for (const [id, s] of touched) {
        const values = valuesOf(id, s)
        for (let i = 0; i < values.length; i++) columns[i]!.push(values[i])
      }
      await ctx.query({ name: "cratos_summary_upsert", text: PG_UPSERT, values: columns })
    },
    reset: async (ctx) => {
      await ctx.query({ text: `DELETE FROM execution_summaries` })
    }
  }
})
