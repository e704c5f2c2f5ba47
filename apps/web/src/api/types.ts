/**
 * The API's data types, taken from the shared HttpApi definition (`@cratos/http`) so the page and
 * the server cannot drift apart. Type-only imports: nothing of the server's code reaches the bundle.
 */
export type { ExecutionEvent } from "@cratos/domain"
export type {
  ExecutionRow,
  ExecutionPage,
  ExecutionDetail,
  StateAt,
  PendingApproval,
  PendingApprovals,
  ApprovalDecision,
  Stats
} from "./shared.js"
