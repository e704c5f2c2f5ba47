/**
 * The API's data types, taken from the shared HttpApi definition (`@cratos/http`) so the page and
 * the server cannot drift apart. Type-only imports: none of the definition's code reaches the bundle.
 */
export type { ExecutionEvent } from "@cratos/domain"
export type {
  ApprovalDecision,
  ExecutionDetail,
  ExecutionPage,
  ExecutionRow,
  PendingApproval,
  PendingApprovals,
  RerunLinks,
  StateAt,
  Stats,
  StatusPoint,
  StatusSeries
} from "@cratos/http"
