/**
 * The request and response bodies of the API, built from the domain's schemas: events are the
 * domain's `ExecutionEvent` (so a body holds the contract's wire JSON), statuses, plans and
 * approval details are the domain's. The rows are what `cratos list --json` prints.
 */
import {
  ApprovalDetails,
  Channel,
  ExecutionEvent,
  ExecutionPlan,
  ExecutionStatus,
  MessageReceived,
  RiskLevel,
  Timestamp,
  Uuid
} from "@cratos/domain"
import { Schema } from "effect"

const Count = Schema.Int.pipe(Schema.nonNegative())

/** One execution as `cratos list --json` prints it: the `executions` row and its summary. */
export const ExecutionRow = Schema.Struct({
  id: Schema.String,
  user_id: Schema.String,
  channel: Schema.String,
  status: ExecutionStatus,
  created_at: Schema.String,
  completed_at: Schema.NullOr(Schema.String),
  input_text: Schema.String,
  event_count: Count,
  goal: Schema.NullOr(Schema.String),
  step_count: Count,
  tools_used: Schema.Array(Schema.String),
  tool_calls: Count,
  tool_failures: Count,
  tool_time_ms: Schema.Number,
  tokens_used: Count,
  model_used: Schema.NullOr(Schema.String),
  approval_pending: Schema.Boolean,
  error_count: Count,
  first_event_at: Schema.NullOr(Schema.String),
  last_event_at: Schema.NullOr(Schema.String)
}).annotations({ identifier: "ExecutionRow" })
export type ExecutionRow = typeof ExecutionRow.Type

/** `POST /api/v1/executions`. */
export const CreateExecution = Schema.Struct({
  execution_id: Schema.optional(Uuid.Uuid),
  user_id: Schema.String.pipe(Schema.minLength(1)),
  event: MessageReceived
}).annotations({ identifier: "CreateExecution" })
export type CreateExecution = typeof CreateExecution.Type

export const ExecutionCreated = Schema.Struct({
  execution_id: Schema.String,
  version: Schema.Literal(1),
  position: Count
}).annotations({ identifier: "ExecutionCreated" })
export type ExecutionCreated = typeof ExecutionCreated.Type

/** `POST /api/v1/executions/{id}/events`. */
export const AppendEvents = Schema.Struct({
  events: Schema.Array(ExecutionEvent).pipe(Schema.minItems(1)),
  expected_version: Schema.optional(Count)
}).annotations({ identifier: "AppendEvents" })
export type AppendEvents = typeof AppendEvents.Type

export const EventsAppended = Schema.Struct({
  version: Count,
  positions: Schema.Array(Count)
}).annotations({ identifier: "EventsAppended" })
export type EventsAppended = typeof EventsAppended.Type

export const AppendHeaders = Schema.Struct({
  "idempotency-key": Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)))
})

/** `GET /api/v1/executions` query. Times are RFC 3339 instants. */
export const ListQuery = Schema.Struct({
  user: Schema.optional(Schema.String),
  status: Schema.optional(ExecutionStatus),
  channel: Schema.optional(Channel),
  since: Schema.optional(Timestamp.Timestamp),
  until: Schema.optional(Timestamp.Timestamp),
  search: Schema.optional(Schema.String),
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1000))),
  cursor: Schema.optional(Schema.String)
})
export type ListQuery = typeof ListQuery.Type

export const ExecutionPage = Schema.Struct({
  items: Schema.Array(ExecutionRow),
  next_cursor: Schema.NullOr(Schema.String)
}).annotations({ identifier: "ExecutionPage" })
export type ExecutionPage = typeof ExecutionPage.Type

/**
 * `GET /api/v1/events` query. `from=head` starts the stream at the log's last position when the
 * request arrives (its first frame is `id: <that position>`, so a reconnect resumes there):
 * a client that loaded the current state some other way follows only what comes after, instead of
 * replaying the whole log. `Last-Event-ID`, when sent, wins (an EventSource reconnecting).
 */
export const LogStreamQuery = Schema.Struct({ from: Schema.optional(Schema.Literal("head")) })
export type LogStreamQuery = typeof LogStreamQuery.Type

/** `?reveal=true`: the raw content, for a token of the `reveal` scope (issue 14). */
const Reveal = Schema.optional(Schema.Literal("true", "false"))

export const ShowQuery = Schema.Struct({
  at: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())),
  reveal: Reveal
})

export const HistoryQuery = Schema.Struct({ reveal: Reveal })

