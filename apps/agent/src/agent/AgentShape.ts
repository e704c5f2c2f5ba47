/**
 * The interface between the agent (apps/agent/src/agent) and its callers (the CLI, the API):
 * what a run asks for, what it reports while it runs, and what it returns. `Agent.ts` is the
 * service that implements it.
 */
import type { ExecutionPlan, RiskLevel } from "@cratos/domain"
import type { Effect } from "effect"
import type { PlannerError } from "../planner/PlannerError.js"
import type { PlannerKind } from "../planner/PlannerKind.js"
import type { PlanResult } from "../planner/PlanResult.js"
import type { AgentFailure } from "./AgentFailure.js"

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

export interface AgentShape {
  /** Runs one execution to its end and records it; failures inside are recorded, not raised. */
  readonly run: (request: RunRequest) => Effect.Effect<RunResult, AgentFailure>
  /** Plans a text without running or recording anything (`replay --mode dry-run`). */
  readonly plan: (text: string, planner: PlannerKind) => Effect.Effect<PlanResult, PlannerError>
}
