/**
 * The Agent: one message in, one recorded execution out.
 *
 *   MessageReceived → PlanGenerated → per wave of the plan's DAG (domain `planWaves`):
 *     1. sequentially, for each step: skip it if a dependency did not succeed; if its risk needs
 *        approval under the policy, ApprovalRequested → ask the Approver → ApprovalReceived
 *        (declined: the step is not run);
 *     2. the approved steps side by side (bounded concurrency): ToolInvoked → run → ToolCompleted,
 *        and for a failure ErrorOccurred (recoverable: the execution goes on);
 *   → ResponseSent with what was asked for and what did not work. Status completed.
 *
 * Fatal paths (status failed): the planner fails (ErrorOccurred with its type, recoverable
 * false, then a ResponseSent telling the person), the decider refuses a command (a bug: fatal
 * Internal), or the run is interrupted (fatal Internal "interrupted"). Skipped steps record no
 * event; the response reports them. When every step fails the execution still completes: the
 * response describes each failure.
 *
 * Every append goes through `ExecutionRecorder` (decider + expectedVersion, serialized). Only
 * a store failure escapes as AgentFailure; before it does, the agent reloads the stream and
 * tries to close the execution as failed (this works when another writer moved the stream,
 * not when the disk is full).
 *
 * The service's interface (what a run asks for and returns) is in `AgentShape.ts`, for the CLI
 * and the API.
 */
import {
  type ApprovalPolicy,
  defaultApprovalPolicy,
  type ErrorType,
  type ExecutionPlan,
  needsApproval,
  normalizeMessage,
  planWaves,
  riskOf,
  type RuleViolation,
  type ToolResult,
  Uuid
} from "@cratos/domain"
import { EventStore } from "@cratos/store"
import { Context, Effect, Either, Layer, Option } from "effect"
import { PlannerError } from "../planner/PlannerError.js"
import type { PlannerKind } from "../planner/PlannerKind.js"
import { Planners } from "../planner/Planners.js"
import type { PlanResult } from "../planner/PlanResult.js"
import { Tools, type ToolsOptions } from "../tools/Tools.js"
import { AgentFailure } from "./AgentFailure.js"
import type { AgentShape, ApprovalPrompt, Progress, RunRequest, RunResult } from "./AgentShape.js"
import * as ExecutionRecorder from "./ExecutionRecorder.js"
import { mask, maskText } from "./appMasker.js"
import { millis, now } from "./now.js"
import { RandomBytes } from "./RandomBytes.js"
import { WriterLeases } from "@cratos/store"
import { composeResponse, DEFAULT_RESPONSE_BYTES } from "./Response.js"
import * as StepOutcome from "./StepOutcome.js"

export interface AgentOptions {
  /** Which risks need a person's approval (default: Write and up). */
  readonly policy?: ApprovalPolicy
  /** Steps of one wave run side by side, at most this many at once (default 4). */
  readonly concurrency?: number
  /** Byte budget of the response text (default 8 KiB). */
  readonly responseBytes?: number
}

type Recorder = ExecutionRecorder.ExecutionRecorder

const notify = (request: RunRequest, progress: Progress) =>
  Effect.sync(() => {
    try {
      request.onProgress?.(progress)
    } catch {
      // a progress display that throws must not break the execution
    }
  })

const defectReason = (defect: unknown) => (defect instanceof Error ? defect.message : String(defect))

