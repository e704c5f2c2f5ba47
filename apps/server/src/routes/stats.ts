/** `GET /api/v1/stats?since=`: what `cratos stats --json` prints. Counts cover every user. */
import { Stats, StatsQuery } from "@cratos/http"
import { ReadModel } from "@cratos/projector"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { fresh } from "../Freshness.js"
import { jsonResponse } from "../JsonResponse.js"
import { fail, forbidden } from "../Problems.js"
import { decodeQuery } from "../RequestBody.js"
import { invalidQueryProblem, storageProblem } from "../StoreProblems.js"

export const stats = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  if (principal.userId !== null) {
    return yield* Effect.fail(fail(forbidden("stats count every user's executions; this token reads one user's")))
  }
  const query = yield* decodeQuery(StatsQuery)
  yield* fresh
  const result = yield* (yield* ReadModel)
    .stats({ since: query.since })
    .pipe(Effect.catchTags({ InvalidQuery: (e) => Effect.fail(invalidQueryProblem(e)), StorageError: storageProblem }))
  return yield* jsonResponse(Stats, { since: query.since ?? null, ...result })
})
