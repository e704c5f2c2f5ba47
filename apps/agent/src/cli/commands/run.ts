/**
 * `cratos run <text>`: one execution; prints the response (masked for people; `--json` prints
 * `{execution_id, status, response}` with the response as recorded). Exit 0 when the execution
 * completed, 1 when it failed.
 */
import { Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { execute, exitOf, printResult } from "../RunExecution.js"
import { Output } from "../Output.js"

export const run = (inv: InvocationOf<"run">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const result = yield* execute({ text: inv.args, flags: inv.flags, progress: out.stderrIsTTY && !inv.flags.json })
    yield* printResult(result, inv.flags.json)
    return exitOf(result)
  })
