/**
 * The execution decider: `{ decide, evolve, initialState }` over one execution's stream.
 *
 * `evolve` is total (any decodable history folds, valid or not: history written by another
 * program is still history); `decide` checks a command against the lifecycle rules of
 * CONTRACT.md section 4 and returns the events to append, or the rule it would break.
 */
import { Data, Either } from "effect"
import type { ApprovalDetails } from "./ApprovalDetails.js"
import type { Channel } from "./Channel.js"
import type { ErrorType } from "./ErrorType.js"
import * as Events from "./Events.js"
import type { ExecutionEvent } from "./ExecutionEvent.js"
import type { ExecutionPlan } from "./ExecutionPlan.js"
import { evolveStatus, initialStatus, type StatusState } from "./ExecutionStatusFold.js"
import { maskSensitive } from "./maskSensitive.js"
import type { NormalizedMessage } from "./NormalizedMessage.js"
import { validatePlan } from "./Plan.js"
import type { RiskLevel } from "./RiskLevel.js"
import type { Timestamp } from "./Timestamp.js"
import type { ToolResult } from "./ToolResult.js"

export interface ExecutionState extends StatusState {
  /** Number of events folded (the stream version). */
  readonly version: number
  readonly started: boolean
  readonly userId: string | null
  readonly channel: Channel | null
  readonly plan: ExecutionPlan | null
  /** The ApprovalRequested still waiting for its answer. */
  readonly pendingApproval: { readonly action: string; readonly details: ApprovalDetails } | null
  /** Tools invoked and not yet completed (a tool may be open more than once). */
  readonly openTools: ReadonlyArray<string>
  readonly responded: boolean
}

export const initialState: ExecutionState = {
  ...initialStatus,
  version: 0,
  started: false,
  userId: null,
  channel: null,
  plan: null,
  pendingApproval: null,
  openTools: [],
  responded: false
}

const removeOne = (tools: ReadonlyArray<string>, tool: string): ReadonlyArray<string> => {
  const i = tools.indexOf(tool)
  return i === -1 ? tools : [...tools.slice(0, i), ...tools.slice(i + 1)]
}

/** The state after one more event. Total over any event in any state. */
export const evolve = (state: ExecutionState, event: ExecutionEvent): ExecutionState => {
  const base = { ...state, ...evolveStatus(state, event), version: state.version + 1 }
  switch (event.type) {
    case "MessageReceived":
      return state.started
        ? base
        : { ...base, started: true, userId: event.message.user_id, channel: event.message.channel_type }
    case "PlanGenerated":
      return { ...base, plan: event.plan }
    case "ApprovalRequested":
      return { ...base, pendingApproval: { action: event.action, details: event.details } }
    case "ApprovalReceived":
      return { ...base, pendingApproval: null }
    case "ToolInvoked":
      return { ...base, openTools: [...state.openTools, event.tool] }
    case "ToolCompleted":
      return { ...base, openTools: removeOne(state.openTools, event.tool) }
    case "ResponseSent":
      return { ...base, responded: true }
    case "ErrorOccurred":
      return base
    default:
      return absurd(event)
  }
}

/** Folds a whole history. */
export const fold = (events: Iterable<ExecutionEvent>, from: ExecutionState = initialState): ExecutionState => {
  let state = from
  for (const event of events) state = evolve(state, event)
  return state
}

/** The rules `decide` enforces; a rejection names the one broken. */
export type Rule =
  | "history-starts-with-message"
  | "one-message-per-execution"
  | "nothing-after-response"
  | "only-response-after-fatal-error"
  | "plan-is-a-dag"
  | "one-pending-approval"
  | "approval-answers-a-request"
  | "no-tool-while-approval-pending"
  | "completion-closes-an-open-invocation"

/** A command that would break a lifecycle rule. */
export class RuleViolation extends Data.TaggedError("RuleViolation")<{
  readonly rule: Rule
  readonly eventType: ExecutionEvent["type"]
  readonly detail: string
}> {
  override get message() {
    return `${this.eventType} refused (${this.rule}): ${this.detail}`
  }
}

const violation = (rule: Rule, event: ExecutionEvent, detail: string) =>
  Either.left(new RuleViolation({ rule, eventType: event.type, detail }))

/**
 * Whether `event` may be appended to a stream in `state`. Used by `decide`, and by imports
 * that ask for strict checking of recorded histories.
 */