const make = (
  options: AgentOptions = {}
): Effect.Effect<AgentShape, never, EventStore | Planners | Tools | RandomBytes> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const planners = yield* Planners
    const tools = yield* Tools
    const random = yield* RandomBytes
    const leases = yield* Effect.serviceOption(WriterLeases)
    const policy = options.policy ?? defaultApprovalPolicy
    const concurrency = Math.max(1, options.concurrency ?? 4)
    const responseBytes = options.responseBytes ?? DEFAULT_RESPONSE_BYTES

    const planWith = (text: string, kind: PlannerKind): Effect.Effect<PlanResult, PlannerError> =>
      planners.get(kind).pipe(
        Effect.flatMap((planner) => planner.plan(text)),
        Effect.catchAllDefect((defect) =>
          Effect.fail(
            new PlannerError({ errorType: "Internal", reason: `the planner crashed: ${defectReason(defect)}` })
          )
        )
      )

    const respond = (recorder: Recorder, text: string) =>
      Effect.flatMap(now, (timestamp) => recorder.record({ _tag: "SendResponse", text, channel: "cli", timestamp }))

    const recordError = (recorder: Recorder, errorType: ErrorType, error: string, recoverable: boolean) =>
      Effect.flatMap(now, (timestamp) =>
        recorder.record({ _tag: "RecordError", error: maskText(error), error_type: errorType, recoverable, timestamp })
      )

    /** Ends the execution as failed: a fatal ErrorOccurred, then the response telling the person. */
    const finishFatal = (recorder: Recorder, errorType: ErrorType, error: string, response: string) =>
      Effect.zipRight(recordError(recorder, errorType, error, false), respond(recorder, response))

    /** Asks for approval of step `index`; true when approved. */
    const approve = (recorder: Recorder, request: RunRequest, plan: ExecutionPlan, index: number) =>
      Effect.gen(function* () {
        const step = plan.steps[index]!
        const risk = riskOf(tools.risks, step.tool)
        const prompt: ApprovalPrompt = {
          executionId: recorder.executionId,
          stepIndex: index,
          tool: step.tool,
          description: maskText(step.description),
          riskLevel: risk,
          inputMasked: mask(step.input)
        }
        yield* recorder.record({
          _tag: "RequestApproval",
          action: `${step.tool}: ${step.description}`,
          risk_level: risk,
          tool: step.tool,
          description: step.description,
          input: step.input,
          step_index: index,
          expires_at: null,
          timestamp: yield* now
        })
        // an approver that crashes has not approved
        const approved = yield* request.approve(prompt).pipe(Effect.catchAllDefect(() => Effect.succeed(false)))
        // `--approve remote`: the decision was recorded by someone else (the HTTP API).
        if (request.approvalRecordedElsewhere === true) yield* recorder.resync
        if ((yield* recorder.state).pendingApproval !== null) {
          yield* recorder.record({ _tag: "ReceiveApproval", approved, modified: null, timestamp: yield* now })
        }
        return approved
      })

    /** Runs step `index` and records it; its outcome. */
    const runStep = (recorder: Recorder, request: RunRequest, plan: ExecutionPlan, index: number) =>
      Effect.gen(function* () {
        const step = plan.steps[index]!
        yield* recorder.record({ _tag: "InvokeTool", tool: step.tool, input: step.input, timestamp: yield* now })
        yield* notify(request, {
          _tag: "StepStarted",
          stepIndex: index,
          tool: step.tool,
          inputMasked: mask(step.input)
        })
        const started = yield* millis
        const result = yield* Effect.either(tools.run(step.tool, step.input, { workspace: request.workspace }))
        const durationMs = Math.max(0, Math.round((yield* millis) - started))
        const output: ToolResult = Either.match(result, {
          onRight: (ok) => ({ success: true, output: ok.output, error: null }),
          onLeft: (e) => ({ success: false, output: e.output ?? null, error: e.reason })
        })
        yield* recorder.record({
          _tag: "CompleteTool",
          tool: step.tool,
          output,
          duration_ms: durationMs,
          timestamp: yield* now
        })
        if (Either.isLeft(result)) {
          const e = result.left
          yield* recordError(recorder, e.errorType, `step ${index + 1} (${step.tool}) failed: ${e.reason}`, true)
        }
        yield* notify(request, {
          _tag: "StepFinished",
          stepIndex: index,
          tool: step.tool,
          success: Either.isRight(result),
          durationMs
        })
        return Either.match(result, {
          onRight: (ok) => StepOutcome.succeeded(ok.text),
          onLeft: (e) => StepOutcome.failed(e.errorType, e.reason, e.text)
        })
      })

    /** Runs the plan wave by wave; the outcome of every step. */
    const runPlan = (recorder: Recorder, request: RunRequest, plan: ExecutionPlan) =>
      Effect.gen(function* () {
        const outcomes: Array<StepOutcome.StepOutcome | undefined> = plan.steps.map(() => undefined)
        const waves = yield* Either.mapLeft(
          planWaves(plan.steps),
          (e) => new PlannerError({ errorType: "Internal", reason: `recorded plan is not a DAG: ${e.message}` })
        )
        for (const wave of waves) {
          const runnable: Array<number> = []
          for (const index of wave) {
            const step = plan.steps[index]!
            const blocked = step.depends_on
              .map((d) => StepOutcome.blockedBy(d, outcomes[d]))
              .find((o) => o !== undefined)
            if (blocked !== undefined) {
              outcomes[index] = blocked
              continue
            }
            if (tools.get(step.tool) === undefined) {
              const reason = `unknown tool ${JSON.stringify(step.tool)}`
              yield* recordError(recorder, "Validation", `step ${index + 1} not run: ${reason}`, true)
              outcomes[index] = StepOutcome.failed("Validation", reason)
              continue
            }
            if (needsApproval(policy, riskOf(tools.risks, step.tool))) {
              const approved = yield* approve(recorder, request, plan, index)
              if (!approved) {
                outcomes[index] = StepOutcome.declined
                yield* notify(request, { _tag: "StepDeclined", stepIndex: index, tool: step.tool })
                continue
              }
            }
            runnable.push(index)
          }
          yield* Effect.forEach(
            runnable,
            (index) =>
              Effect.map(runStep(recorder, request, plan, index), (outcome) => {
                outcomes[index] = outcome
              }),
            { concurrency, discard: true }
          )
        }
        return outcomes
      })

    /** Plans, runs and responds; fails only with a rule violation, a store failure or a bad plan. */
    const execute = (recorder: Recorder, request: RunRequest) =>
      Effect.gen(function* () {
        const planned = yield* Effect.either(planWith(request.text, request.planner))
        if (Either.isLeft(planned)) {
          const e = planned.left
          yield* finishFatal(
            recorder,
            e.errorType,
            `planning failed: ${e.reason}`,
            `I could not plan this request (${e.errorType}): ${e.reason}`
          )
          return
        }
        const { plan, model_used, tokens_used, reply } = planned.right
        yield* recorder.record({ _tag: "RecordPlan", plan, model_used, tokens_used, timestamp: yield* now })
        yield* notify(request, { _tag: "Planned", plan })
        if (plan.steps.length === 0) {
          yield* respond(recorder, reply ?? "There is nothing to do for this request.")
          return
        }
        const outcomes = yield* runPlan(recorder, request, plan)
        yield* respond(recorder, composeResponse(plan, outcomes, responseBytes))
      })

    /** A bug (the decider refused, a defect): end the execution as failed if it can still be. */
    const failInternally = (recorder: Recorder, reason: string) =>
      finishFatal(
        recorder,
        "Internal",
        `internal error: ${reason}`,
        `Something went wrong inside the agent and the request was stopped: ${reason}`
      ).pipe(
        Effect.catchTag("RuleViolation", (v: RuleViolation) =>
          Effect.fail(
            new AgentFailure({ reason: `execution ${recorder.executionId} could not be closed: ${v.message}` })
          )
        )
      )

    const run = Effect.fn("Agent.run")(function* (request: RunRequest) {
      const timestamp = yield* now
      const bytes = yield* random.next(32)
      const executionId = Uuid.uuidV4FromBytes(bytes.subarray(0, 16))
      const messageId = Uuid.uuidV4FromBytes(bytes.subarray(16, 32))
      yield* Effect.annotateCurrentSpan({ executionId, planner: request.planner })
      const message = normalizeMessage({
        id: messageId,
        channel_type: "cli",
        channel_id: "cli",
        user_id: request.userId,
        message_id: messageId,
        text: request.text,
        timestamp,
        thread_id: request.rerunOf ?? null,
        is_reply: request.rerunOf !== undefined
      })
      const recorded = Effect.gen(function* () {
        const recorder = yield* ExecutionRecorder.start(store, executionId, {
          _tag: "ReceiveMessage",
          message,
          timestamp
        }).pipe(
          Effect.catchTag("RuleViolation", (v: RuleViolation) =>
            Effect.fail(new AgentFailure({ reason: `could not start the execution: ${v.message}` }))
          )
        )
        yield* execute(recorder, request).pipe(
          Effect.catchTags({
            RuleViolation: (v: RuleViolation) => failInternally(recorder, v.message),
            PlannerError: (e: PlannerError) => failInternally(recorder, e.reason)
          }),
          Effect.catchAllDefect((defect) => failInternally(recorder, defectReason(defect))),
          Effect.onInterrupt(() => failInternally(recorder, "interrupted").pipe(Effect.ignore)),
          // the store refused an append: close the execution as failed if the store still takes
          // writes (another writer moved the stream), then report the failure anyway
          Effect.tapErrorTag("AgentFailure", (failure) =>
            recorder.resync.pipe(Effect.zipRight(failInternally(recorder, failure.reason)), Effect.ignore)
          )
        )
        // status and response as recorded
        const state = yield* recorder.state
        return {
          executionId,
          status: state.status,
          response: (yield* recorder.response) ?? "",
          lastPosition: yield* recorder.lastPosition
        } satisfies RunResult
      })
      // the lease says this process is writing the execution (a dead writer's is found and closed)
      return yield* Option.match(leases, {
        onNone: () => recorded,
        onSome: (l) =>
          l
            .hold(executionId, recorded)
            .pipe(
              Effect.catchTag("StorageError", (e) =>
                Effect.fail(new AgentFailure({ reason: `could not take the writer lease: ${e.message}` }))
              )
            )
      })
    })

    return {
      run: (request) => run(request),
      plan: (text, kind) => planWith(text, kind).pipe(Effect.withSpan("Agent.plan", { attributes: { planner: kind } }))
    } satisfies AgentShape
  })

export class Agent extends Context.Tag("@cratos/agent/Agent")<Agent, AgentShape>() {
  /** The Agent from its services (EventStore, Planners, Tools, RandomBytes). */
  static readonly make = make

  /** {@link Agent.make} as a layer; its services come from the caller. */
  static readonly layerWithoutDependencies = (options: AgentOptions = {}) => Layer.effect(Agent, make(options))

  /**
   * The Agent with the built-in planners (rules; LLM from the environment), the built-in tools
   * (workspace: the current directory unless a run names one) and crypto randomness.
   * Needs an EventStore.
   */
  static readonly layerWith = (
    options: AgentOptions & { readonly tools?: ToolsOptions } = {}
  ): Layer.Layer<Agent, never, EventStore> =>
    Agent.layerWithoutDependencies(options).pipe(
      Layer.provide(Layer.mergeAll(Planners.layer, Tools.layer(options.tools), RandomBytes.layer))
    )

  /** {@link Agent.layerWith} with the defaults. Needs an EventStore. */
  static readonly layer: Layer.Layer<Agent, never, EventStore> = Agent.layerWith()
}
