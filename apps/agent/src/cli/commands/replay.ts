/**
 * `cratos replay <id|last> --mode view|dry-run|rerun`.
 *
 * - view: the timeline, as `show`;
 * - dry-run: the original message planned again (Agent.plan); nothing runs, nothing is
 *   recorded; each step with its risk and whether it would need approval (inputs masked);
 * - rerun: a new execution of the original message (Agent.run with rerunOf, recorded as the
 *   message's thread_id), same approval rules as `run`; prints its id and response.
 */
import { defaultApprovalPolicy, defaultToolRisks, needsApproval, riskOf } from "@cratos/domain"
import { Effect, Option } from "effect"
import { ENCRYPTED_PLACEHOLDER } from "@cratos/store"
import { Agent } from "../../agent/Agent.js"
import type { PlanResult } from "../../planner/PlanResult.js"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { ExecutionWorkspaces } from "../ExecutionWorkspaces.js"
import { execute, exitOf, printResult } from "../RunExecution.js"
import { maskJson, maskText } from "../../agent/appMasker.js"
import { Output } from "../Output.js"
import { jsonLine } from "../Timeline.js"
import { loadExecution, printTimeline } from "./show.js"

/** The original message of an execution: its MessageReceived's text (the row's input_text otherwise). */
export const originalMessage = (ref: string) =>
  Effect.flatMap(loadExecution(ref), ({ row, events }) => {
    const first = events[0]
    const text = first?.type === "MessageReceived" ? first.message.text : row.input_text
    // a sealed message that did not open (no master key, a forgotten user): nothing to plan from
    return text === ENCRYPTED_PLACEHOLDER
      ? Effect.fail(
          new CliFailure({
            reason: `the message of execution ${row.id} is encrypted and cannot be opened (no master key here, or its user was forgotten): nothing to replay`
          })
        )
      : Effect.succeed({ row, text })
  })

export const planSteps = (result: PlanResult) =>
  result.plan.steps.map((step, index) => {
    const risk = riskOf(defaultToolRisks, step.tool)
    return {
      index,
      description: step.description,
      tool: step.tool,
      risk,
      needs_approval: needsApproval(defaultApprovalPolicy, risk),
      input_masked: maskJson(step.input),
      depends_on: step.depends_on
    }
  })

export const dryRunLines = (executionId: string, text: string, result: PlanResult): ReadonlyArray<string> => {
  const steps = planSteps(result)
  const lines = [
    `Dry run of ${executionId}: nothing is run or recorded.`,
    `  message: ${maskText(text)}`,
    `  plan:    ${maskText(result.plan.goal)} — risk ${result.plan.estimated_risk}, ${
      result.plan.requires_approval ? "needs approval" : "no approval needed"
    } (${result.model_used}, ${result.tokens_used} tokens)`
  ]
  if (steps.length === 0) {
    lines.push("  no steps.")
    if (result.reply !== undefined) lines.push("", maskText(result.reply))
    return lines
  }
  for (const s of steps) {
    lines.push(
      `  ${s.index + 1}. ${s.tool} [${s.risk}${s.needs_approval ? ", needs approval" : ""}] ${maskText(s.description)}` +
        (s.depends_on.length === 0 ? "" : ` (after ${s.depends_on.map((d) => d + 1).join(", ")})`),
      `     input: ${jsonLine(s.input_masked, 100)}`
    )
  }
  return lines
}

export const replay = (inv: InvocationOf<"replay">) =>
  Effect.gen(function* () {
    const f = inv.flags
    const mode = f.mode ?? "view"
    if (mode === "view") return yield* printTimeline(inv.args, { json: f.json })
    const out = yield* Output
    const { row, text } = yield* originalMessage(inv.args)
    if (mode === "dry-run") {
      const result = yield* (yield* Agent).plan(text, f.planner ?? "rules")
      if (f.json) {
        yield* out.line(
          JSON.stringify(
            {
              execution_id: row.id,
              mode,
              goal: result.plan.goal,
              estimated_risk: result.plan.estimated_risk,
              requires_approval: result.plan.requires_approval,
              model_used: result.model_used,
              tokens_used: result.tokens_used,
              steps: planSteps(result),
              reply: result.reply ?? null
            },
            null,
            2
          )
        )
      } else {
        for (const line of dryRunLines(row.id, text, result)) yield* out.line(line)
      }
      return ExitCode.Ok
    }
    // The original's workspace, unless --workspace says otherwise (else the current folder).
    const recorded = yield* (yield* ExecutionWorkspaces).get(row.id)
    const workspace = f.workspace ?? Option.getOrUndefined(recorded)
    const result = yield* execute({
      text,
      flags: { ...f, workspace },
      rerunOf: row.id,
      fallbackUser: row.user_id,
      progress: out.stderrIsTTY && !f.json
    })
    yield* printResult(result, f.json, { rerun_of: row.id })
    return exitOf(result)
  })
