/**
 * `GET /api/v1/executions/{id}/history`: the execution's stored events in order with their
 * positions, as JSON that ends (what `cratos export ID` writes). Read from the log itself, so it
 * needs no projection to catch up. As `export`, the rows as stored: encrypted raw fields stay
 * envelopes (issue 14); `?reveal=true` (a token of the reveal scope) opens them, as
 * `export --reveal`. A browser session sees masked copies, as everywhere.
 */
import { ExecutionHistory } from "@cratos/http"
import { ContentReader, EventStore } from "@cratos/store"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { revealRequested } from "../ContentView.js"
import { jsonResponse } from "../JsonResponse.js"
import { fail, notFound } from "../Problems.js"
import { corruptProblem, storageProblem } from "../StoreProblems.js"
import { canSee } from "../tokens/Principal.js"
import { executionId } from "./executionId.js"

export const executionHistory = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const id = yield* executionId
  const reveal = yield* revealRequested(principal)
  const reader = yield* ContentReader
  const store = reveal ? yield* EventStore : reader.asStored
  const stored = yield* store
    .readStream(id)
    .pipe(Effect.catchTags({ StorageError: storageProblem, CorruptEvent: corruptProblem }))
  const first = stored[0]
  // an unknown execution and another user's answer alike: nothing tells one from the other
  if (first === undefined || !canSee(principal, first.userId)) {
    return yield* Effect.fail(fail(notFound(`no execution ${id}`)))
  }
  // a browser session sees the masked view (never envelopes); a bearer token the rows as stored
  const shown = principal.maskedOnly === true ? yield* reader.masked(stored) : stored
  return yield* jsonResponse(ExecutionHistory, {
    execution_id: first.executionId,
    user_id: first.userId,
    events: shown.map((s) => ({ position: s.position, event: s.event }))
  })
})
