/**
 * `GET /api/v1/approvals`: the executions whose read-model row says an approval is pending, each
 * with its last ApprovalRequested (action, risk, masked details, when asked). The request is read
 * from the execution's stream only when the row's event count moved since it was last read
 * (ApprovalRequests): a page polling this route does not re-read every pending stream each time.
 */
import { type PendingApproval, PendingApprovals } from "@cratos/http"
import { ReadModel } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import { authenticate } from "../Authenticate.js"
import { fresh } from "../Freshness.js"
import { ServerContext } from "../ServerContext.js"
import { jsonResponse } from "../JsonResponse.js"
import { corruptProblem, invalidQueryProblem, storageProblem } from "../StoreProblems.js"
import { textView } from "../ContentView.js"

const PAGE = 1_000

export const listApprovals = Effect.gen(function* () {
  const principal = yield* authenticate("read")
  yield* fresh
  const readModel = yield* ReadModel
  const store = yield* EventStore
  const { approvalRequests } = yield* ServerContext
  const items: Array<PendingApproval> = []
  for (const status of ["running", "pending"] as const) {
    for (let offset = 0; ; offset += PAGE) {
      const rows = yield* readModel
        .list({ status, limit: PAGE, offset, ...(principal.userId === null ? {} : { user: principal.userId }) })
        .pipe(
          Effect.catchTags({ InvalidQuery: (e) => Effect.fail(invalidQueryProblem(e)), StorageError: storageProblem })
        )
      for (const row of rows.filter((r) => r.approval_pending)) {
        const requested = yield* approvalRequests.pending(
          row.id,
          row.event_count,
          store
            .readStream(row.id)
            .pipe(Effect.catchTags({ StorageError: storageProblem, CorruptEvent: corruptProblem }))
        )
        if (requested === null) continue
        items.push({
          execution_id: row.id,
          user_id: row.user_id,
          action: textView(requested.action),
          risk_level: requested.risk_level,
          details: requested.details,
          requested_at: requested.timestamp
        })
      }
      if (rows.length < PAGE) break
    }
  }
  return yield* jsonResponse(PendingApprovals, { items })
})
