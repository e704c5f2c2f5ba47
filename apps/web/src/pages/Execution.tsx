/**
 * `/executions/{id}`: the header, time travel (the state after event N), the plan graph, the
 * waterfall of tool calls and the timeline; events arrive through the execution's SSE stream
 * (stored first, then live, until `end`). `?compare=OTHER` shows two executions side by side.
 */
import { duration } from "@cratos/agent/timeline"
import { useLocation, useRoute } from "preact-iso"
import { useEffect, useRef, useState } from "preact/hooks"
import { get } from "../api/client.js"
import { follow } from "../api/sse.js"
import type { ExecutionDetail, ExecutionEvent, RerunLinks, StateAt } from "../api/types.js"
import { Compare } from "../components/Compare.js"
import { PlanGraph } from "../components/PlanGraph.js"
import { ProblemView } from "../components/Problem.js"
import { StatusBadge } from "../components/StatusBadge.js"
import { Time } from "../components/Time.js"
import { Timeline } from "../components/Timeline.js"
import { Waterfall } from "../components/Waterfall.js"
import { maskedText } from "../lib/mask.js"
import { planOf, stepProgress } from "../lib/planProgress.js"
import { millisBetween } from "../lib/time.js"
import { useLoad } from "../lib/useLoad.js"

/**
 * The execution this one re-ran and its reruns, as the log records them (a rerun's message names
 * its original as thread_id), from `/api/v1/executions/{id}/reruns`.
 */
const useRelations = (id: string): RerunLinks | null => {
  const [links] = useLoad(`reruns ${id}`, (signal) => get<RerunLinks>(`/api/v1/executions/${id}/reruns`, {}, signal))
  return links.state === "ready" ? links.value : null
}

const StatePanel = ({ state, at, total, events }: { readonly state: StateAt | null; readonly at: number; readonly total: number; readonly events: ReadonlyArray<ExecutionEvent> }) => {
  const plan = planOf(events)
  const progress = plan === null ? [] : stepProgress(plan, events)
  const done = progress.filter((p) => p.outcome === "succeeded" || p.outcome === "failed").length
  return (
    <dl class="state" data-testid="state" data-at={at}>
      <div>
        <dt>After event</dt>
        <dd>
          {at} of {total}
        </dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd data-testid="state-status">{state === null ? "…" : <StatusBadge status={state.status} />}</dd>
      </div>
      <div>
        <dt>Plan</dt>
        <dd data-testid="state-plan">
          {plan === null ? "none yet" : `${done} of ${plan.steps.length} steps done`}
        </dd>
      </div>
      <div>
        <dt>Pending approval</dt>
        <dd data-testid="state-approval">
          {state === null
            ? "…"
            : state.pending_approval === null
              ? "none"
              : `${maskedText(state.pending_approval.action)} (${state.pending_approval.details.tool})`}
        </dd>
      </div>
      <div>
        <dt>Open tools</dt>
        <dd>{state === null ? "…" : state.open_tools.length === 0 ? "none" : state.open_tools.join(", ")}</dd>
      </div>
    </dl>
  )
}

