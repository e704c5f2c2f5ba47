/**
 * `GET /api/v1/executions/{id}/history`: the execution's stored events in order with their
 * positions, as JSON that ends (what `cratos export ID` writes). Read from the log itself, so it
 * needs no projection to catch up; a browser session sees masked copies, as everywhere.
 */
import { ExecutionHistory } from "@cratos/http"
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { eventView, revealRequested } from "../ContentView.js"
import { jsonResponse } from "../JsonResponse.js"
import { fail, notFound } from "../Problems.js"
import { corruptProblem, storageProblem } from "../StoreProblems.js"
import { canSee } from "../tokens/Principal.js"
import { executionId } from "./executionId.js"

export const executionHistory = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const id = yield* executionId
  const stored = yield* (yield* EventStore)
    .readStream(id)
    .pipe(Effect.catchTags({ StorageError: storageProblem, CorruptEvent: corruptProblem }))
  const first = stored[0]
  // an unknown execution and another user's answer alike: nothing tells one from the other
  if (first === undefined || !canSee(principal, first.userId)) {
    return yield* Effect.fail(fail(notFound(`no execution ${id}`)))
  }
  const view = eventView(yield* revealRequested(principal))
  return yield* jsonResponse(ExecutionHistory, {
    execution_id: first.executionId,
    user_id: first.userId,
    events: stored.map((s) => ({ position: s.position, event: view(s.event) }))
  })
})
