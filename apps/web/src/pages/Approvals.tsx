/**
 * `/approvals`: what waits for a person, with the action, its risk and the masked details, and
 * Approve / Deny (an optional modified text goes with the decision). The decision is appended by
 * the API through the decider; a waiting `cratos run --approve remote` goes on from it.
 */
import { useEffect, useState } from "preact/hooks"
import { ApiProblem, get, post } from "../api/client.js"
import { follow } from "../api/sse.js"
import type { ApprovalDecision, PendingApproval, PendingApprovals } from "../api/types.js"
import { JsonView } from "../components/JsonView.js"
import { ProblemView } from "../components/Problem.js"
import { Time } from "../components/Time.js"
import { maskedText } from "../lib/mask.js"
import { useLoad } from "../lib/useLoad.js"

const Card = ({ item, done }: { readonly item: PendingApproval; readonly done: (message: string) => void }) => {
  const [modified, setModified] = useState("")
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const decide = async (approved: boolean) => {
    setBusy(true)
    setError(null)
    const body: ApprovalDecision = modified.trim() === "" ? { approved } : { approved, modified: modified.trim() }
    try {
      await post(`/api/v1/executions/${item.execution_id}/approval`, body)
      done(`${approved ? "Approved" : "Denied"}: ${maskedText(item.action)}`)
    } catch (e) {
      setError(e instanceof ApiProblem ? `${e.title}${e.detail === "" ? "" : `: ${e.detail}`}` : String(e))
      setBusy(false)
    }
  }
  const field = `modified-${item.execution_id}`
  return (
    <article class={`approval risk-${item.risk_level}`} data-execution={item.execution_id}>
      <h2>{maskedText(item.action)}</h2>
      <p>
        <span class={`badge risk-${item.risk_level}`}>{item.risk_level}</span> · tool <code>{item.details.tool}</code> · by{" "}
        {maskedText(item.user_id)} · <Time at={item.requested_at} /> ·{" "}
        <a href={`/executions/${item.execution_id}`}>execution {item.execution_id.slice(0, 8)}</a>
      </p>
      <p>{maskedText(item.details.description)}</p>
      <JsonView value={item.details.input_masked} label="the step's input" />
      <label for={field}>Modified text (optional)</label>
      <textarea id={field} rows={2} value={modified} onInput={(e) => setModified((e.currentTarget as HTMLTextAreaElement).value)} />
      <div class="actions">
        <button type="button" onClick={() => decide(true)} disabled={busy}>
          Approve
        </button>
        <button type="button" class="danger" onClick={() => decide(false)} disabled={busy}>
          Deny
        </button>
      </div>
      {error === null ? null : (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </article>
  )
}

export const Approvals = () => {
  const [list, reload] = useLoad("approvals", (signal) => get<PendingApprovals>("/api/v1/approvals", {}, signal))
  const [message, setMessage] = useState<string | null>(null)
  // Live from the log's head (`?from=head`), not a replay of the whole log (which reloaded the list
  // for every approval ever requested). Opening (and each reconnect) reloads once: an approval
  // requested between the list's read and the stream's start is shown that way.
  useEffect(
    () =>
      follow("/api/v1/events?from=head", {
        onType: (type) => {
          if (type === "ApprovalRequested" || type === "ApprovalReceived") reload()
        },
        onState: (open) => {
          if (open) reload()
        }
      }),
    [reload]
  )
  return (
    <>
      <h1>Approvals</h1>
      <p role="status" class="muted">
        {message ?? ""}
      </p>
      {list.state === "loading" ? (
        <p aria-busy="true">Loading…</p>
      ) : list.state === "error" ? (
        <ProblemView problem={list.problem} />
      ) : list.value.items.length === 0 ? (
        <p data-testid="no-approvals">Nothing waits for approval.</p>
      ) : (
        list.value.items.map((item) => (
          <Card
            key={item.execution_id}
            item={item}
            done={(m) => {
              setMessage(m)
              reload()
            }}
          />
        ))
      )}
    </>
  )
}
