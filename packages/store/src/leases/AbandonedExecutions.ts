/**
 * Finds executions whose writer died (a lease whose process is gone, or whose heartbeat is older
 * than `staleAfterMs` on another host) and closes each as failed through the domain's decider: a
 * fatal ErrorOccurred ("abandoned: its writer stopped") and the ResponseSent the decider allows
 * after it, appended together with `expectedVersion`, so when several processes notice at once
 * exactly one of them writes and the others find the execution closed. The dead writer's tool
 * child (its process group, on this host) is killed, and the lease dropped.
 */
import { Execution, type ExecutionEvent, Timestamp } from "@cratos/domain"
import type { StorageError } from "../errors.js"
import { EventStore } from "../EventStore.js"
import { Clock, Context, Effect, Either, Layer } from "effect"
import { type Lease, WriterLeases } from "./WriterLeases.js"
import { isLeasedChild, isWriterAlive } from "./WriterLiveness.js"

export const ABANDONED_ERROR = "abandoned: its writer stopped"
export const ABANDONED_RESPONSE = "The request was abandoned: the process running it stopped before it finished."
export const DEFAULT_STALE_AFTER_MS = 60_000

// the events written here carry no input or output: the seed's masker is enough
const decider = Execution.decider
const now = Effect.map(Clock.currentTimeNanos, Timestamp.fromEpochNanos)

/** What closing an abandoned execution takes from `state`: nothing once it has responded. */
export const closingEvents = (
  state: Execution.ExecutionState,
  timestamp: ExecutionEvent["timestamp"]
): Either.Either<ReadonlyArray<ExecutionEvent>, Execution.RuleViolation> => {
  if (!state.started || state.responded) return Either.right([])
  const commands: Array<Execution.ExecutionCommand> = []
  if (state.status !== "failed") {
    commands.push({
      _tag: "RecordError",
      error: ABANDONED_ERROR,
      error_type: "Internal",
      recoverable: false,
      timestamp
    })
  }
  commands.push({ _tag: "SendResponse", text: ABANDONED_RESPONSE, channel: state.channel ?? "cli", timestamp })
  const events: Array<ExecutionEvent> = []
  let current = state
  for (const command of commands) {
    const decided = decider.decide(command, current)
    if (Either.isLeft(decided)) return Either.left(decided.left)
    events.push(...decided.right)
    current = Execution.fold(decided.right, current)
  }
  return Either.right(events)
}

export interface AbandonedExecutionsShape {
  /** Closes every execution whose writer is dead; the ids this process closed. */
  readonly sweep: Effect.Effect<ReadonlyArray<string>, StorageError>
}

const killGroup = (pgid: number) => {
  try {
    process.kill(-pgid, "SIGKILL")
  } catch {
    // already gone
  }
}

export class AbandonedExecutions extends Context.Tag("@cratos/agent/AbandonedExecutions")<
  AbandonedExecutions,
  AbandonedExecutionsShape
>() {
  static readonly make = (options: { readonly staleAfterMs?: number } = {}) =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const leases = yield* WriterLeases
      const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS

      /** True when this process wrote the closing events. */
      const close = (executionId: string): Effect.Effect<boolean, StorageError> =>
        Effect.gen(function* () {
          for (let attempt = 0; attempt < 5; attempt++) {
            // a stream that does not decode is left as it is (show names the bad row)
            const stored = yield* store
              .readStream(executionId)
              .pipe(Effect.catchTag("CorruptEvent", () => Effect.succeed(null)))
            if (stored === null || stored.length === 0) return false
            const state = Execution.fold(stored.map((s) => s.event))
            const events = closingEvents(state, yield* now)
            if (Either.isLeft(events) || events.right.length === 0) return false
            const appended = yield* store.append(executionId, events.right, { expectedVersion: state.version }).pipe(
              Effect.as(true),
              // someone else wrote first (another process closing it): read again
              Effect.catchTag("ConcurrencyError", () => Effect.succeed(false)),
              Effect.catchTags({
                ExecutionNotFound: () => Effect.succeed(null),
                InvalidEvent: () => Effect.succeed(null),
                IdempotencyConflict: () => Effect.succeed(null)
              })
            )
            if (appended !== false) return appended === true
          }
          return false
        })

      const sweep = Effect.gen(function* () {
        const all = yield* leases.all
        if (all.length === 0) return []
        const nowMs = yield* Clock.currentTimeMillis
        const ctx = { host: leases.identity.host, nowMs, staleAfterMs }
        const dead = all.filter((lease: Lease) => !isWriterAlive(lease, ctx))
        const closed: Array<string> = []
        for (const lease of dead) {
          // only the group of the child the lease names (not a reused pid's)
          if (lease.host === ctx.host) for (const c of lease.children) if (isLeasedChild(c)) killGroup(c.pgid)
          if (yield* close(lease.executionId)) closed.push(lease.executionId)
          yield* leases.drop(lease)
        }
        return closed
      })

      return AbandonedExecutions.of({ sweep })
    })

  static readonly layer = (
    options: { readonly staleAfterMs?: number } = {}
  ): Layer.Layer<AbandonedExecutions, never, EventStore | WriterLeases> =>
    Layer.effect(AbandonedExecutions, AbandonedExecutions.make(options))
}
