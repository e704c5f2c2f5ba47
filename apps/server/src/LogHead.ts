/**
 * The log's last position as this server knows it. Appends made here move it at once
 * (`advance`); appends by other processes (the agent, an import) are seen by polling the store
 * every `pollMs`. SSE streams wait on its changes instead of polling the store each.
 */
import { EventStore, type StorageError } from "@cratos/store"
import { Context, Duration, Effect, Layer, Schedule, type Scope } from "effect"

export interface LogHeadShape {
  readonly current: Effect.Effect<number>
  readonly advance: (position: number) => Effect.Effect<void>
  /** Completes once the head is past `position` (at once when it already is). */
  readonly awaitPast: (position: number) => Effect.Effect<number>
}

export class LogHead extends Context.Tag("@cratos/server/LogHead")<LogHead, LogHeadShape>() {
  /**
   * A number and the streams waiting for it to move: an append moves it in one step (no lock,
   * no queue: it runs on node's one thread), and wakes only the streams waiting past it.
   */
  static readonly make = (pollMs: number): Effect.Effect<LogHeadShape, StorageError, EventStore | Scope.Scope> =>
    Effect.gen(function* () {
      const store = yield* EventStore
      let head = yield* store.lastPosition
      const waiters = new Set<(head: number) => void>()
      const advance = (position: number) =>
        Effect.sync(() => {
          if (position <= head) return
          head = position
          for (const wake of waiters) wake(head)
        })
      yield* store.lastPosition.pipe(
        Effect.flatMap(advance),
        Effect.catchAll((e) => Effect.logWarning(`could not read the log's end: ${e.message}`)),
        Effect.repeat(Schedule.spaced(Duration.millis(pollMs))),
        Effect.interruptible,
        Effect.forkScoped
      )
      return {
        current: Effect.sync(() => head),
        advance,
        awaitPast: (position) =>
          Effect.async<number>((resume) => {
            if (head > position) return resume(Effect.succeed(head))
            const wake = (h: number) => {
              if (h <= position) return
              waiters.delete(wake)
              resume(Effect.succeed(h))
            }
            waiters.add(wake)
            return Effect.sync(() => void waiters.delete(wake))
          })
      }
    })

  static readonly layer = (pollMs: number): Layer.Layer<LogHead, StorageError, EventStore> =>
    Layer.scoped(LogHead, LogHead.make(pollMs))
}
