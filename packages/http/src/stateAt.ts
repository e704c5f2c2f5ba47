/**
 * The state after N events as the API and `cratos show --at N --json` report it: one mapping of
 * the domain's folded `ExecutionState`, used by the server and the CLI alike.
 */
import type { Execution } from "@cratos/domain"
import type { StateAt } from "./Schemas.js"

export const stateAt = (state: Execution.ExecutionState): StateAt => ({
  status: state.status,
  completed_at: state.completed_at,
  version: state.version,
  pending_approval:
    state.pendingApproval === null
      ? null
      : { action: state.pendingApproval.action, details: state.pendingApproval.details },
  open_tools: state.openTools,
  plan: state.plan,
  responded: state.responded,
  fatal_error: state.status === "failed"
})
