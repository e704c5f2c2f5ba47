/** The commands that run the agent: run, replay, chat (wired once the agent core lands). */
import { Effect } from "effect"
import type { Invocation } from "./Commands.js"
import { CliFailure, type ExitCode } from "./errors.js"

export const runAgentCommand = (inv: Invocation): Effect.Effect<ExitCode, CliFailure> =>
  Effect.fail(new CliFailure({ reason: `${inv.command}: not available in this build yet` }))
