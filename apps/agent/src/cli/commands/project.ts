/**
 * `cratos project`: the projector in the foreground, through the same `runProjector` the worker
 * (apps/projector, `cratos-projector`) runs. `--once` (default) catches up and exits,
 * `--follow` keeps up until Ctrl-C (exit 130, after the batch in progress), `--rebuild [name]`
 * resets one projection (or all) and replays the log. `--verbose` shows the projector's logs.
 */
import { Projector, runProjector } from "@cratos/projector"
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
      return yield* Effect.fail(
        new CliFailure({ reason: "choose one of --once, --follow, --rebuild", exitCode: ExitCode.Usage })
      )
    }
    if (f.follow && !f.json) yield* out.error("cratos: projecting new events; Ctrl-C to stop")
    const result = yield* runProjector({ follow: f.follow, rebuild: f.rebuild })
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
