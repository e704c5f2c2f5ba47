/**
 * Two executions side by side (a rerun and its original): status, duration, the plan's steps
 * with their outcomes, tool calls, errors and the response, so a changed plan or a step that
 * failed only once stands out.
 */
import { describeEvent, duration } from "@cratos/agent/timeline"
import { get } from "../api/client.js"
import type { ExecutionDetail } from "../api/types.js"
import { maskedText } from "../lib/mask.js"
import { planOf, stepProgress } from "../lib/planProgress.js"
import { millisBetween } from "../lib/time.js"
import { useLoad } from "../lib/useLoad.js"
import { ProblemView } from "./Problem.js"
import { StatusBadge } from "./StatusBadge.js"
import { Time } from "./Time.js"

const Side = ({ id, other }: { readonly id: string; readonly other: string }) => {
  const [detail] = useLoad(id, (signal) => get<ExecutionDetail>(`/api/v1/executions/${id}`, {}, signal))
  if (detail.state === "loading") return <p aria-busy="true">Loading…</p>
  if (detail.state === "error") return <ProblemView problem={detail.problem} />
  const { execution: row, events } = detail.value
  const plan = planOf(events)
  const progress = plan === null ? [] : stepProgress(plan, events)
  const ms = millisBetween(row.created_at, row.completed_at)
  const response = events.find((e) => e.type === "ResponseSent")
  const errors = events.filter((e) => e.type === "ErrorOccurred")
  return (
    <section class="side" aria-label={`Execution ${id.slice(0, 8)}`}>
      <h2>
        <a href={`/executions/${id}`}>{id.slice(0, 8)}</a> <StatusBadge status={row.status} />
      </h2>
      <p>
        <Time at={row.created_at} /> · {ms === null ? "not finished" : duration(ms)} · {events.length} events ·{" "}
        {row.tool_calls} tool call{row.tool_calls === 1 ? "" : "s"} ({row.tool_failures} failed)
      </p>
      <h3>Plan</h3>
      {plan === null ? (
        <p class="muted">none</p>
      ) : (
        <ol class="steps">
          {plan.steps.map((s, i) => (
            <li key={i} class={`outcome-${progress[i]!.outcome.replace(" ", "-")}`}>
              <strong>{s.tool}</strong> — {progress[i]!.outcome}
              {progress[i]!.durationMs === null ? "" : ` in ${duration(progress[i]!.durationMs!)}`}
              <br />
              <span class="muted">{maskedText(s.description)}</span>
            </li>
          ))}
        </ol>
      )}
      <h3>Errors</h3>
      {errors.length === 0 ? <p class="muted">none</p> : <ul>{errors.map((e, i) => <li key={i}>{describeEvent(e).summary}</li>)}</ul>}
      <h3>Response</h3>
      <p class="message">{response?.type === "ResponseSent" ? maskedText(response.text) : "–"}</p>
      <p>
        <a href={`/executions/${id}?compare=${other}`}>Swap sides</a>
      </p>
    </section>
  )
}

export const Compare = ({ left, right }: { readonly left: string; readonly right: string }) => (
  <>
    <nav class="crumbs" aria-label="Breadcrumb">
      <a href="/">Executions</a> / <a href={`/executions/${left}`}>{left.slice(0, 8)}</a> / compare
    </nav>
    <h1>Comparison</h1>
    <div class="compare" data-testid="compare">
      <Side id={left} other={right} />
      <Side id={right} other={left} />
    </div>
  </>
)
