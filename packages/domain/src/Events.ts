/**
 * Constructors that build events from plain inputs. They fill the masked copies
 * (`input_masked = mask(input)`, likewise outputs and approval details) so a caller can never
 * forget one; time comes in as data.
 */
import type { ApprovalDetails } from "./ApprovalDetails.js"
import type { Channel } from "./Channel.js"
import type { ErrorType } from "./ErrorType.js"
import type {
  ApprovalReceived,
  ApprovalRequested,
  ErrorOccurred,
  MessageReceived,
  PlanGenerated,
  ResponseSent,
  ToolCompleted,
  ToolInvoked
} from "./ExecutionEvent.js"
import type { ExecutionPlan } from "./ExecutionPlan.js"
import { maskSensitive } from "./maskSensitive.js"
import { MASKED } from "./maskSecrets/placeholders.js"
import type { NormalizedMessage } from "./NormalizedMessage.js"
import type { RiskLevel } from "./RiskLevel.js"
import type { Timestamp } from "./Timestamp.js"
import type { ToolResult } from "./ToolResult.js"

/** A function that returns a copy of a value with its secrets masked. */
export type Masker = (value: unknown) => unknown

/** Masks a string with `mask`; anything but a string back means the masker failed: mask it all. */
export const maskText = (mask: Masker, text: string): string => {
  const out = mask(text)
  return typeof out === "string" ? out : MASKED
}

export const messageReceived = (
  message: NormalizedMessage,
  timestamp: Timestamp = message.timestamp
): MessageReceived => ({
  type: "MessageReceived",
  message,
  timestamp
})

export const planGenerated = (input: {
  readonly plan: ExecutionPlan
  readonly model_used: string
  readonly tokens_used: number
  readonly timestamp: Timestamp
}): PlanGenerated => ({ type: "PlanGenerated", ...input })

export const approvalRequested = (
  input: {
    readonly action: string
    readonly risk_level: RiskLevel
    readonly tool: string
    readonly description: string
    /** The raw input: only its masked copy goes into the event. */
    readonly input: unknown
    readonly step_index?: number | null
    readonly expires_at?: Timestamp | null
    readonly timestamp: Timestamp
  },
  mask: Masker = maskSensitive
): ApprovalRequested => {
  const details: ApprovalDetails = {
    tool: input.tool,
    description: maskText(mask, input.description),
    input_masked: mask(input.input),
    step_index: input.step_index ?? null,
    expires_at: input.expires_at ?? null
  }
  return {
    type: "ApprovalRequested",
    action: maskText(mask, input.action),
    risk_level: input.risk_level,
    details,
    timestamp: input.timestamp
  }
}

export const approvalReceived = (input: {
  readonly approved: boolean
  readonly modified?: string | null
  readonly timestamp: Timestamp
}): ApprovalReceived => ({
  type: "ApprovalReceived",
  approved: input.approved,
  modified: input.modified ?? null,
  timestamp: input.timestamp
})

export const toolInvoked = (
  input: { readonly tool: string; readonly input: unknown; readonly timestamp: Timestamp },
  mask: Masker = maskSensitive
): ToolInvoked => ({
  type: "ToolInvoked",
  tool: input.tool,
  input: input.input,
  input_masked: mask(input.input),
  timestamp: input.timestamp
})

/** The masked copy of a tool result: same shape, output and error masked. */
export const maskToolResult = (result: ToolResult, mask: Masker = maskSensitive): ToolResult => ({
  success: result.success,
  output: mask(result.output),
  error: result.error === null ? null : maskText(mask, result.error)
})

export const toolCompleted = (
  input: {
    readonly tool: string
    readonly output: ToolResult
    readonly duration_ms: number
    readonly timestamp: Timestamp
  },
  mask: Masker = maskSensitive
): ToolCompleted => ({
  type: "ToolCompleted",
  tool: input.tool,
  output: input.output,
  output_masked: maskToolResult(input.output, mask),
  duration_ms: input.duration_ms,
  timestamp: input.timestamp
})

export const responseSent = (input: {
  readonly text: string
  readonly channel: Channel
  readonly timestamp: Timestamp
}): ResponseSent => ({ type: "ResponseSent", ...input })

export const errorOccurred = (input: {
  readonly error: string
  readonly error_type: ErrorType
  readonly recoverable: boolean
  readonly timestamp: Timestamp
}): ErrorOccurred => ({ type: "ErrorOccurred", ...input })
