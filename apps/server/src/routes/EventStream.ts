/**
 * Server-sent events over the log: frames (`id: <position>`, `event: <type>`, `data: <wire
 * JSON>`), and the loop every stream runs: read what is past the cursor, send it, then wait for
 * the log's head to move (or send a heartbeat comment). Waiting on the head read *before* each
 * read means no append can fall between a read and the wait. The stream ends when the server
 * shuts down or the client goes away; the per-token stream slot is given back either way.
 * A stream that starts after position 0 opens with an id-only frame naming that position.
 */
import { encodeEventJson } from "@cratos/domain"
import type { StoredEvent } from "@cratos/store"
import { HttpServerResponse } from "@effect/platform"
import { Chunk, Deferred, Duration, Effect, Either, Option, Stream } from "effect"
import type { LogHeadShape } from "../LogHead.js"
import type { ServerContextShape } from "../ServerContext.js"

const encoder = new TextEncoder()

export const frame = (stored: StoredEvent): string => {
  const json = Either.getOrThrow(encodeEventJson(stored.event))
  return `id: ${stored.position}\nevent: ${stored.event.type}\ndata: ${json}\n\n`
}

export const END_FRAME = "event: end\ndata: {}\n\n"
const HEARTBEAT = ": keep-alive\n\n"

export interface Batch {
  readonly text: string
  /** The position read up to (the next read starts after it). */
  readonly cursor: number
  /** Nothing will follow: send and close. */
  readonly done: boolean
  /** More is already there: read again without waiting. */
  readonly more: boolean
}

interface LoopState {
  readonly cursor: number
  readonly first: boolean
  readonly seenHead: number
  readonly done: boolean
  readonly more: boolean
}

/** The SSE response of a stream that reads with `read(cursor)`. */
export const sseResponse = <E>(options: {
  readonly from: number
  readonly head: LogHeadShape
  readonly context: ServerContextShape
  readonly tokenId: string
  readonly read: (cursor: number) => Effect.Effect<Batch, E>
}): HttpServerResponse.HttpServerResponse => {
  const { head, context, read } = options
  const heartbeat = Duration.millis(context.options.heartbeatMs)
  // A stream that starts past 0 names its start first (an id-only frame dispatches nothing but
  // sets the browser's Last-Event-ID), so a reconnect before any event resumes from there.
  const opening = options.from > 0 ? `id: ${options.from}\n\n` : ""
  const step = (s: LoopState): Effect.Effect<Option.Option<readonly [Chunk.Chunk<string>, LoopState]>, E> =>
    Effect.gen(function* () {
      if (s.done) return Option.none()
      if (!s.first && !s.more) {
        const moved = yield* head.awaitPast(s.seenHead).pipe(Effect.timeoutOption(heartbeat))
        if (Option.isNone(moved)) return Option.some([Chunk.of(HEARTBEAT), s] as const)
      }
      const seenHead = yield* head.current
      const batch = yield* read(s.cursor)
      const text = s.first ? `retry: 1000\n\n${opening}${batch.text}` : batch.text
      const next: LoopState = { cursor: batch.cursor, first: false, seenHead, done: batch.done, more: batch.more }
      return Option.some([text === "" ? Chunk.empty<string>() : Chunk.of(text), next] as const)
    })
  context.metrics.sseStreams.inc()
  const body = Stream.unfoldChunkEffect<LoopState, string, E, never>(
    { cursor: options.from, first: true, seenHead: 0, done: false, more: false },
    step
  ).pipe(
    Stream.interruptWhen(Deferred.await(context.shuttingDown)),
    Stream.map((text) => encoder.encode(text)),
    Stream.catchAll(() => Stream.make(encoder.encode(": the stream failed; reconnect with Last-Event-ID\n\n"))),
    Stream.ensuring(
      Effect.sync(() => {
        context.streams.release(options.tokenId)
        context.metrics.sseStreams.dec()
      })
    )
  )
  return HttpServerResponse.stream(body, {
    contentType: "text/event-stream",
    headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
  })
}
