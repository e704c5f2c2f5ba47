import { Arbitrary, Either, FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { type ExecutionCommand, fold, makeDecider } from "./Execution.js"
import { ExecutionEvent } from "./ExecutionEvent.js"
import { deriveStatus } from "./ExecutionStatusFold.js"
import { at, given, sample, sampleMessage } from "./testing.js"

const invoke = (tool = "file_read"): ExecutionCommand => ({
  _tag: "InvokeTool",
  tool,
  input: { path: "a", password: "p" },
  timestamp: at(10)
})
const complete = (tool = "file_read"): ExecutionCommand => ({
  _tag: "CompleteTool",
  tool,
  output: { success: true, output: { token: "t" }, error: null },
  duration_ms: 3,
  timestamp: at(11)
})
const respond: ExecutionCommand = { _tag: "SendResponse", text: "done", channel: "cli", timestamp: at(12) }
const fail: ExecutionCommand = {
  _tag: "RecordError",
  error: "x",
  error_type: "Internal",
  recoverable: false,
  timestamp: at(12)
}
const requestApproval: ExecutionCommand = {
  _tag: "RequestApproval",
  action: "exec ls",
  risk_level: "Destructive",
  tool: "exec",
  description: "run",
  input: { cmd: "ls", api_key: "k" },
  step_index: 0,
  expires_at: null,
  timestamp: at(9)
}
const answer: ExecutionCommand = { _tag: "ReceiveApproval", approved: true, modified: null, timestamp: at(10) }
const receive: ExecutionCommand = { _tag: "ReceiveMessage", message: sampleMessage(), timestamp: at(0) }

describe("the execution decider", () => {
  it("starts an execution with its message", () => {
    expect(
      given([])
        .when(receive)
        .events()
        .map((e) => e.type)
    ).toStrictEqual(["MessageReceived"])
  })

  it("rejects any event before the message (history-starts-with-message)", () => {
    expect(given([]).when(invoke()).rule()).toBe("history-starts-with-message")
  })

  it("rejects a second message (one-message-per-execution)", () => {
    expect(given([sample.message()]).when(receive).rule()).toBe("one-message-per-execution")
  })

  it("rejects anything after a response (nothing-after-response)", () => {
    const history = [sample.message(), sample.response()]
    expect(given(history).when(invoke()).rule()).toBe("nothing-after-response")
    expect(given(history).when(respond).rule()).toBe("nothing-after-response")
  })

  it("allows only one response after a fatal error (only-response-after-fatal-error)", () => {
    const history = [sample.message(), sample.error(false)]
    expect(given(history).when(invoke()).rule()).toBe("only-response-after-fatal-error")
    expect(given(history).when(fail).rule()).toBe("only-response-after-fatal-error")
    expect(given(history).when(respond).events()).toHaveLength(1)
    expect(
      given([...history, sample.response()])
        .when(respond)
        .rule()
    ).toBe("nothing-after-response")
  })

  it("keeps going after a recoverable error", () => {
    expect(
      given([sample.message(), sample.error(true)])
        .when(invoke())
        .events()
    ).toHaveLength(1)
  })

  it("rejects a plan that is not a DAG (plan-is-a-dag)", () => {
    const cmd: ExecutionCommand = {
      _tag: "RecordPlan",
      plan: {
        goal: "g",
        steps: [
          { description: "a", tool: "file_read", input: {}, depends_on: [1] },
          { description: "b", tool: "file_read", input: {}, depends_on: [0] }
        ],
        estimated_risk: "Read",
        requires_approval: false
      },
      model_used: "rules",
      tokens_used: 0,
      timestamp: at(1)
    }
    const result = given([sample.message()]).when(cmd)
    expect(result.rule()).toBe("plan-is-a-dag")
    expect(Either.flip(result.result).pipe(Either.getOrThrow).message).toMatch(/cycle: 0 -> 1 -> 0/)
  })

  it("rejects a second approval request while one is pending (one-pending-approval)", () => {
    expect(given([sample.message(), sample.approvalRequested()]).when(requestApproval).rule()).toBe(
      "one-pending-approval"
    )
  })

  it("rejects an approval nobody asked for (approval-answers-a-request)", () => {
    expect(given([sample.message()]).when(answer).rule()).toBe("approval-answers-a-request")
    const answered = [sample.message(), sample.approvalRequested(), sample.approvalReceived()]
    expect(given(answered).when(answer).rule()).toBe("approval-answers-a-request")
  })

  it("rejects a tool call while an approval is pending (no-tool-while-approval-pending)", () => {
    const pending = [sample.message(), sample.approvalRequested()]
    expect(given(pending).when(invoke()).rule()).toBe("no-tool-while-approval-pending")
    expect(
      given([...pending, sample.approvalReceived()])
        .when(invoke())
        .events()
    ).toHaveLength(1)
  })

  it("rejects a completion without an open invocation of that tool (completion-closes-an-open-invocation)", () => {
    expect(given([sample.message()]).when(complete()).rule()).toBe("completion-closes-an-open-invocation")
    expect(
      given([sample.message(), sample.toolInvoked("exec")])
        .when(complete("file_read"))
        .rule()
    ).toBe("completion-closes-an-open-invocation")
    const closed = [sample.message(), sample.toolInvoked(), sample.toolCompleted()]
    expect(given(closed).when(complete()).rule()).toBe("completion-closes-an-open-invocation")
    expect(given([sample.message(), sample.toolInvoked()]).when(complete()).events()).toHaveLength(1)
  })

  it("fills the masked copies from the raw input and output", () => {
    const [invoked] = given([sample.message()]).when(invoke()).events()
    expect(invoked).toMatchObject({ input: { password: "p" }, input_masked: { path: "a", password: "***MASKED***" } })
    const [completed] = given([sample.message(), sample.toolInvoked()]).when(complete()).events()
    expect(completed).toMatchObject({ output_masked: { output: { token: "***MASKED***" } } })
    const [requested] = given([sample.message()]).when(requestApproval).events()
    expect(requested).toMatchObject({ details: { input_masked: { cmd: "ls", api_key: "***MASKED***" } } })
    expect(JSON.stringify(requested)).not.toContain('"k"')
  })

  it("uses the masker it is given", () => {
    const [invoked] = makeDecider({ mask: () => "hidden" })
      .decide(invoke(), fold([sample.message()]))
      .pipe(Either.getOrThrow)
    expect(invoked).toMatchObject({ input_masked: "hidden" })
  })
})

describe("status", () => {
  const status = (events: ReadonlyArray<ExecutionEvent>) => deriveStatus(events)

  it("is pending with only the message", () => {
    expect(status([sample.message()])).toStrictEqual({ status: "pending", completed_at: null })
  })

  it("is running after any later event", () => {
    expect(status([sample.message(), sample.plan()]).status).toBe("running")
  })

  it("is completed by a response, at the response's time", () => {
    expect(status([sample.message(), sample.plan(), sample.response(6)])).toStrictEqual({
      status: "completed",
      completed_at: at(6)
    })
  })

  it("stays running after a recoverable error", () => {
    expect(status([sample.message(), sample.error(true)]).status).toBe("running")
  })

  it("is failed by a fatal error and stays failed after the response that reports it", () => {
    expect(status([sample.message(), sample.error(false, 7), sample.response(8)])).toStrictEqual({
      status: "failed",
      completed_at: at(7)
    })
  })

  it("never leaves completed", () => {
    expect(status([sample.message(), sample.response(6), sample.error(false, 9), sample.plan(10)])).toStrictEqual({
      status: "completed",
      completed_at: at(6)
    })
  })

  it("folds any decodable history without throwing, and agrees with the decider's fold", () => {
    fc.assert(
      fc.property(fc.array(Arbitrary.make(ExecutionEvent), { maxLength: 12 }), (events) => {
        const state = fold(events)
        expect(state.version).toBe(events.length)
        const { status: s, completed_at } = deriveStatus(events)
        expect({ status: state.status, completed_at: state.completed_at }).toStrictEqual({ status: s, completed_at })
        if (events.length > 0 && s !== "pending") expect(events.some((e) => e.type !== "MessageReceived")).toBe(true)
      }),
      { numRuns: 300 }
    )
  })
})