export const check = (state: ExecutionState, event: ExecutionEvent): Either.Either<ExecutionEvent, RuleViolation> => {
  if (!state.started) {
    return event.type === "MessageReceived"
      ? Either.right(event)
      : violation("history-starts-with-message", event, "the execution has no MessageReceived yet")
  }
  if (event.type === "MessageReceived") {
    return violation("one-message-per-execution", event, "the execution already has its MessageReceived")
  }
  if (state.responded) {
    return violation("nothing-after-response", event, "a response was already sent")
  }
  // Before a response, only a fatal ErrorOccurred makes the status failed.
  if (state.status === "failed" && event.type !== "ResponseSent") {
    return violation("only-response-after-fatal-error", event, "a fatal error ended the execution")
  }
  switch (event.type) {
    case "PlanGenerated":
      return Either.match(validatePlan(event.plan.steps), {
        onLeft: (e) => violation("plan-is-a-dag", event, e.message),
        onRight: () => Either.right(event)
      })
    case "ApprovalRequested":
      return state.pendingApproval !== null
        ? violation("one-pending-approval", event, `approval for "${state.pendingApproval.action}" is still pending`)
        : Either.right(event)
    case "ApprovalReceived":
      return state.pendingApproval === null
        ? violation("approval-answers-a-request", event, "no approval was requested")
        : Either.right(event)
    case "ToolInvoked":
      return state.pendingApproval !== null
        ? violation(
            "no-tool-while-approval-pending",
            event,
            `approval for "${state.pendingApproval.action}" is pending`
          )
        : Either.right(event)
    case "ToolCompleted":
      return state.openTools.includes(event.tool)
        ? Either.right(event)
        : violation("completion-closes-an-open-invocation", event, `no open invocation of ${event.tool}`)
    case "ResponseSent":
    case "ErrorOccurred":
      return Either.right(event)
  }
}

/** What can be asked of an execution. Raw inputs and outputs: `decide` masks the copies. */
export type ExecutionCommand =
  | { readonly _tag: "ReceiveMessage"; readonly message: NormalizedMessage; readonly timestamp: Timestamp }
  | {
      readonly _tag: "RecordPlan"
      readonly plan: ExecutionPlan
      readonly model_used: string
      readonly tokens_used: number
      readonly timestamp: Timestamp
    }
  | {
      readonly _tag: "RequestApproval"
      readonly action: string
      readonly risk_level: RiskLevel
      readonly tool: string
      readonly description: string
      readonly input: unknown
      readonly step_index: number | null
      readonly expires_at: Timestamp | null
      readonly timestamp: Timestamp
    }
  | {
      readonly _tag: "ReceiveApproval"
      readonly approved: boolean
      readonly modified: string | null
      readonly timestamp: Timestamp
    }
  | { readonly _tag: "InvokeTool"; readonly tool: string; readonly input: unknown; readonly timestamp: Timestamp }
  | {
      readonly _tag: "CompleteTool"
      readonly tool: string
      readonly output: ToolResult
      readonly duration_ms: number
      readonly timestamp: Timestamp
    }
  | { readonly _tag: "SendResponse"; readonly text: string; readonly channel: Channel; readonly timestamp: Timestamp }
  | {
      readonly _tag: "RecordError"
      readonly error: string
      readonly error_type: ErrorType
      readonly recoverable: boolean
      readonly timestamp: Timestamp
    }

export interface Decider<C, S, E, Err> {
  readonly decide: (command: C, state: S) => Either.Either<ReadonlyArray<E>, Err>
  readonly evolve: (state: S, event: E) => S
  readonly initialState: S
}

export type ExecutionDecider = Decider<ExecutionCommand, ExecutionState, ExecutionEvent, RuleViolation>

const absurd = (value: never): never => {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}

/** The event a command asks for, before any rule is checked. */
const eventOf = (command: ExecutionCommand, mask: Events.Masker): ExecutionEvent => {
  switch (command._tag) {
    case "ReceiveMessage":
      return Events.messageReceived(command.message, command.timestamp)
    case "RecordPlan":
      return Events.planGenerated(command)
    case "RequestApproval":
      return Events.approvalRequested(command, mask)
    case "ReceiveApproval":
      return Events.approvalReceived(command)
    case "InvokeTool":
      return Events.toolInvoked(command, mask)
    case "CompleteTool":
      return Events.toolCompleted(command, mask)
    case "SendResponse":
      return Events.responseSent(command)
    case "RecordError":
      return Events.errorOccurred(command)
    default:
      return absurd(command)
  }
}

/** A decider whose masked copies are made by `mask` (the agent passes `maskSecrets`). */
export const makeDecider = (options: { readonly mask?: Events.Masker } = {}): ExecutionDecider => {
  const mask = options.mask ?? maskSensitive
  return {
    decide: (command, state) => Either.map(check(state, eventOf(command, mask)), (event) => [event]),
    evolve,
    initialState
  }
}

/** The decider with the seed's masker. */
export const decider: ExecutionDecider = makeDecider()
