/**
 * `GET /api/v1/stats/series?since=&until=&bucket=hour|day`: executions by status per UTC hour or
 * day of their start, counted in SQL over the read model (every execution in the range). Like
 * `/stats`, it counts every user's executions, or, for a token restricted to one user, that user's.
 */
import { StatusSeries, StatusSeriesQuery } from "@cratos/http"
import { ReadModel } from "@cratos/projector"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { fresh } from "../Freshness.js"
import { jsonResponse } from "../JsonResponse.js"
import { decodeQuery } from "../RequestBody.js"
import { invalidQueryProblem, storageProblem } from "../StoreProblems.js"

export const statusSeries = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const query = yield* decodeQuery(StatusSeriesQuery)
  const bucket = query.bucket ?? "day"
  yield* fresh
  const points = yield* (yield* ReadModel)
    .statusSeries({
      since: query.since,
      until: query.until,
      bucket,
      ...(principal.userId === null ? {} : { user: principal.userId })
    })
    .pipe(Effect.catchTags({ InvalidQuery: (e) => Effect.fail(invalidQueryProblem(e)), StorageError: storageProblem }))
  return yield* jsonResponse(StatusSeries, { since: query.since ?? null, until: query.until ?? null, bucket, points })
})
