/**
 * `/`: executions, newest first. Filters live in the address (status, user, channel, time range,
 * text search) so they survive a reload; paging follows the API's cursor; the whole-log SSE
 * brings new executions and status changes without a reload.
 */
import { duration, oneLine } from "@cratos/agent/timeline"
import { useLocation } from "preact-iso"
import { useEffect, useRef, useState } from "preact/hooks"
import { get } from "../api/client.js"
import { LIST_PAGE, listUrl } from "../api/early.js"
import { follow } from "../api/sse.js"
import type { ExecutionPage, ExecutionRow } from "../api/types.js"
import { ProblemView } from "../components/Problem.js"
import { StatusBadge } from "../components/StatusBadge.js"
import { Time } from "../components/Time.js"
import {
  CHANNELS,
  type Filters,
  filtersFromQuery,
  instantOfLocal,
  localOfInstant,
  queryOfFilters,
  STATUSES
} from "../lib/filters.js"
import { maskedText } from "../lib/mask.js"
import { millisBetween } from "../lib/time.js"
import { useLoad } from "../lib/useLoad.js"

const took = (row: ExecutionRow) => {
  const ms = millisBetween(row.created_at, row.completed_at)
  return ms === null ? "–" : duration(ms)
}

const FilterForm = ({ filters, apply }: { readonly filters: Filters; readonly apply: (f: Filters) => void }) => {
  const submit = (e: Event) => {
    e.preventDefault()
    const data = new FormData(e.currentTarget as HTMLFormElement)
    const text = (k: string) => String(data.get(k) ?? "").trim()
    apply({
      status: text("status"),
      user: text("user"),
      channel: text("channel"),
      since: instantOfLocal(text("since")),
      until: instantOfLocal(text("until")),
      search: text("search")
    })
  }
  return (
    <form class="filters" onSubmit={submit} aria-label="Filter executions" key={queryOfFilters(filters)}>
      <label>
        Status
        <select name="status">
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option value={s} key={s} selected={s === filters.status}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        User
        <input name="user" defaultValue={filters.user} autoComplete="off" />
      </label>
      <label>
        Channel
        <select name="channel">
          <option value="">any</option>
          {CHANNELS.map((c) => (
            <option value={c} key={c} selected={c === filters.channel}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="datetime-local" name="since" defaultValue={localOfInstant(filters.since)} />
      </label>
      <label>
        To
        <input type="datetime-local" name="until" defaultValue={localOfInstant(filters.until)} />
      </label>
      <label class="grow">
        Search
        <input type="search" name="search" defaultValue={filters.search} placeholder="text of the message" />
      </label>
      <div class="actions">
        <button type="submit">Apply</button>
        <a class="button secondary" href="/">
          Clear
        </a>
      </div>
    </form>
  )
}

export const Executions = () => {
  const location = useLocation()
  const filters = filtersFromQuery(location.query)
  const key = queryOfFilters(filters)
  const [extra, setExtra] = useState<{ readonly rows: ReadonlyArray<ExecutionRow>; readonly cursor: string | null } | null>(null)
  const [live, setLive] = useState(false)
  const [loadingMore, setLoadingMore] = useState(false)
  const query = { ...filters, limit: LIST_PAGE }
  // the same URL as the call `main.tsx` starts before the page renders (`api/early.ts`)
  const [page, reload] = useLoad(key, (signal) => get<ExecutionPage>(listUrl(filters), {}, signal))
  useEffect(() => setExtra(null), [key])

  // Live: any appended event may add an execution or change a status; reload the first page, at
  // most every 500 ms. The stream starts once the first page is shown, at the log's head
  // (`?from=head`): the rows come from the read model, so only what is appended after matters, and
  // replaying the whole log (200,000 events on a 100,000-execution database) to every open list
  // page kept the server busy for seconds. Opening (and each reconnect) reloads once too: an
  // append that fell between the page's read and the stream's start is shown that way.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null)
  const shown = page.state !== "loading"
  useEffect(() => {
    if (!shown) return
    const soon = () => {
      if (pending.current !== null) return
      pending.current = setTimeout(() => {
        pending.current = null
        reload()
      }, 500)
    }
    const stop = follow("/api/v1/events?from=head", {
      onType: soon,
      onState: (open) => {
        setLive(open)
        if (open) soon()
      }
    })
    return () => {
      stop()
      if (pending.current !== null) clearTimeout(pending.current)
    }
  }, [reload, shown])

  const apply = (f: Filters) => {
    const qs = queryOfFilters(f)
    location.route(qs === "" ? "/" : `/?${qs}`)
  }

  const first = page.state === "ready" ? page.value : null
  const rows = [...(first?.items ?? []), ...(extra?.rows ?? [])].filter(
    (r, i, all) => all.findIndex((o) => o.id === r.id) === i
  )
  const cursor = extra === null ? (first?.next_cursor ?? null) : extra.cursor
  const more = async () => {
    if (cursor === null) return
    setLoadingMore(true)
    try {
      const next = await get<ExecutionPage>("/api/v1/executions", { ...query, cursor })
      setExtra({ rows: [...(extra?.rows ?? []), ...next.items], cursor: next.next_cursor })
    } finally {
      setLoadingMore(false)
    }
  }

  return (
    <>
      <div class="page-head">
        <h1>Executions</h1>
        <span class={`live ${live ? "on" : ""}`} aria-live="polite">
          {live ? "● live" : "○ not live"}
        </span>
      </div>
      <FilterForm filters={filters} apply={apply} />
      {page.state === "error" ? (
        <ProblemView problem={page.problem} />
      ) : page.state === "loading" && extra === null ? (
        <p aria-busy="true">Loading…</p>
      ) : rows.length === 0 ? (
        <p>No executions{key === "" ? " yet" : " match these filters"}.</p>
      ) : (
        <>
          <table class="executions" data-testid="executions">
            <caption class="sr-only">Executions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">User</th>
                <th scope="col">Channel</th>
                <th scope="col">Duration</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-id={r.id}>
                  <td data-label="Status">
                    <StatusBadge status={r.status} />
                    {r.approval_pending ? <span class="badge waiting">approval</span> : null}
                  </td>
                  <td data-label="Started">
                    <Time at={r.created_at} />
                  </td>
                  <td data-label="User">{oneLine(maskedText(r.user_id), 24)}</td>
                  <td data-label="Channel">{r.channel}</td>
                  <td data-label="Duration">{took(r)}</td>
                  <td data-label="Message" class="message">
                    <a href={`/executions/${r.id}`}>{oneLine(maskedText(r.input_text), 90) || "(empty message)"}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor === null ? (
            <p class="muted">{rows.length} shown, no more.</p>
          ) : (
            <button type="button" onClick={more} disabled={loadingMore}>
              {loadingMore ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      )}
    </>
  )
}
