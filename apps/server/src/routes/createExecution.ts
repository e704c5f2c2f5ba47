/** `POST /api/v1/executions`: the execution's row and its MessageReceived in one transaction. */
import { randomUUID } from "node:crypto"
import { Execution } from "@cratos/domain"
import { CreateExecution, ExecutionCreated } from "@cratos/http"
import { DEFAULT_MAX_EVENT_BYTES, EventStore } from "@cratos/store"
import { HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { canonicalCreateExecution } from "../CanonicalBodies.js"
import { plainJsonResponse } from "../JsonResponse.js"
import { LogHead } from "../LogHead.js"
import { badRequest, conflict, fail, forbidden, unprocessable } from "../Problems.js"
import { ServerContext } from "../ServerContext.js"
import { decodeBody } from "../RequestBody.js"
import { invalidEventProblem, storageProblem } from "../StoreProblems.js"
import { canSee } from "../tokens/Principal.js"

export const createExecution = Effect.gen(function* () {
  const principal = yield* authenticate("ingest")
  const body = yield* decodeBody(CreateExecution, canonicalCreateExecution)
  if (body.event.message.user_id !== body.user_id) {
    return yield* Effect.fail(fail(badRequest("user_id: must be the event's message.user_id", "user_id")))
  }
  if (!canSee(principal, body.user_id)) {
    return yield* Effect.fail(fail(forbidden("this token records executions of its own user only")))
  }
  const request = yield* HttpServerRequest.HttpServerRequest
  const key = request.headers["idempotency-key"]
  const id = body.execution_id ?? randomUUID()
  const { metrics, states } = yield* ServerContext
  const started = yield* (yield* EventStore)
    .startExecution(id, body.event, key === undefined ? {} : { idempotencyKey: key })
    .pipe(
      Effect.tapError(() => Effect.sync(() => metrics.appends.inc({ outcome: "refused" }))),
      Effect.catchTags({
        ExecutionAlreadyExists: () => Effect.fail(fail(conflict(`execution ${id} exists already`))),
        IdempotencyConflict: () =>
          Effect.fail(fail(unprocessable("the Idempotency-Key was used before with another body", "idempotency-key"))),
        InvalidEvent: (e) => Effect.fail(invalidEventProblem(e, DEFAULT_MAX_EVENT_BYTES)),
        StorageError: storageProblem
      })
    )
  metrics.appends.inc({ outcome: "created" })
  // The first append then needs no read of the stream (a replayed key may name a stream that has
  // moved on: no state is kept for it, the append reads it).
  if (key === undefined) states.set(id, { state: Execution.fold([body.event]), userId: body.user_id })
  yield* (yield* LogHead).advance(started.position)
  return yield* plainJsonResponse(ExecutionCreated, { execution_id: id, version: 1, position: started.position }, 201)
})
