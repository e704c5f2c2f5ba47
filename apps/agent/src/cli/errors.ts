/**
 * Every failure a `cratos` command can end with, turned into one line and an exit code: the
 * store's, the projector's, the domain's and the command line's through the shared describer
 * (@cratos/cli-kit's Failure), plus the agent's own two (its planner and its recorder). The
 * union {@link CratosFailure} is the dispatcher's whole error channel, matched exhaustively.
 */
import {
  CliFailure,
  describeDefect,
  describeKnown,
  ExitCode,
  type KnownFailure,
  type Report,
  report
} from "@cratos/cli-kit"
import { Cause, Match, Option } from "effect"
import type { AgentFailure } from "../agent/AgentFailure.js"
import type { PlannerError } from "../planner/PlannerError.js"

export { CliFailure, ExitCode, type Report }

/** What a `cratos` command may fail with. */
export type CratosFailure = KnownFailure | AgentFailure | PlannerError

/** The report of a failure: the agent's two here, the rest by the shared describer. */
export const describeError: (error: CratosFailure) => Report = Match.type<CratosFailure>().pipe(
  Match.tags({
    AgentFailure: (e) => report(`the execution could not be recorded: ${e.message}`),
    PlannerError: (e) => report(`planning failed (${e.errorType}): ${e.message}`)
  }),
  Match.orElse(describeKnown)
)

export { describeDefect }

/** The report of how a command ended badly: its typed failure, else its defect. */
export const describeCause = (cause: Cause.Cause<CratosFailure>, verbose: boolean): Report =>
  Option.match(Cause.failureOption(cause), {
    onSome: describeError,
    onNone: () =>
      describeDefect(
        Option.getOrElse(Cause.dieOption(cause), () => Cause.squash(cause)),
        verbose
      )
  })
