/**
 * `cratos project`: the projector in the foreground, the same Projector the worker
 * (apps/projector) runs. `--once` (default) catches up and exits, `--follow` keeps up until
 * Ctrl-C, `--rebuild [name]` resets one projection (or all) and replays the log.
 */
import { Projector } from "@cratos/projector"
import { Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { Output } from "../Output.js"

export const project = (inv: InvocationOf<"project">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const projector = yield* Projector
    const f = inv.flags
    if ([f.once, f.follow, f.rebuild !== undefined].filter(Boolean).length > 1) {
      return yield* Effect.fail(new CliFailure({ reason: "choose one of --once, --follow, --rebuild", exitCode: ExitCode.Usage }))
    }
    if (f.follow) {
      if (!f.json) yield* out.error("cratos: projecting new events; Ctrl-C to stop")
      return yield* projector.follow
    }
    const result =
      f.rebuild === undefined
        ? yield* projector.catchUp
        : yield* projector.rebuild(f.rebuild === true ? undefined : f.rebuild)
    const lag = yield* projector.lag
    if (f.json) {
      yield* out.line(
        JSON.stringify(
          {
            mode: f.rebuild === undefined ? "once" : "rebuild",
            events: result.events,
            batches: result.batches,
            dead_letters: result.deadLetters,
            position: result.position,
            status: lag
          },
          null,
          2
        )
      )
    } else {
      yield* out.line(
        `${f.rebuild === undefined ? "caught up" : "rebuilt"}: ${result.events} event${result.events === 1 ? "" : "s"} in ` +
          `${result.batches} batch${result.batches === 1 ? "" : "es"}, position ${result.position}` +
          (result.deadLetters > 0 ? `, ${result.deadLetters} dead-lettered` : "")
      )
    }
    return ExitCode.Ok
  })
