/**
 * @cratos/domain — the pure core of Cratos Core: the eight execution events and their wire
 * codec, plans and risk, secret masking, and the execution decider. No I/O, no clock, no
 * randomness: time and ids come in as data.
 */
export * from "./Attachment.js"
export * from "./ApprovalDetails.js"
export * from "./Channel.js"
export * from "./ErrorType.js"
export * from "./EventCodec.js"
export * from "./ExecutionEvent.js"
export * from "./ExecutionPlan.js"
export * from "./Json.js"
export * from "./maskSensitive.js"
export * from "./NormalizedMessage.js"
export * from "./PlanStep.js"
export * from "./ToolResult.js"
export * from "./Wire.js"
export * as Risk from "./RiskLevel.js"
export { RiskLevel } from "./RiskLevel.js"
export * as Timestamp from "./Timestamp.js"
export * as Uuid from "./Uuid.js"