/** The state after the first N events, as `cratos show --at N --json` prints it. */
export const StateAt = Schema.Struct({
  status: ExecutionStatus,
  completed_at: Schema.NullOr(Timestamp.Timestamp),
  version: Count,
  pending_approval: Schema.NullOr(Schema.Struct({ action: Schema.String, details: ApprovalDetails })),
  open_tools: Schema.Array(Schema.String),
  plan: Schema.NullOr(ExecutionPlan),
  responded: Schema.Boolean,
  fatal_error: Schema.Boolean
}).annotations({ identifier: "StateAt" })
export type StateAt = typeof StateAt.Type

/** Exactly what `cratos show ID --json` prints (with `?at=N`: `at`, `total_events`, `state` too). */
export const ExecutionDetail = Schema.Struct({
  execution: ExecutionRow,
  at: Schema.optional(Count),
  total_events: Schema.optional(Count),
  state: Schema.optional(StateAt),
  events: Schema.Array(ExecutionEvent)
}).annotations({ identifier: "ExecutionDetail" })
export type ExecutionDetail = typeof ExecutionDetail.Type

/** One stored event and its position in the log (the global order every export line carries). */
export const PositionedEvent = Schema.Struct({
  position: Schema.Int.pipe(Schema.positive()),
  event: ExecutionEvent
}).annotations({ identifier: "PositionedEvent" })
export type PositionedEvent = typeof PositionedEvent.Type

/**
 * `GET /api/v1/executions/{id}/history`: an execution's stored events in order, with their
 * positions, as JSON that ends (the SSE route does not end until the execution does); what
 * `cratos export ID` writes, one line per event.
 */
export const ExecutionHistory = Schema.Struct({
  execution_id: Schema.String,
  user_id: Schema.String,
  events: Schema.Array(PositionedEvent)
}).annotations({ identifier: "ExecutionHistory" })
export type ExecutionHistory = typeof ExecutionHistory.Type

/** `GET /api/v1/log`: events after a position, at most `limit` (default 1000) scanned. */
export const LogPageQuery = Schema.Struct({
  after: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())),
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 10_000))),
  reveal: Reveal
})
export type LogPageQuery = typeof LogPageQuery.Type

/** One stored event with its execution, user and position: one line of `cratos export`. */
export const LoggedEvent = Schema.Struct({
  execution_id: Schema.String,
  user_id: Schema.String,
  position: Schema.Int.pipe(Schema.positive()),
  event: ExecutionEvent
}).annotations({ identifier: "LoggedEvent" })
export type LoggedEvent = typeof LoggedEvent.Type

/**
 * A page of the log in position order (the events the token may see among the `limit` positions
 * read); `next_after` is the `after` of the next page, null at the log's end (as it was read).
 */
export const LogPage = Schema.Struct({
  items: Schema.Array(LoggedEvent),
  next_after: Schema.NullOr(Count)
}).annotations({ identifier: "LogPage" })
export type LogPage = typeof LogPage.Type

/** A pending approval: what waits for a person's decision (details masked). */
export const PendingApproval = Schema.Struct({
  execution_id: Schema.String,
  user_id: Schema.String,
  action: Schema.String,
  risk_level: RiskLevel,
  details: ApprovalDetails,
  requested_at: Timestamp.Timestamp
}).annotations({ identifier: "PendingApproval" })
export type PendingApproval = typeof PendingApproval.Type

export const PendingApprovals = Schema.Struct({ items: Schema.Array(PendingApproval) }).annotations({
  identifier: "PendingApprovals"
})
export type PendingApprovals = typeof PendingApprovals.Type

/** `POST /api/v1/executions/{id}/approval`. */
export const ApprovalDecision = Schema.Struct({
  approved: Schema.Boolean,
  modified: Schema.optional(Schema.String)
}).annotations({ identifier: "ApprovalDecision" })
export type ApprovalDecision = typeof ApprovalDecision.Type

export const StatsQuery = Schema.Struct({ since: Schema.optional(Timestamp.Timestamp) })

/** What `cratos stats --json` prints. */
export const Stats = Schema.Struct({
  since: Schema.NullOr(Schema.String),
  executions_by_status: Schema.Record({ key: ExecutionStatus, value: Count }),
  tools: Schema.Array(
    Schema.Struct({
      tool: Schema.String,
      calls: Count,
      failures: Count,
      p50_ms: Schema.Number,
      p95_ms: Schema.Number
    })
  ),
  tokens_by_model: Schema.Array(Schema.Struct({ model: Schema.String, tokens: Count, executions: Count }))
}).annotations({ identifier: "Stats" })
export type Stats = typeof Stats.Type

export const Health = Schema.Struct({ status: Schema.Literal("ok") }).annotations({ identifier: "Health" })

/** The path parameter of an execution. */
export const ExecutionIdParam = Schema.Struct({ id: Schema.String })
