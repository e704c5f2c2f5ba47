/** The store's and read model's typed errors as problems (one mapping, used by every route). */
import { InvalidQuery } from "@cratos/projector"
import type { InvalidEvent, StorageError } from "@cratos/store"
import { Effect } from "effect"
import { badRequest, fail, payloadTooLarge, type ProblemResponse, serverError, unavailable } from "./Problems.js"

const BUSY = /^SQLITE_(BUSY|LOCKED)/

/** Busy past the timeout → 503 with Retry-After (try again); anything else → 500, logged. */
export const storageProblem = (e: StorageError): Effect.Effect<never, ProblemResponse> =>
  BUSY.test(e.code)
    ? Effect.fail(fail(unavailable("the database is busy; try again"), { "retry-after": "1" }))
    : Effect.logError(`storage failure: ${e.operation} (${e.code})`).pipe(
        Effect.zipRight(Effect.fail(fail(serverError())))
      )

/** An event the store will not take: over the per-event cap → 413, else 400 naming it. */
export const invalidEventProblem = (e: InvalidEvent, maxEventBytes: number): ProblemResponse =>
  /over the cap/.test(e.reason)
    ? fail(payloadTooLarge(`event ${e.index} is over the cap of ${maxEventBytes} bytes`, maxEventBytes))
    : fail(badRequest(`event ${e.index} cannot be stored: ${e.reason}`, e.index >= 0 ? `events[${e.index}]` : null))

export const invalidQueryProblem = (e: InvalidQuery): ProblemResponse => fail(badRequest(e.message, e.field))

/** A stored event that no longer decodes: the server's problem, not the client's. */
export const corruptProblem = (e: { readonly position: number }) =>
  Effect.logError(`corrupt event row ${e.position}`).pipe(Effect.zipRight(Effect.fail(fail(serverError()))))

export { InvalidQuery }
