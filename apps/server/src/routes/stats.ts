/**
 * `GET /api/v1/stats?since=`: what `cratos stats --json` prints. Counts cover every user, or, for
 * a token restricted to one user, that user's executions only.
 */
import { Stats, StatsQuery } from "@cratos/http"
import { ReadModel } from "@cratos/projector"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { fresh } from "../Freshness.js"
import { jsonResponse } from "../JsonResponse.js"
import { decodeQuery } from "../RequestBody.js"
import { invalidQueryProblem, storageProblem } from "../StoreProblems.js"

export const stats = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const query = yield* decodeQuery(StatsQuery)
  yield* fresh
  const result = yield* (yield* ReadModel)
    .stats(principal.userId === null ? { since: query.since } : { since: query.since, user: principal.userId })
    .pipe(Effect.catchTags({ InvalidQuery: (e) => Effect.fail(invalidQueryProblem(e)), StorageError: storageProblem }))
  return yield* jsonResponse(Stats, { since: query.since ?? null, ...result })
})
