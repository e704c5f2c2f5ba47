/**
 * `POST /api/v1/executions/{id}/approval` (scope approve): the decider's ReceiveApproval on the
 * folded state, appended with that version as the expected one; 409 when nothing is pending.
 * A waiting `cratos run --approve remote` sees the event and goes on.
 */
import { Execution, Timestamp } from "@cratos/domain"
import { ApprovalDecision, EventsAppended } from "@cratos/http"
import { EventStore } from "@cratos/store"
import { Clock, Effect, Either } from "effect"
import { authenticate } from "../Authenticate.js"
import { jsonResponse } from "../JsonResponse.js"
import { LogHead } from "../LogHead.js"
import { conflict, fail, unprocessable } from "../Problems.js"
import { decodeBody } from "../RequestBody.js"
import { ServerContext } from "../ServerContext.js"
import { appendChecked, loadState } from "./appendEvents.js"
import { executionId } from "./executionId.js"

export const decideApproval = Effect.gen(function* () {
  const principal = yield* authenticate("approve")
  const id = yield* executionId
  const decision = yield* decodeBody(ApprovalDecision)
  const store = yield* EventStore
  const state = yield* loadState(store, id, principal)
  if (state.pendingApproval === null) {
    return yield* Effect.fail(fail(conflict(`execution ${id} has no pending approval`)))
  }
  const millis = yield* Clock.currentTimeMillis
  const decided = Execution.decider.decide(
    {
      _tag: "ReceiveApproval",
      approved: decision.approved,
      modified: decision.modified ?? null,
      timestamp: Timestamp.fromEpochNanos(BigInt(millis) * 1_000_000n)
    },
    state
  )
  if (Either.isLeft(decided)) {
    return yield* Effect.fail(fail(unprocessable(decided.left.message, decided.left.rule)))
  }
  // The decision was made on this version: if anything was appended since, it is decided again.
  const result = yield* appendChecked(store, id, decided.right, {
    expectedVersion: state.version,
    idempotencyKey: undefined,
    principal
  })
  const { metrics } = yield* ServerContext
  metrics.appends.inc({ outcome: "appended" })
  const last = result.positions[result.positions.length - 1]
  if (last !== undefined) yield* (yield* LogHead).advance(last)
  return yield* jsonResponse(EventsAppended, { version: result.version, positions: result.positions })
})
