/**
 * The commands that run the agent (run, replay, chat), with the agent core's layer on the
 * CLI's EventStore. Loaded only for these commands.
 */
import { Effect } from "effect"
import { Agent } from "../agent/Agent.js"
import type { Invocation } from "./Commands.js"
import { chat } from "./commands/chat.js"
import { replay } from "./commands/replay.js"
import { run } from "./commands/run.js"
import { ExitCode } from "./errors.js"

export const runAgentCommand = (inv: Invocation) => {
  const program =
    inv.command === "run"
      ? run(inv)
      : inv.command === "replay"
        ? replay(inv)
        : inv.command === "chat"
          ? chat(inv)
          : Effect.succeed(ExitCode.Usage)
  return program.pipe(Effect.provide(Agent.layer))
}
