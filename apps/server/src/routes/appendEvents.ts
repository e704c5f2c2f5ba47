/**
 * `POST /api/v1/executions/{id}/events`, through the domain's decider as the agent appends: the
 * stream is folded, each event is checked against the state before it (`Execution.check`: a
 * refused history is a 422 naming the rule), then appended with the folded version as the
 * expected one, so no one else's append can slip in between the check and the write. Without a
 * client `expected_version` a lost race is retried on the new state; with one it is a 409. The
 * state is kept between appends (StreamStates) and read again only when the store says it moved.
 *
 * With an `Idempotency-Key` seen before, the store answers first: the first result for the same
 * body (nothing appended), 422 for another body, whatever the state says now.
 */
import { type ExecutionEvent, Execution } from "@cratos/domain"
import { AppendEvents, EventsAppended } from "@cratos/http"
import { DEFAULT_MAX_EVENT_BYTES, EventStore, type EventStoreShape } from "@cratos/store"
import { HttpServerRequest } from "@effect/platform"
import { Effect, Either } from "effect"
import { authenticate } from "../Authenticate.js"
import { canonicalAppendEvents } from "../CanonicalBodies.js"
import { plainJsonResponse } from "../JsonResponse.js"
import { LogHead } from "../LogHead.js"
import { conflict, fail, notFound, type ProblemResponse, unprocessable } from "../Problems.js"
import { decodeBody } from "../RequestBody.js"
import { ServerContext } from "../ServerContext.js"
import { corruptProblem, invalidEventProblem, storageProblem } from "../StoreProblems.js"
import { canSee, type Principal } from "../tokens/Principal.js"
import { executionId } from "./executionId.js"

/** A version no stream reaches: an append with it writes nothing, but reports a known key. */
const NEVER = Number.MAX_SAFE_INTEGER
const MAX_RACES = 50

type Refusal = ProblemResponse

/** The folded state of a stream the principal may see (read now); 404 otherwise. */
export const loadStream = (store: EventStoreShape, id: string) =>
  store.readStream(id).pipe(
    Effect.catchTags({ StorageError: storageProblem, CorruptEvent: corruptProblem }),
    Effect.map((stored) => {
      const first = stored[0]
      return first === undefined
        ? undefined
        : { state: Execution.fold(stored.map((s) => s.event)), userId: first.userId }
    })
  )

export const loadState = (store: EventStoreShape, id: string, principal: Principal) =>
  Effect.flatMap(loadStream(store, id), (loaded) =>
    loaded === undefined || !canSee(principal, loaded.userId)
      ? Effect.fail(fail(notFound(`no execution ${id}`)))
      : Effect.succeed(loaded.state)
  )

/** The state after `events` if the decider takes each in turn; else the first refusal, as a 422 naming the rule. */
export const checkHistory = (
  state: Execution.ExecutionState,
  events: ReadonlyArray<ExecutionEvent>
): Either.Either<Execution.ExecutionState, Refusal> => {
  let s = state
  for (const [i, event] of events.entries()) {
    const checked = Execution.check(s, event)
    if (Either.isLeft(checked)) {
      const v = checked.left
      return Either.left(fail(unprocessable(`events[${i}]: ${v.message}`, v.rule)))
    }
    s = Execution.evolve(s, event)
  }
  return Either.right(s)
}

interface AppendCheckedOptions {
  readonly expectedVersion: number | undefined
  readonly idempotencyKey: string | undefined
  readonly principal: Principal
}

/**
 * The append of `events` after `state`, with the store's idempotency answer when a key was used
 * before; one at a time per execution in this server (StreamLocks).
 */
export const appendChecked = (
  store: EventStoreShape,
  id: string,
  events: ReadonlyArray<ExecutionEvent>,
  options: AppendCheckedOptions
) => Effect.flatMap(ServerContext, ({ locks }) => locks.exclusive(id, appendUnlocked(store, id, events, options)))

