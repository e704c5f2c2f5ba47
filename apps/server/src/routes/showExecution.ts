/** `GET /api/v1/executions/{id}`: what `cratos show ID --json` prints; `?at=N` the state after N events. */
import { Execution } from "@cratos/domain"
import { type ExecutionDetail as Detail, ExecutionDetail, ShowQuery, stateAt } from "@cratos/http"
import { ReadModel } from "@cratos/projector"
import { ContentReader, EventStore } from "@cratos/store"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { fresh } from "../Freshness.js"
import { jsonResponse } from "../JsonResponse.js"
import { fail, notFound } from "../Problems.js"
import { decodeQuery } from "../RequestBody.js"
import { corruptProblem, storageProblem } from "../StoreProblems.js"
import { revealRequested, textView } from "../ContentView.js"
import { canSee } from "../tokens/Principal.js"
import { executionId } from "./executionId.js"

export const showExecution = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const id = yield* executionId
  const query = yield* decodeQuery(ShowQuery)
  yield* fresh
  const missing = fail(notFound(`no execution ${id}`))
  const row = yield* (yield* ReadModel)
    .get(id)
    .pipe(Effect.catchTags({ ExecutionNotFound: () => Effect.fail(missing), StorageError: storageProblem }))
  if (!canSee(principal, row.user_id)) return yield* Effect.fail(missing)
  const reveal = yield* revealRequested(principal)
  const reader = yield* ContentReader
  // revealed: every envelope opened; else the masked view, which leaves tool input and output
  // sealed (their masked copies are what is shown)
  const stored = yield* (reveal ? yield* EventStore : reader.asStored)
    .readStream(id)
    .pipe(Effect.catchTags({ StorageError: storageProblem, CorruptEvent: corruptProblem }))
  const events = (reveal ? stored : yield* reader.masked(stored)).map((s) => s.event)
  const execution = { ...row, input_text: textView(row.input_text) }
  let detail: Detail = { execution, events }
  if (query.at !== undefined) {
    const shown = events.slice(0, query.at)
    detail = {
      execution,
      at: shown.length,
      total_events: events.length,
      state: stateAt(Execution.fold(shown)),
      events: shown
    }
  }
  return yield* jsonResponse(ExecutionDetail, detail)
})
