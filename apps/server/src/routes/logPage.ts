/**
 * `GET /api/v1/log?after=&limit=`: the stored events after a position, in position order, read
 * from the log itself (no projection to wait for): at most `limit` positions are read per page,
 * so a client pages through the whole log (`cratos --server … export --all`) in bounded memory on
 * both sides. A token restricted to a user gets that user's events only (a page may then hold
 * fewer than `limit`, or none, and still not be the last). As `export --all`, the rows as stored:
 * encrypted raw fields stay envelopes; `?reveal=true` (a token of the reveal scope) opens them, as
 * `export --all --reveal`. A browser session sees masked copies.
 * A row that does not decode fails the page (500, logged), as the history route does.
 */
import { LogPage, LogPageQuery } from "@cratos/http"
import { ContentReader, EventStore } from "@cratos/store"
import { Chunk, Effect, Stream } from "effect"
import { authenticate } from "../Authenticate.js"
import { revealRequested } from "../ContentView.js"
import { jsonResponse } from "../JsonResponse.js"
import { decodeQuery } from "../RequestBody.js"
import { corruptProblem, storageProblem } from "../StoreProblems.js"
import { canSee } from "../tokens/Principal.js"

export const DEFAULT_LOG_PAGE = 1_000

export const logPage = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const query = yield* decodeQuery(LogPageQuery)
  const after = query.after ?? 0
  const limit = query.limit ?? DEFAULT_LOG_PAGE
  const reveal = yield* revealRequested(principal)
  const reader = yield* ContentReader
  const store = reveal ? yield* EventStore : reader.asStored
  const read = yield* store
    .readAll({ after, limit, batchSize: limit })
    .pipe(Stream.runCollect, Effect.catchTags({ StorageError: storageProblem, CorruptEvent: corruptProblem }))
  const stored = Chunk.toReadonlyArray(read)
  const visible = stored.filter((s) => canSee(principal, s.userId))
  // a browser session sees the masked view (never envelopes); a bearer token the rows as stored
  const shown = principal.maskedOnly === true ? yield* reader.masked(visible) : visible
  const last = stored[stored.length - 1]
  return yield* jsonResponse(LogPage, {
    items: shown.map((s) => ({
      execution_id: s.executionId,
      user_id: s.userId,
      position: s.position,
      event: s.event
    })),
    next_after: stored.length < limit || last === undefined ? null : last.position
  })
})
