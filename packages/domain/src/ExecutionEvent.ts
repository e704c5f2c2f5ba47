/**
 * The eight execution events, as serde writes the seed's `#[serde(tag = "type")]` enum.
 *
 * The encoded side of every schema is the wire JSON object; fields are declared in the Rust
 * declaration order, so `JSON.stringify(encode(event))` writes the same bytes serde writes.
 */
import { Schema } from "effect"
import { ApprovalDetails } from "./ApprovalDetails.js"
import { Channel } from "./Channel.js"
import { ErrorType } from "./ErrorType.js"
import { ExecutionPlan } from "./ExecutionPlan.js"
import { JsonValue } from "./Json.js"
import { NormalizedMessage } from "./NormalizedMessage.js"
import { RiskLevel } from "./RiskLevel.js"
import { Timestamp } from "./Timestamp.js"
import { ToolResult } from "./ToolResult.js"
import { OptionField, SafeU64, U32 } from "./SerdeFields.js"

export const MessageReceived = Schema.Struct({
  type: Schema.Literal("MessageReceived"),
  message: NormalizedMessage,
  timestamp: Timestamp
}).annotations({ identifier: "MessageReceived" })
export type MessageReceived = typeof MessageReceived.Type

export const PlanGenerated = Schema.Struct({
  type: Schema.Literal("PlanGenerated"),
  plan: ExecutionPlan,
  model_used: Schema.String,
  tokens_used: U32,
  timestamp: Timestamp
}).annotations({ identifier: "PlanGenerated" })
export type PlanGenerated = typeof PlanGenerated.Type

export const ApprovalRequested = Schema.Struct({
  type: Schema.Literal("ApprovalRequested"),
  action: Schema.String,
  risk_level: RiskLevel,
  details: ApprovalDetails,
  timestamp: Timestamp
}).annotations({ identifier: "ApprovalRequested" })
export type ApprovalRequested = typeof ApprovalRequested.Type

export const ApprovalReceived = Schema.Struct({
  type: Schema.Literal("ApprovalReceived"),
  approved: Schema.Boolean,
  modified: OptionField(Schema.String),
  timestamp: Timestamp
}).annotations({ identifier: "ApprovalReceived" })
export type ApprovalReceived = typeof ApprovalReceived.Type

export const ToolInvoked = Schema.Struct({
  type: Schema.Literal("ToolInvoked"),
  tool: Schema.String,
  input: JsonValue,
  input_masked: JsonValue,
  timestamp: Timestamp
}).annotations({ identifier: "ToolInvoked" })
export type ToolInvoked = typeof ToolInvoked.Type

export const ToolCompleted = Schema.Struct({
  type: Schema.Literal("ToolCompleted"),
  tool: Schema.String,
  output: ToolResult,
  output_masked: ToolResult,
  duration_ms: SafeU64,
  timestamp: Timestamp
}).annotations({ identifier: "ToolCompleted" })
export type ToolCompleted = typeof ToolCompleted.Type

export const ResponseSent = Schema.Struct({
  type: Schema.Literal("ResponseSent"),
  text: Schema.String,
  channel: Channel,
  timestamp: Timestamp
}).annotations({ identifier: "ResponseSent" })
export type ResponseSent = typeof ResponseSent.Type

export const ErrorOccurred = Schema.Struct({
  type: Schema.Literal("ErrorOccurred"),
  error: Schema.String,
  error_type: ErrorType,
  recoverable: Schema.Boolean,
  timestamp: Timestamp
}).annotations({ identifier: "ErrorOccurred" })
export type ErrorOccurred = typeof ErrorOccurred.Type

/** Any execution event; `type` is the variant name. */
export const ExecutionEvent = Schema.Union(
  MessageReceived,
  PlanGenerated,
  ApprovalRequested,
  ApprovalReceived,
  ToolInvoked,
  ToolCompleted,
  ResponseSent,
  ErrorOccurred
).annotations({ identifier: "ExecutionEvent" })
export type ExecutionEvent = typeof ExecutionEvent.Type

/** The variant names, in declaration order. */
export const EventType = Schema.Literal(
  "MessageReceived",
  "PlanGenerated",
  "ApprovalRequested",
  "ApprovalReceived",
  "ToolInvoked",
  "ToolCompleted",
  "ResponseSent",
  "ErrorOccurred"
).annotations({ identifier: "EventType" })
export type EventType = typeof EventType.Type

/** The variant name, as stored in `execution_events.event_type`. */
export const eventTypeName = (event: ExecutionEvent): EventType => event.type

/** The variant of a given name. */
export type EventOf<T extends EventType> = Extract<ExecutionEvent, { readonly type: T }>
