/**
 * Test helpers shared by the domain's tests and other packages' tests: sample events and a
 * Given/When/Then harness for the decider. Pure, like the rest of the package.
 */
import { Either } from "effect"
import * as Events from "./Events.js"
import { type ExecutionCommand, type ExecutionState, fold, makeDecider, type RuleViolation } from "./Execution.js"
import type { ExecutionEvent } from "./ExecutionEvent.js"
import { normalizeMessage } from "./NormalizedMessage.js"
import * as Timestamp from "./Timestamp.js"
import type { Uuid } from "./Uuid.js"

/** The n-th second after 2025-11-26T10:00:00Z. */
export const at = (n: number): Timestamp.Timestamp =>
  Timestamp.fromEpochNanos(BigInt(Date.UTC(2025, 10, 26, 10, 0, 0)) * 1_000_000n + BigInt(n) * 1_000_000_000n)

export const sampleMessage = (text = "read README.md", n = 0) =>
  normalizeMessage({
    id: "5f0e0000-0000-4000-8000-000000000001" as Uuid,
    channel_type: "cli",
    channel_id: "tty",
    user_id: "user-1",
    message_id: "m-1",
    text,
    timestamp: at(n)
  })

export const sample = {
  message: (n = 0): ExecutionEvent => Events.messageReceived(sampleMessage("read README.md", n)),
  plan: (n = 1): ExecutionEvent =>
    Events.planGenerated({
      plan: {
        goal: "read README.md",
        steps: [{ description: "read", tool: "file_read", input: { path: "README.md" }, depends_on: [] }],
        estimated_risk: "Read",
        requires_approval: false
      },
      model_used: "rules",
      tokens_used: 0,
      timestamp: at(n)
    }),
  approvalRequested: (n = 2): ExecutionEvent =>
    Events.approvalRequested({
      action: "file_write notes.md",
      risk_level: "Write",
      tool: "file_write",
      description: "write a file",
      input: { path: "notes.md", content: "x" },
      step_index: 0,
      timestamp: at(n)
    }),
  approvalReceived: (approved = true, n = 3): ExecutionEvent => Events.approvalReceived({ approved, timestamp: at(n) }),
  toolInvoked: (tool = "file_read", n = 4): ExecutionEvent =>
    Events.toolInvoked({ tool, input: { path: "README.md" }, timestamp: at(n) }),
  toolCompleted: (tool = "file_read", success = true, n = 5): ExecutionEvent =>
    Events.toolCompleted({
      tool,
      output: { success, output: success ? "# hello" : null, error: success ? null : "boom" },
      duration_ms: 12,
      timestamp: at(n)
    }),
  response: (n = 6): ExecutionEvent => Events.responseSent({ text: "# hello", channel: "cli", timestamp: at(n) }),
  error: (recoverable: boolean, n = 7): ExecutionEvent =>
    Events.errorOccurred({ error: "boom", error_type: "Internal", recoverable, timestamp: at(n) })
}

/**
 * Given a history, when a command is decided, then the result: events or a rule violation.
 *
 *   given([sample.message()]).when(cmd).thenRejects("...")
 */
export const given = (history: ReadonlyArray<ExecutionEvent>) => {
  const state: ExecutionState = fold(history)
  return {
    state,
    when: (command: ExecutionCommand) => {
      const result: Either.Either<ReadonlyArray<ExecutionEvent>, RuleViolation> = makeDecider().decide(command, state)
      return {
        result,
        /** The events decided, or throws with the violation (for test assertions). */
        events: (): ReadonlyArray<ExecutionEvent> =>
          Either.getOrThrowWith(result, (v) => new Error(`expected events, got ${v.message}`)),
        /** The rule broken, or throws when the command was accepted. */
        rule: (): RuleViolation["rule"] =>
          Either.match(result, {
            onLeft: (v) => v.rule,
            onRight: (events) => {
              throw new Error(`expected a rule violation, got ${events.map((e) => e.type).join(", ")}`)
            }
          })
      }
    }
  }
}
