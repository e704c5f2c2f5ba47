/**
 * TEMPORARY until `@cratos/http` lands on this branch: the same shapes the shared definition
 * declares, built from the domain and read-model types. Replaced by re-exports from `@cratos/http`.
 */
import type { ApprovalDetails, ExecutionEvent, ExecutionPlan, ExecutionStatus, RiskLevel } from "@cratos/domain"
import type { ExecutionRow as Row, Stats as ReadStats } from "@cratos/projector"

export type ExecutionRow = Row
export interface ExecutionPage {
  readonly items: ReadonlyArray<ExecutionRow>
  readonly next_cursor: string | null
}
export interface StateAt {
  readonly status: ExecutionStatus
  readonly completed_at: string | null
  readonly version: number
  readonly pending_approval: { readonly action: string; readonly details: ApprovalDetails } | null
  readonly open_tools: ReadonlyArray<string>
  readonly plan: ExecutionPlan | null
  readonly responded: boolean
  readonly fatal_error: boolean
}
export interface ExecutionDetail {
  readonly execution: ExecutionRow
  readonly at?: number
  readonly total_events?: number
  readonly state?: StateAt
  readonly events: ReadonlyArray<ExecutionEvent>
}
export interface PendingApproval {
  readonly execution_id: string
  readonly user_id: string
  readonly action: string
  readonly risk_level: RiskLevel
  readonly details: ApprovalDetails
  readonly requested_at: string
}
export interface PendingApprovals {
  readonly items: ReadonlyArray<PendingApproval>
}
export interface ApprovalDecision {
  readonly approved: boolean
  readonly modified?: string
}
export type Stats = ReadStats & { readonly since: string | null }
