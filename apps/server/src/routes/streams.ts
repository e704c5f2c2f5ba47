/**
 * `GET /api/v1/executions/{id}/events` and `GET /api/v1/events`: SSE of one execution (ending
 * with `event: end` after its ResponseSent, the terminal event) and of the whole log.
 * `Last-Event-ID` (a position) resumes after it. The whole log's stream takes `?from=head` to
 * start at the log's end (the web UI's list, which loads its rows from the read model, follows
 * only what comes after instead of replaying every stored event first).
 */
import { LogStreamQuery } from "@cratos/http"
import { ContentReader, EventStore } from "@cratos/store"
import { HttpServerRequest } from "@effect/platform"
import { Chunk, Effect, Stream } from "effect"
import { authenticate } from "../Authenticate.js"
import { LogHead } from "../LogHead.js"
import { badRequest, fail, notFound, tooManyRequests } from "../Problems.js"
import { decodeQuery } from "../RequestBody.js"
import { ServerContext } from "../ServerContext.js"
import { corruptProblem, storageProblem } from "../StoreProblems.js"
import { eventView, revealRequested } from "../ContentView.js"
import type { StoredEvent } from "@cratos/store"
import { canSee, type Principal } from "../tokens/Principal.js"
import { END_FRAME, frame, sseResponse } from "./EventStream.js"
import { executionId } from "./executionId.js"

/** An event's SSE frame: masked, or as appended with `?reveal=true` (ContentView.ts). */
const viewedFrame = (reveal: boolean) => {
  const view = eventView(reveal)
  return (stored: StoredEvent): string => frame({ ...stored, event: view(stored.event) })
}

const LOG_BATCH = 1_000

/** The position sent as `Last-Event-ID`, if any. */
const lastEventIdHeader = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const text = request.headers["last-event-id"]
  if (text === undefined || text === "") return undefined
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 0) {
    return yield* Effect.fail(fail(badRequest("Last-Event-ID: must be a position this server sent", "last-event-id")))
  }
  return n
})

const lastEventId = Effect.map(lastEventIdHeader, (n) => n ?? 0)

/**
 * Where the whole log's stream starts: after `Last-Event-ID` when sent (a reconnect), else at the
 * log's last position for `?from=head`, else at its start.
 */
const logStart = Effect.gen(function* () {
  const query = yield* decodeQuery(LogStreamQuery)
  const resume = yield* lastEventIdHeader
  if (resume !== undefined) return resume
  if (query.from !== "head") return 0
  const store = yield* EventStore
  return yield* store.lastPosition.pipe(Effect.catchTag("StorageError", storageProblem))
})

const streamSlot = (principal: Principal) =>
  Effect.gen(function* () {
    const context = yield* ServerContext
    if (!context.streams.acquire(principal.tokenId)) {
      return yield* Effect.fail(
        fail(tooManyRequests(`at most ${context.options.maxStreamsPerToken} open streams for this token`, 5), {
          "retry-after": "5"
        })
      )
    }
    return context
  })

export const streamExecution = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const id = yield* executionId
  const from = yield* lastEventId
  const store = yield* EventStore
  const readStream = store
    .readStream(id)
    .pipe(Effect.catchTags({ StorageError: storageProblem, CorruptEvent: corruptProblem }))
  const initial = yield* readStream
  const first = initial[0]
  if (first === undefined || !canSee(principal, first.userId)) {
    return yield* Effect.fail(fail(notFound(`no execution ${id}`)))
  }
  const context = yield* streamSlot(principal)
  const frameOf = viewedFrame(yield* revealRequested(principal))
  return sseResponse({
    from,
    head: yield* LogHead,
    context,
    tokenId: principal.tokenId,
    read: (cursor) =>
      Effect.map(readStream, (stored) => {
        const fresh = stored.filter((s) => s.position > cursor)
        const done = stored.some((s) => s.event.type === "ResponseSent")
        const text = fresh.map(frameOf).join("") + (done ? END_FRAME : "")
        return { text, cursor: fresh.at(-1)?.position ?? cursor, done, more: false }
      })
  })
})

export const streamLog = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  const from = yield* logStart
  const store = yield* EventStore
  const context = yield* streamSlot(principal)
  const frameOf = viewedFrame(yield* revealRequested(principal))
  const reader = yield* ContentReader
  return sseResponse({
    from,
    head: yield* LogHead,
    context,
    tokenId: principal.tokenId,
    read: (cursor) =>
      Stream.runCollect(store.readLog({ after: cursor, limit: LOG_BATCH })).pipe(
        Effect.catchTag("StorageError", storageProblem),
        Effect.flatMap((entries) =>
          Effect.map(
            // the log's rows are as stored: open what this principal may see
            reader.open(
              Chunk.toReadonlyArray(entries).flatMap((e) =>
                e._tag === "Event" && canSee(principal, e.stored.userId) ? [e.stored] : []
              )
            ),
            (opened) => ({ entries, opened })
          )
        ),
        Effect.map(({ entries, opened }) => {
          let text = ""
          let last = cursor
          for (const entry of Chunk.toReadonlyArray(entries)) {
            if (entry._tag === "Corrupt") {
              last = Math.max(last, entry.error.position)
              continue
            }
            last = entry.stored.position
          }
          for (const stored of opened) text += frameOf(stored)
          return { text, cursor: last, done: false, more: Chunk.size(entries) === LOG_BATCH }
        })
      )
  })
})
