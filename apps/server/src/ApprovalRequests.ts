/**
 * The ApprovalRequested each pending approval waits on, remembered by execution with the event
 * count it was read at: `GET /api/v1/approvals` reads an execution's stream only when the read
 * model's `event_count` for it has moved since (streams only grow, so the same count is the same
 * stream), instead of re-reading every pending execution's stream on every request.
 */
import type { ApprovalRequested } from "@cratos/domain"
import type { StoredEvent } from "@cratos/store"
import { Effect } from "effect"

/** The last ApprovalRequested of a stream if no ApprovalReceived answered it yet, else null. */
export const lastPendingRequest = (stored: ReadonlyArray<StoredEvent>): ApprovalRequested | null => {
  for (let i = stored.length - 1; i >= 0; i--) {
    const event = stored[i]!.event
    if (event.type === "ApprovalReceived") return null
    if (event.type === "ApprovalRequested") return event
  }
  return null
}

export interface ApprovalRequests {
  /** The pending request of `executionId` at `eventCount` events, reading the stream only when needed. */
  readonly pending: <E, R>(
    executionId: string,
    eventCount: number,
    read: Effect.Effect<ReadonlyArray<StoredEvent>, E, R>
  ) => Effect.Effect<ApprovalRequested | null, E, R>
}

export const makeApprovalRequests = (max = 10_000): ApprovalRequests => {
  const entries = new Map<string, { readonly eventCount: number; readonly request: ApprovalRequested | null }>()
  return {
    pending: (executionId, eventCount, read) => {
      const known = entries.get(executionId)
      if (known !== undefined && known.eventCount === eventCount) return Effect.succeed(known.request)
      return Effect.map(read, (stored) => {
        const request = lastPendingRequest(stored)
        entries.delete(executionId)
        entries.set(executionId, { eventCount, request })
        if (entries.size > max) {
          const oldest = entries.keys().next()
          if (oldest.done !== true) entries.delete(oldest.value)
        }
        return request
      })
    }
  }
}
