/**
 * `GET /api/v1/executions/{id}/reruns`: the execution this one re-ran and its reruns (RerunLinks).
 * A token restricted to one user sees links to that user's executions only.
 */
import { RerunLinks } from "@cratos/http"
import { type LinkedRow, ReadModel } from "@cratos/projector"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { fresh } from "../Freshness.js"
import { jsonResponse } from "../JsonResponse.js"
import { fail, notFound } from "../Problems.js"
import { storageProblem } from "../StoreProblems.js"
import { canSee } from "../tokens/Principal.js"
import { executionId } from "./executionId.js"

export const reruns = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const id = yield* executionId
  yield* fresh
  const missing = fail(notFound(`no execution ${id}`))
  const readModel = yield* ReadModel
  const row = yield* readModel
    .get(id)
    .pipe(Effect.catchTags({ ExecutionNotFound: () => Effect.fail(missing), StorageError: storageProblem }))
  if (!canSee(principal, row.user_id)) return yield* Effect.fail(missing)
  const links = yield* readModel.rerunLinks(id).pipe(Effect.catchTag("StorageError", storageProblem))
  const shown = (r: LinkedRow) => ({
    id: r.id,
    status: r.status as RerunLinks["reruns"][number]["status"],
    created_at: r.created_at
  })
  return yield* jsonResponse(RerunLinks, {
    execution_id: id,
    rerun_of: links.rerunOf !== null && canSee(principal, links.rerunOf.user_id) ? shown(links.rerunOf) : null,
    reruns: links.reruns.filter((r) => canSee(principal, r.user_id)).map(shown)
  })
})
