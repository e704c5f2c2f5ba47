/**
 * An execution's timeline for people: a header, then one line per event with the time elapsed
 * since the first event, an icon and a one-line summary. Only masked copies are printed
 * (`input_masked`, `output_masked`, `details.input_masked`), and every printed text goes through
 * the display masker too. Pure: rows and events in, lines out.
 */
import { type Execution, type ExecutionEvent, Timestamp } from "@cratos/domain"
import { maskJson, maskText } from "../agent/appMasker.js"

/** The executions row as the timeline needs it. */
export interface ExecutionHeader {
  readonly id: string
  readonly user_id: string
  readonly channel: string
  readonly status: string
  readonly created_at: string
  readonly completed_at: string | null
  readonly input_text: string
}

export const ICONS: Readonly<Record<ExecutionEvent["type"] | "ApprovalDeclined" | "ToolFailed", string>> = {
  MessageReceived: "📨",
  PlanGenerated: "🧠",
  ApprovalRequested: "⚠️",
  ApprovalReceived: "✅",
  ApprovalDeclined: "❌",
  ToolInvoked: "🔧",
  ToolCompleted: "✔",
  ToolFailed: "✖",
  ResponseSent: "💬",
  ErrorOccurred: "🔥"
}

const SUMMARY_WIDTH = 120

/** One line: whitespace runs collapsed, cut at `width` characters with an ellipsis. */
export const oneLine = (text: string, width = SUMMARY_WIDTH): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  const chars = Array.from(flat)
  return chars.length <= width ? flat : chars.slice(0, width - 1).join("") + "…"
}

/** `show --full`: no width cuts (`oneLine` with an infinite width only collapses whitespace). */
export interface Detail {
  readonly full?: boolean
}

const widthFor = (detail: Detail) => (width: number) => (detail.full === true ? Number.POSITIVE_INFINITY : width)

/** A JSON value on one line (strings without quotes when they are the whole value). */
export const jsonLine = (value: unknown, width = SUMMARY_WIDTH): string => {
  const masked = maskJson(value)
  return oneLine(typeof masked === "string" ? masked : (JSON.stringify(masked) ?? "null"), width)
}

const text = (s: string, width = SUMMARY_WIDTH) => oneLine(maskText(s), width)

/** `[mm:ss]` from `first` to `at`; minutes grow past 59; an earlier time shows a minus. */
export const elapsed = (first: Timestamp.Timestamp, at: Timestamp.Timestamp): string => {
  const ms = Timestamp.diffMillis(first, at)
  const sign = ms < 0 ? "-" : ""
  const total = Math.floor(Math.abs(ms) / 1000)
  const mm = String(Math.floor(total / 60)).padStart(2, "0")
  const ss = String(total % 60).padStart(2, "0")
  return `[${sign}${mm}:${ss}]`
}

/** A duration for people: `12ms`, `1.5s`, `2m05s`. */
export const duration = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

/** The icon and summary of one event (masked). */
export const describeEvent = (
  event: ExecutionEvent,
  detail: Detail = {}
): { readonly icon: string; readonly summary: string } => {
  const w = widthFor(detail)
  switch (event.type) {
    case "MessageReceived": {
      const m = event.message
      return {
        icon: ICONS.MessageReceived,
        summary: `message from ${m.user_id} via ${m.channel_type}: ${text(m.text, w(SUMMARY_WIDTH))}`
      }
    }
    case "PlanGenerated": {
      const p = event.plan
      const tools = p.steps.map((s) => s.tool).join(", ")
      return {
        icon: ICONS.PlanGenerated,
        summary:
          `plan: ${text(p.goal, w(60))} — ${plural(p.steps.length, "step")}${tools === "" ? "" : ` (${tools})`}, ` +
          `risk ${p.estimated_risk}, ${p.requires_approval ? "needs approval" : "no approval needed"}; ` +
          `${event.model_used}, ${plural(event.tokens_used, "token")}`
      }
    }
    case "ApprovalRequested": {
      const d = event.details
      const step = d.step_index === null ? "" : ` step ${d.step_index + 1}`
      return {
        icon: ICONS.ApprovalRequested,
        summary: `approval requested (${event.risk_level})${step}: ${d.tool} — ${text(d.description, w(60))} ${jsonLine(d.input_masked, w(100))}`
      }
    }
    case "ApprovalReceived":
      return event.approved
        ? {
            icon: ICONS.ApprovalReceived,
            summary: `approved${event.modified === null ? "" : ` (modified: ${text(event.modified, w(80))})`}`
          }
        : {
            icon: ICONS.ApprovalDeclined,
            summary: `declined${event.modified === null ? "" : ` (${text(event.modified, w(80))})`}`
          }
    case "ToolInvoked":
      return { icon: ICONS.ToolInvoked, summary: `${event.tool} ${jsonLine(event.input_masked, w(100))}` }
    case "ToolCompleted": {
      const r = event.output_masked
      return r.success
        ? {
            icon: ICONS.ToolCompleted,
            summary: `${event.tool} ok in ${duration(event.duration_ms)} → ${jsonLine(r.output, w(80))}`
          }
        : {
            icon: ICONS.ToolFailed,
            summary: `${event.tool} failed in ${duration(event.duration_ms)}: ${r.error === null ? jsonLine(r.output, w(80)) : text(r.error, w(80))}`
          }
    }
    case "ResponseSent":
      return {
        icon: ICONS.ResponseSent,
        summary: `response via ${event.channel}: ${text(event.text, w(SUMMARY_WIDTH))}`
      }
    case "ErrorOccurred":
      return {
        icon: ICONS.ErrorOccurred,
        summary: `${event.error_type} error (${event.recoverable ? "recoverable" : "fatal"}): ${text(event.error, w(SUMMARY_WIDTH))}`
      }
  }
}

