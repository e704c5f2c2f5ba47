/**
 * The status fold of CONTRACT.md section 4, the one implementation used by the decider's
 * `evolve`, by `deriveStatus` and by the projector that keeps `executions.status`.
 *
 * Only MessageReceived so far: pending. Any later event: running. ResponseSent: completed.
 * ErrorOccurred with `recoverable: false`: failed. completed and failed are final, and
 * `completed_at` is the time of the event that ended the execution.
 */
import type { ExecutionEvent } from "./ExecutionEvent.js"
import { type ExecutionStatus, isFinal } from "./ExecutionStatus.js"
import type { Timestamp } from "./Timestamp.js"

export interface StatusState {
  readonly status: ExecutionStatus
  readonly completed_at: Timestamp | null
}

export const initialStatus: StatusState = { status: "pending", completed_at: null }

/** The status after one more event. Total: any event in any state gives a state. */
export const evolveStatus = (state: StatusState, event: ExecutionEvent): StatusState => {
  if (isFinal(state.status)) return state
  switch (event.type) {
    case "MessageReceived":
      return state
    case "ResponseSent":
      return { status: "completed", completed_at: event.timestamp }
    case "ErrorOccurred":
      return event.recoverable
        ? state.status === "running"
          ? state
          : { status: "running", completed_at: null }
        : { status: "failed", completed_at: event.timestamp }
    default:
      return state.status === "running" ? state : { status: "running", completed_at: null }
  }
}

/** Status and completed_at of a whole history. */
export const deriveStatus = (events: Iterable<ExecutionEvent>): StatusState => {
  let state = initialStatus
  for (const event of events) state = evolveStatus(state, event)
  return state
}
