/**
 * Records one execution: keeps its ExecutionState in memory, runs every command through the
 * domain's decider and appends what it decides with `expectedVersion = state.version`.
 * Decide + append + state update run under a Semaphore(1), uninterruptibly, so steps running
 * side by side append one at a time and the state never lags the store.
 *
 * A RuleViolation is a bug in the agent (the caller ends the execution with a fatal Internal
 * error); a store failure is an AgentFailure (nothing more can be recorded).
 */
import { Execution, type ExecutionEvent, type MessageReceived, type RuleViolation } from "@cratos/domain"
import type { EventStoreShape } from "@cratos/store"
import { Effect, type Either, Ref } from "effect"
import { AgentFailure } from "./AgentFailure.js"
import { mask } from "./appMasker.js"

export interface ExecutionRecorder {
  readonly executionId: string
  readonly state: Effect.Effect<Execution.ExecutionState>
  /** Global position of the last event written. */
  readonly lastPosition: Effect.Effect<number>
  /** The text of the ResponseSent, once recorded. */
  readonly response: Effect.Effect<string | null>
  /**
   * Reloads the state from the store (after a failed append, when someone else wrote to the
   * stream), so the execution can still be closed.
   */
  readonly resync: Effect.Effect<void, AgentFailure>
  /** Decides and appends one command; returns the state after it. */
  readonly record: (
    command: Execution.ExecutionCommand
  ) => Effect.Effect<Execution.ExecutionState, RuleViolation | AgentFailure>
}

const decider = Execution.makeDecider({ mask })

const storeFailure = (executionId: string) => (e: { readonly message: string }) =>
  new AgentFailure({ reason: `could not record execution ${executionId}: ${e.message}` })

/** Starts the execution (its row and MessageReceived in one transaction) and returns its recorder. */
export const start = (
  store: EventStoreShape,
  executionId: string,
  command: Extract<Execution.ExecutionCommand, { readonly _tag: "ReceiveMessage" }>
): Effect.Effect<ExecutionRecorder, RuleViolation | AgentFailure> =>
  Effect.gen(function* () {
    const events = yield* decider.decide(command, decider.initialState)
    const first = events[0] as MessageReceived
    const started = yield* store.startExecution(executionId, first).pipe(Effect.mapError(storeFailure(executionId)))
    const state = yield* Ref.make(Execution.fold(events))
    const last = yield* Ref.make(started.position)
    const response = yield* Ref.make<string | null>(null)
    const lock = yield* Effect.makeSemaphore(1)

    const append = (command: Execution.ExecutionCommand) =>
      Effect.gen(function* () {
        const current = yield* Ref.get(state)
        const decided: Either.Either<ReadonlyArray<ExecutionEvent>, RuleViolation> = decider.decide(command, current)
        const events = yield* decided
        const appended = yield* store
          .append(executionId, events, { expectedVersion: current.version })
          .pipe(Effect.mapError(storeFailure(executionId)))
        const next = Execution.fold(events, current)
        yield* Ref.set(state, next)
        const position = appended.positions[appended.positions.length - 1]
        if (position !== undefined) yield* Ref.set(last, position)
        for (const event of events) if (event.type === "ResponseSent") yield* Ref.set(response, event.text)
        return next
      })

    return {
      executionId,
      state: Ref.get(state),
      lastPosition: Ref.get(last),
      response: Ref.get(response),
      record: (command) => lock.withPermits(1)(Effect.uninterruptible(append(command))),
      resync: lock.withPermits(1)(
        Effect.gen(function* () {
          const stored = yield* store.readStream(executionId).pipe(Effect.mapError(storeFailure(executionId)))
          yield* Ref.set(state, Execution.fold(stored.map((s) => s.event)))
          const position = stored[stored.length - 1]?.position
          if (position !== undefined) yield* Ref.set(last, position)
        })
      )
    }
  })
