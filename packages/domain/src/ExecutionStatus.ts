/** An execution's status as stored in `executions.status`, derived from its events. */
import { Schema } from "effect"

export const ExecutionStatus = Schema.Literal("pending", "running", "completed", "failed").annotations({
  identifier: "ExecutionStatus"
})
export type ExecutionStatus = typeof ExecutionStatus.Type

/** completed and failed are final: the status never changes after them. */
export const isFinal = (status: ExecutionStatus): boolean => status === "completed" || status === "failed"