/** One timeline line. */
export const formatEvent = (event: ExecutionEvent, first: Timestamp.Timestamp, detail: Detail = {}): string => {
  const { icon, summary } = describeEvent(event, detail)
  return `${elapsed(first, event.timestamp)} ${icon} ${summary}`
}

/** The timeline lines of events in store order; elapsed times count from the first event. */
export const formatEvents = (events: ReadonlyArray<ExecutionEvent>, detail: Detail = {}): ReadonlyArray<string> => {
  const first = events[0]
  return first === undefined ? ["(no events)"] : events.map((e) => formatEvent(e, first.timestamp, detail))
}

const took = (row: ExecutionHeader): string => {
  if (row.completed_at === null) return ""
  const a = Timestamp.parseTimestamp(row.created_at)
  const b = Timestamp.parseTimestamp(row.completed_at)
  return a._tag === "Right" && b._tag === "Right" ? ` (${duration(Timestamp.diffMillis(a.right, b.right))})` : ""
}

/** The header: id, user, channel, status, created/completed, the message. */
export const formatHeader = (row: ExecutionHeader, detail: Detail = {}): ReadonlyArray<string> => [
  `Execution ${row.id}`,
  `  user:      ${row.user_id}`,
  `  channel:   ${row.channel}`,
  `  status:    ${row.status}`,
  `  created:   ${row.created_at}`,
  `  completed: ${row.completed_at ?? "-"}${took(row)}`,
  `  message:   ${text(row.input_text, widthFor(detail)(SUMMARY_WIDTH))}`
]

/** Header, blank line, timeline. */
export const formatTimeline = (
  row: ExecutionHeader,
  events: ReadonlyArray<ExecutionEvent>,
  detail: Detail = {}
): ReadonlyArray<string> => [...formatHeader(row, detail), "", ...formatEvents(events, detail)]

/**
 * Time travel (`show --at N`): the state after the first `n` of `total` events, folded by the
 * domain's `fold`, then the timeline of those events.
 */
export const formatStateAt = (
  row: ExecutionHeader,
  state: Execution.ExecutionState,
  events: ReadonlyArray<ExecutionEvent>,
  total: number,
  detail: Detail = {}
): ReadonlyArray<string> => {
  const w = widthFor(detail)
  const pending = state.pendingApproval
  const lines = [
    `Execution ${row.id} after ${events.length} of ${plural(total, "event")}`,
    `  status:           ${state.status}${state.completed_at === null ? "" : ` at ${state.completed_at}`}`,
    `  pending approval: ${
      pending === null
        ? "none"
        : `${text(pending.action, w(60))} — ${pending.details.tool} ${jsonLine(pending.details.input_masked, w(100))}`
    }`,
    `  open tools:       ${state.openTools.length === 0 ? "none" : state.openTools.join(", ")}`,
    `  plan:             ${state.plan === null ? "none" : `${text(state.plan.goal, w(60))} (${plural(state.plan.steps.length, "step")})`}`,
    ""
  ]
  return events.length === 0 ? [...lines, "(no events yet)"] : [...lines, ...formatEvents(events, detail)]
}
