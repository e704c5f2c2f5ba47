/**
 * How a command names an execution: its id (any spelling of a UUID the `uuid` crate reads, or
 * any other id a foreign database holds), or `last` for the newest one.
 */
import { Uuid } from "@cratos/domain"
import { ReadModel } from "@cratos/projector"
import { Effect, Either } from "effect"
import { CliFailure } from "./errors.js"

/** The execution id a reference names; `last` when there is none fails with a clear line. */
export const resolveExecutionId = (ref: string, user?: string) =>
  Effect.gen(function* () {
    if (ref === "last") {
      const id = yield* (yield* ReadModel).latestId(user)
      if (id === null) return yield* Effect.fail(new CliFailure({ reason: "no executions yet" }))
      return id
    }
    const uuid = Uuid.parseUuid(ref)
    return Either.isRight(uuid) ? (uuid.right as string) : ref
  })