const appendUnlocked = (
  store: EventStoreShape,
  id: string,
  events: ReadonlyArray<ExecutionEvent>,
  options: AppendCheckedOptions
) =>
  Effect.gen(function* () {
    const key = options.idempotencyKey
    const storeErrors = {
      IdempotencyConflict: () =>
        Effect.fail(fail(unprocessable("the Idempotency-Key was used before with another body", "idempotency-key"))),
      ExecutionNotFound: () => Effect.fail(fail(notFound(`no execution ${id}`))),
      InvalidEvent: (e: Parameters<typeof invalidEventProblem>[0]) =>
        Effect.fail(invalidEventProblem(e, DEFAULT_MAX_EVENT_BYTES)),
      StorageError: storageProblem
    } as const
    /** A refusal, unless the key already holds an answer for this body. */
    const refuse = (refusal: Refusal) =>
      key === undefined
        ? Effect.fail(refusal)
        : store.append(id, events, { expectedVersion: NEVER, idempotencyKey: key }).pipe(
            Effect.catchTag("ConcurrencyError", () => Effect.fail(refusal)),
            Effect.catchTags(storeErrors)
          )
    const { states } = yield* ServerContext
    for (let race = 0; ; race++) {
      let cached = states.get(id)
      const fresh = cached === undefined
      if (cached === undefined) {
        cached = yield* loadStream(store, id)
        if (cached === undefined) return yield* Effect.fail(fail(notFound(`no execution ${id}`)))
        states.set(id, cached)
      }
      if (!canSee(options.principal, cached.userId)) return yield* Effect.fail(fail(notFound(`no execution ${id}`)))
      const state = cached.state
      const stale = () => {
        states.drop(id)
        return race < MAX_RACES
      }
      if (options.expectedVersion !== undefined && options.expectedVersion !== state.version) {
        if (!fresh && stale()) continue
        return yield* refuse(
          fail(
            conflict(`execution ${id} is at version ${state.version}`, {
              expected: options.expectedVersion,
              actual: state.version
            })
          )
        )
      }
      const checked = checkHistory(state, events)
      if (Either.isLeft(checked)) {
        if (!fresh && stale()) continue
        return yield* refuse(checked.left)
      }
      const appended = yield* store
        .append(id, events, { expectedVersion: state.version, ...(key === undefined ? {} : { idempotencyKey: key }) })
        .pipe(
          Effect.map((r) => Either.right(r)),
          Effect.catchTag("ConcurrencyError", (e) => Effect.succeed(Either.left(e))),
          Effect.catchTags(storeErrors)
        )
      if (Either.isRight(appended)) {
        if (appended.right.deduplicated) states.drop(id)
        else states.set(id, { state: checked.right, userId: cached.userId })
        return appended.right
      }
      // Someone appended since the state was read: read it again (a client's expected_version
      // is then compared with the new version above).
      if (stale()) continue
      return yield* refuse(
        fail(
          conflict(`execution ${id} is at version ${appended.left.actual}`, {
            expected: options.expectedVersion ?? state.version,
            actual: appended.left.actual
          })
        )
      )
    }
  })

export const appendEvents = Effect.gen(function* () {
  const principal = yield* authenticate("ingest")
  const id = yield* executionId
  const body = yield* decodeBody(AppendEvents, canonicalAppendEvents)
  const request = yield* HttpServerRequest.HttpServerRequest
  const { metrics } = yield* ServerContext
  const result = yield* appendChecked(yield* EventStore, id, body.events, {
    expectedVersion: body.expected_version,
    idempotencyKey: request.headers["idempotency-key"],
    principal
  }).pipe(Effect.tapError(() => Effect.sync(() => metrics.appends.inc({ outcome: "refused" }))))
  metrics.appends.inc({ outcome: result.deduplicated ? "deduplicated" : "appended" })
  const last = result.positions[result.positions.length - 1]
  if (last !== undefined) yield* (yield* LogHead).advance(last)
  return yield* plainJsonResponse(EventsAppended, { version: result.version, positions: result.positions })
})
