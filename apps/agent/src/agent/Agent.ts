/**
 * The agent: turns a message into an execution. It plans, asks for approval of risky steps,
 * runs tools in the plan's waves, and records every step through the EventStore, each append
 * guarded by the domain's decider.
 *
 * This file fixes the interface between the agent (apps/agent/src/agent) and the CLI
 * (apps/agent/src/cli); `AgentLive.ts` implements it.
 */
import type { ErrorType, ExecutionPlan, RiskLevel } from "@cratos/domain"
import { Context, Data, type Effect } from "effect"

/** What a person sees when asked to approve a step: masked, never the raw input. */
export interface ApprovalPrompt {
  readonly executionId: string
  readonly stepIndex: number
  readonly tool: string
  readonly description: string
  readonly riskLevel: RiskLevel
  /** The step's input, masked by `maskSecrets`. */
  readonly inputMasked: unknown
}

/** Decides an approval: yes, no, or ask a person (the CLI provides each). */
export type Approver = (prompt: ApprovalPrompt) => Effect.Effect<boolean>

/** Progress while an execution runs, for the CLI to show (masked data only). */
export type Progress =
  | { readonly _tag: "Planned"; readonly plan: ExecutionPlan }
  | { readonly _tag: "StepStarted"; readonly stepIndex: number; readonly tool: string; readonly inputMasked: unknown }
  | {
      readonly _tag: "StepFinished"
      readonly stepIndex: number
      readonly tool: string
      readonly success: boolean
      readonly durationMs: number
    }
  | { readonly _tag: "StepDeclined"; readonly stepIndex: number; readonly tool: string }

export type PlannerKind = "rules" | "llm"

export interface RunRequest {
  readonly text: string
  readonly userId: string
  /** Folder the file tools are confined to (absolute). */
  readonly workspace: string
  readonly planner: PlannerKind
  readonly approve: Approver
  /** The approver waits for a decision someone else records (`--approve remote`): read it, do not record one. */
  readonly approvalRecordedElsewhere?: boolean
  /** The execution this one re-runs (`cratos replay --mode rerun`); recorded as the message's thread_id. */
  readonly rerunOf?: string
  readonly onProgress?: (progress: Progress) => void
}

export interface RunResult {
  readonly executionId: string
  readonly status: "completed" | "failed" | "running" | "pending"
  /** The text of the ResponseSent (what the person asked for, truncated with a note when long). */
  readonly response: string
  /** Global position of the last event written, for read-your-writes. */
  readonly lastPosition: number
}

export interface PlanResult {
  readonly plan: ExecutionPlan
  readonly model_used: string
  readonly tokens_used: number
  /**
   * What to tell the person when the plan has no steps (added): the rule planner's list of
   * requests it understands, or the model's explanation. Not recorded in PlanGenerated.
   */
  readonly reply?: string
}

/** Planning failed (bad LLM answer, unreachable endpoint, a plan that breaks the rules). */
export class PlannerError extends Data.TaggedError("PlannerError")<{
  readonly errorType: ErrorType
  readonly reason: string
}> {
  override get message() {
    return this.reason
  }
}

export interface AgentShape {
  /** Runs one execution to its end and records it; failures inside are recorded, not raised. */
  readonly run: (request: RunRequest) => Effect.Effect<RunResult, AgentFailure>
  /** Plans a text without running or recording anything (`replay --mode dry-run`). */
  readonly plan: (text: string, planner: PlannerKind) => Effect.Effect<PlanResult, PlannerError>
}

/** The agent could not record the execution at all (storage failed); nothing half written. */
export class AgentFailure extends Data.TaggedError("AgentFailure")<{
  readonly reason: string
}> {
  override get message() {
    return this.reason
  }
}

export class Agent extends Context.Tag("@cratos/agent/Agent")<Agent, AgentShape>() {}
