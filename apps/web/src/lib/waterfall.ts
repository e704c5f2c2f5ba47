/**
 * Tool calls as spans on the execution's time axis (the waterfall): each ToolInvoked paired with
 * the ToolCompleted that closes it (earliest open call of the same tool, as the decider pairs
 * them). A call still open ends at the last event. Pure.
 */
import type { ExecutionEvent } from "../api/types.js"

export interface Span {
  readonly tool: string
  /** Index of the ToolInvoked event. */
  readonly index: number
  readonly startMs: number
  readonly endMs: number
  readonly status: "ok" | "failed" | "open"
}

export const spansOf = (
  events: ReadonlyArray<ExecutionEvent>
): { readonly spans: ReadonlyArray<Span>; readonly totalMs: number } => {
  const first = events[0]
  if (first === undefined) return { spans: [], totalMs: 0 }
  const t0 = Date.parse(first.timestamp)
  const at = (e: ExecutionEvent) => Date.parse(e.timestamp) - t0
  const totalMs = Math.max(0, ...events.map(at))
  const spans: Array<Span> = []
  const open: Array<{ tool: string; index: number; startMs: number }> = []
  events.forEach((e, index) => {
    if (e.type === "ToolInvoked") open.push({ tool: e.tool, index, startMs: at(e) })
    else if (e.type === "ToolCompleted") {
      const k = open.findIndex((o) => o.tool === e.tool)
      if (k >= 0) {
        const o = open.splice(k, 1)[0]!
        // the recorded duration is the tool's own; the completion time bounds it
        const end = Math.max(o.startMs + e.duration_ms, at(e))
        spans.push({ ...o, endMs: end, status: e.output_masked.success ? "ok" : "failed" })
      }
    }
  })
  for (const o of open) spans.push({ ...o, endMs: totalMs, status: "open" })
  spans.sort((a, b) => a.index - b.index)
  return { spans, totalMs: Math.max(totalMs, ...spans.map((s) => s.endMs)) }
}
