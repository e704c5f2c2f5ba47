/**
 * `--approve remote`: the step waits for a decision posted through the HTTP API
 * (`POST /api/v1/executions/{id}/approval`, or the web UI's Approve/Deny), which the server
 * appends as ApprovalReceived to the same database. The approver polls the stream (every 100 ms:
 * the run goes on within a second of the decision) and answers with it; the agent then sees the
 * decision recorded and does not record one of its own.
 */
import type { EventStoreShape } from "@cratos/store"
import { Duration, Effect, Option } from "effect"
import type { Approver } from "../agent/AgentShape.js"
import { approvalLines } from "./Approval.js"
import type { OutputShape } from "./Output.js"

export const REMOTE_POLL = Duration.millis(100)

/** The decision recorded after the last ApprovalRequested of a stream, if any. */
export const recordedDecision = (store: EventStoreShape, executionId: string) =>
  Effect.map(store.readStream(executionId), (stored) => {
    const events = stored.map((s) => s.event)
    let requested = -1
    for (let i = events.length - 1; i >= 0; i--) {
      if (events[i]!.type === "ApprovalRequested") {
        requested = i
        break
      }
    }
    for (let i = requested + 1; requested >= 0 && i < events.length; i++) {
      const e = events[i]!
      if (e.type === "ApprovalReceived") return Option.some(e.approved)
    }
    return Option.none<boolean>()
  })

export const makeRemoteApprover =
  (store: EventStoreShape, out: OutputShape): Approver =>
  (prompt) =>
    Effect.gen(function* () {
      for (const line of approvalLines(prompt)) yield* out.error(line)
      yield* out.error(
        `    waiting for a decision: POST /api/v1/executions/${prompt.executionId}/approval (or the web UI's Approvals page)`
      )
      const poll: Effect.Effect<boolean> = recordedDecision(store, prompt.executionId).pipe(
        // a store that fails to read has not approved
        Effect.orElseSucceed(() => Option.some(false)),
        Effect.flatMap((decision) =>
          Option.isSome(decision)
            ? Effect.succeed(decision.value)
            : Effect.delay(
                Effect.suspend(() => poll),
                REMOTE_POLL
              )
        )
      )
      const approved = yield* poll
      yield* out.error(`    ${approved ? "approved" : "denied"} through the API`)
      return approved
    })
