/**
 * The log's last position as this server knows it. Appends made here move it at once
 * (`advance`); appends by other processes (the agent, an import) are seen by polling the store
 * every `pollMs`. SSE streams wait on its changes instead of polling the store each.
 */
import { EventStore, type StorageError } from "@cratos/store"
import { Context, Duration, Effect, Layer, Schedule, type Scope, Stream, SubscriptionRef } from "effect"

export interface LogHeadShape {
  readonly current: Effect.Effect<number>
  readonly advance: (position: number) => Effect.Effect<void>
  /** Completes once the head is past `position` (at once when it already is). */
  readonly awaitPast: (position: number) => Effect.Effect<number>
}

export class LogHead extends Context.Tag("@cratos/server/LogHead")<LogHead, LogHeadShape>() {
  static readonly make = (pollMs: number): Effect.Effect<LogHeadShape, StorageError, EventStore | Scope.Scope> =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const ref = yield* SubscriptionRef.make(yield* store.lastPosition)
      const advance = (position: number) => SubscriptionRef.update(ref, (h) => Math.max(h, position))
      yield* store.lastPosition.pipe(
        Effect.flatMap(advance),
        Effect.catchAll((e) => Effect.logWarning(`could not read the log's end: ${e.message}`)),
        Effect.repeat(Schedule.spaced(Duration.millis(pollMs))),
        Effect.interruptible,
        Effect.forkScoped
      )
      return {
        current: SubscriptionRef.get(ref),
        advance,
        awaitPast: (position) =>
          ref.changes.pipe(
            Stream.filter((h) => h > position),
            Stream.runHead,
            Effect.map((h) => (h._tag === "Some" ? h.value : position))
          )
      }
    })

  static readonly layer = (pollMs: number): Layer.Layer<LogHead, StorageError, EventStore> =>
    Layer.scoped(LogHead, LogHead.make(pollMs))
}
