/**
 * Approvers for `--approve yes|no|ask`. `ask` shows the person what the step would do (tool,
 * risk, description, the masked input: never the raw one) and reads y/N from the terminal; no
 * answer (end of input, Ctrl-C) is no, and after Ctrl-C the session keeps reading. Without a
 * terminal the default is `no`.
 */
import { Effect, Option } from "effect"
import type { ApprovalPrompt, Approver } from "../agent/AgentShape.js"
import { maskText } from "../agent/appMasker.js"
import type { OutputShape } from "./Output.js"
import type { TerminalShape } from "./Terminal.js"
import { ICONS, jsonLine } from "./Timeline.js"

export type ApproveMode = "yes" | "no" | "ask"

/** The mode a run uses: the flag, else ask on a terminal, else no. */
export const approveMode = (flag: ApproveMode | undefined, interactive: boolean): ApproveMode =>
  flag ?? (interactive ? "ask" : "no")

/** What the person sees before answering (masked). */
export const approvalLines = (prompt: ApprovalPrompt): ReadonlyArray<string> => [
  `${ICONS.ApprovalRequested}  approval needed: step ${prompt.stepIndex + 1} ${prompt.tool} (${prompt.riskLevel} risk)`,
  `    ${maskText(prompt.description)}`,
  `    input: ${jsonLine(prompt.inputMasked, 200)}`
]

/** Whether an answer is a yes. */
export const isYes = (answer: string): boolean => /^\s*y(es)?\s*$/i.test(answer)

export const makeApprover = (mode: ApproveMode, terminal: TerminalShape, out: OutputShape): Approver => {
  switch (mode) {
    case "yes":
      return () => Effect.succeed(true)
    case "no":
      return () => Effect.succeed(false)
    case "ask":
      return (prompt) =>
        Effect.gen(function* () {
          for (const line of approvalLines(prompt)) yield* out.error(line)
          const answer = yield* terminal.readLine("Approve? [y/N] ", { cancellable: true })
          const yes = Option.match(answer, { onNone: () => false, onSome: isYes })
          if (Option.isNone(answer)) yield* out.error("")
          return yes
        })
  }
}
