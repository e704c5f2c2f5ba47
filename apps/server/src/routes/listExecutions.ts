/** `GET /api/v1/executions`: the read model's list, newest first, keyset paged (see ListCursor). */
import type { Timestamp } from "@cratos/domain"
import { ExecutionPage, ListQuery } from "@cratos/http"
import { ReadModel } from "@cratos/projector"
import { instantKey } from "@cratos/store"
import { Effect, Either } from "effect"
import { authenticate } from "../Authenticate.js"
import { fresh } from "../Freshness.js"
import { jsonResponse } from "../JsonResponse.js"
import { badRequest, fail, forbidden } from "../Problems.js"
import { decodeQuery } from "../RequestBody.js"
import { invalidQueryProblem, storageProblem } from "../StoreProblems.js"
import { decodeCursor, encodeCursor, nextCursor } from "./ListCursor.js"
import { textView } from "../ContentView.js"

const DEFAULT_LIMIT = 50

/** Rows hold RFC 3339 UTC text as the store wrote it. */
const sameInstant = (a: string, b: string) =>
  instantKey(a as Timestamp.Timestamp) === instantKey(b as Timestamp.Timestamp)

export const listExecutions = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const query = yield* decodeQuery(ListQuery)
  if (principal.userId !== null && query.user !== undefined && query.user !== principal.userId) {
    return yield* Effect.fail(fail(forbidden("this token reads executions of its own user only")))
  }
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
  if (cursor !== undefined && Either.isLeft(cursor)) {
    return yield* Effect.fail(fail(badRequest(`cursor: ${cursor.left}`, "cursor")))
  }
  const after = cursor === undefined ? undefined : cursor.right
  const limit = query.limit ?? DEFAULT_LIMIT
  yield* fresh
  const rows = yield* (yield* ReadModel)
    .list({
      user: principal.userId ?? query.user,
      status: query.status,
      channel: query.channel,
      since: query.since,
      until: after?.t ?? query.until,
      search: query.search,
      limit,
      offset: after?.n ?? 0
    })
    .pipe(
      Effect.catchTags({
        InvalidQuery: (e) => Effect.fail(invalidQueryProblem(e)),
        StorageError: storageProblem
      })
    )
  const next = nextCursor(rows, limit, after, sameInstant)
  const text = textView
  const items = rows.map((row) => ({ ...row, input_text: text(row.input_text) }))
  return yield* jsonResponse(ExecutionPage, { items, next_cursor: next === null ? null : encodeCursor(next) })
})