export const Execution = () => {
  const { params } = useRoute()
  const location = useLocation()
  const id = params["id"] ?? ""
  const compare = location.query["compare"]
  const [events, setEvents] = useState<ReadonlyArray<ExecutionEvent>>([])
  const [following, setFollowing] = useState(false)
  const [ended, setEnded] = useState(false)
  const [at, setAt] = useState<number | null>(null) // null: follow the latest event
  const [detail, reloadDetail] = useLoad(id, (signal) => get<ExecutionDetail>(`/api/v1/executions/${id}`, { at: 0 }, signal))
  const [state, setState] = useState<StateAt | null>(null)

  // events: the stream replays the stored ones, then follows; positions deduplicate a resume
  useEffect(() => {
    setEvents([])
    setEnded(false)
    setAt(null)
    const seen = new Set<number>()
    let buffer: Array<ExecutionEvent> = []
    let flush: ReturnType<typeof setTimeout> | null = null
    const stop = follow(`/api/v1/executions/${id}/events`, {
      onEvent: (event, position) => {
        if (Number.isFinite(position)) {
          if (seen.has(position)) return
          seen.add(position)
        }
        buffer.push(event)
        flush ??= setTimeout(() => {
          const batch = buffer
          buffer = []
          flush = null
          setEvents((old) => [...old, ...batch])
        }, 30)
      },
      onEnd: () => setEnded(true),
      onState: setFollowing
    })
    return () => {
      stop()
      if (flush !== null) clearTimeout(flush)
    }
  }, [id])

  const total = events.length
  const n = at === null ? total : Math.min(at, total)

  // the row (status, duration) follows new events
  useEffect(() => {
    if (total > 0) reloadDetail()
  }, [total, ended])

  // the state after event n, from the API (`?at=N`), a moment after the slider stops
  useEffect(() => {
    if (total === 0) return
    const timer = setTimeout(() => {
      get<ExecutionDetail>(`/api/v1/executions/${id}`, { at: n }).then(
        (d) => setState(d.state ?? null),
        () => setState(null)
      )
    }, 120)
    return () => clearTimeout(timer)
  }, [id, n, total])

  const row = detail.state === "ready" ? detail.value.execution : null
  const relations = useRelations(id)
  const shown = events.slice(0, n)
  const plan = planOf(shown) ?? planOf(events)
  const slider = useRef<HTMLInputElement>(null)

  if (detail.state === "error") return <ProblemView problem={detail.problem} />
  if (compare !== undefined && compare !== "") return <Compare left={id} right={compare} />
  const ms = row === null ? null : millisBetween(row.created_at, row.completed_at)
  return (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="/">Executions</a> / <span>{id.slice(0, 8)}</span>
      </nav>
      <div class="page-head">
        <h1>Execution</h1>
        {row === null ? null : <StatusBadge status={row.status} />}
        <span class={`live ${following ? "on" : ""}`} aria-live="polite">
          {following ? "● following live" : ended ? "ended" : "○ not live"}
        </span>
      </div>
      {row === null ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <dl class="facts">
          <div class="wide">
            <dt>Id</dt>
            <dd>
              <code>{row.id}</code>
            </dd>
          </div>
          <div>
            <dt>User</dt>
            <dd>{maskedText(row.user_id)}</dd>
          </div>
          <div>
            <dt>Channel</dt>
            <dd>{row.channel}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>
              <Time at={row.created_at} />
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{ms === null ? "–" : duration(ms)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>
              {row.tokens_used}
              {row.model_used === null ? "" : ` (${row.model_used})`}
            </dd>
          </div>
          <div class="wide">
            <dt>Message</dt>
            <dd class="message">{maskedText(row.input_text)}</dd>
          </div>
          {relations === null || (relations.rerun_of === null && relations.reruns.length === 0) ? null : (
            <div class="wide" data-testid="relations">
              <dt>Reruns</dt>
              <dd>
                {relations.rerun_of === null ? null : (
                  <span>
                    Rerun of <a href={`/executions/${relations.rerun_of.id}`}>{relations.rerun_of.id.slice(0, 8)}</a>{" "}
                    ({relations.rerun_of.status}, <a href={`/executions/${id}?compare=${relations.rerun_of.id}`}>compare</a>){" "}
                  </span>
                )}
                {relations.reruns.map((r) => (
                  <span key={r.id}>
                    Rerun: <a href={`/executions/${r.id}`}>{r.id.slice(0, 8)}</a> ({r.status},{" "}
                    <a href={`/executions/${id}?compare=${r.id}`}>compare</a>){" "}
                  </span>
                ))}
              </dd>
            </div>
          )}
        </dl>
      )}

      <section aria-labelledby="tt">
        <h2 id="tt">Time travel</h2>
        <div class="travel">
          <button type="button" aria-label="Previous event" onClick={() => setAt(Math.max(0, n - 1))} disabled={n === 0}>
            ◀
          </button>
          <label class="grow">
            <span class="sr-only">State after event</span>
            <input
              ref={slider}
              type="range"
              min={0}
              max={total}
              value={n}
              data-testid="travel"
              aria-valuetext={`after event ${n} of ${total}`}
              onInput={(e) => {
                const v = Number((e.currentTarget as HTMLInputElement).value)
                setAt(v >= total ? null : v)
              }}
            />
          </label>
          <button type="button" aria-label="Next event" onClick={() => setAt(n + 1 >= total ? null : n + 1)} disabled={n >= total}>
            ▶
          </button>
          <button type="button" class="secondary" onClick={() => setAt(null)} disabled={at === null}>
            Latest
          </button>
        </div>
        <StatePanel state={state} at={n} total={total} events={shown} />
      </section>

      <div class="two">
        <section aria-labelledby="plan">
          <h2 id="plan">Plan</h2>
          {plan === null ? <p class="muted">No plan (yet).</p> : <PlanGraph plan={plan} events={shown} />}
        </section>
        <section aria-labelledby="wf">
          <h2 id="wf">Tool calls</h2>
          <Waterfall events={shown} />
        </section>
      </div>

      <section aria-labelledby="tl">
        <h2 id="tl">Timeline</h2>
        <Timeline events={events} upTo={n} />
      </section>
    </>
  )
}
