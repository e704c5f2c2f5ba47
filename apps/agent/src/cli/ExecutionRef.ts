/**
 * How a command names an execution: its id (any spelling of a UUID the `uuid` crate reads, or
 * any other id a foreign database holds), a unique prefix of its id (6 characters or more, as
 * `git` takes a commit's), or `last` for the newest one.
 */
import { Uuid } from "@cratos/domain"
import { ReadModel } from "@cratos/projector"
import { Effect, Either } from "effect"
import { CliFailure } from "./errors.js"

/** The shortest prefix taken for an id. */
export const MIN_PREFIX = 6
const PREFIX = /^[0-9a-f-]+$/
/** Candidates listed when a prefix is ambiguous. */
const SHOWN = 5

/** The ids that start with `prefix` (at most `limit`), from the executions table. */
const idsStartingWith = (prefix: string, limit: number) =>
  Effect.flatMap(ReadModel, (rm) => rm.idsStartingWith(prefix, limit))

/** The execution id a reference names; `last` when there is none, or an ambiguous prefix, fails with a clear line. */
export const resolveExecutionId = (ref: string, user?: string) =>
  Effect.gen(function* () {
    if (ref === "last") {
      const id = yield* (yield* ReadModel).latestId(user)
      if (id === null) return yield* Effect.fail(new CliFailure({ reason: "no executions yet" }))
      return id
    }
    const uuid = Uuid.parseUuid(ref)
    if (Either.isRight(uuid)) return uuid.right as string
    const prefix = ref.toLowerCase()
    if (prefix.length < MIN_PREFIX || prefix.length >= 36 || !PREFIX.test(prefix)) return ref
    const exact = yield* idsStartingWith(ref, 1)
    if (exact[0] === ref) return ref
    const found = yield* idsStartingWith(prefix, SHOWN + 1)
    if (found.length === 1) return found[0]!
    if (found.length > 1) {
      const more = found.length > SHOWN ? ", …" : ""
      return yield* Effect.fail(
        new CliFailure({
          reason: `${ref} is the start of several executions: ${found.slice(0, SHOWN).join(", ")}${more}`
        })
      )
    }
    return ref
  })
