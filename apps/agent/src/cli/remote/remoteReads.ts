/**
 * `cratos --server URL --token T list|show|stats`: the same output as the local commands, read
 * through the API with the typed client (rows and events decode to the same types the local
 * commands print).
 */
import { Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { Output } from "../Output.js"
import { resolveSince, resolveUntil } from "../TimeArg.js"
import { formatStateAt, formatTimeline } from "../Timeline.js"
import { completedWithFailures, listTable, rowJson } from "../commands/list.js"
import { stateJson, wireOf } from "../commands/show.js"
import { statsLines } from "../commands/stats.js"
import { Execution, Timestamp } from "@cratos/domain"
import type { ExecutionPage, ExecutionRow } from "@cratos/http"
import { makeClient, remoteExecutionId, remoteFailure } from "./RemoteApi.js"

const PAGE = 1_000

const iso = (d: Date | string) => (typeof d === "string" ? d : d.toISOString()) as Timestamp.Timestamp

export const remoteList = (inv: InvocationOf<"list">) =>
  Effect.gen(function* () {
    const f = inv.flags
    const out = yield* Output
    const client = yield* makeClient(f)
    const now = new Date()
    const want = (f.offset ?? 0) + (f.limit ?? 50)
    const rows: Array<ExecutionRow> = []
    let cursor: string | undefined
    while (rows.length < want) {
      const page: ExecutionPage = yield* client.executions.list({
        urlParams: {
          user: f.user,
          status: f.status,
          channel: f.channel,
          since: f.since === undefined ? undefined : iso(resolveSince(f.since, now)),
          until: f.until === undefined ? undefined : iso(resolveUntil(f.until, now)),
          search: f.search,
          limit: Math.min(PAGE, want - rows.length),
          cursor
        }
      })
      // the HTTP API has no such filter: --has-failures filters each page here (paging goes on until enough)
      rows.push(...(f.hasFailures ? page.items.filter(completedWithFailures) : page.items))
      if (page.next_cursor === null) break
      cursor = page.next_cursor
    }
    const shown = rows.slice(f.offset ?? 0, want)
    if (f.json) yield* out.line(JSON.stringify(shown.map(rowJson), null, 2))
    else if (shown.length === 0) yield* out.line("(no executions)")
    else for (const line of listTable(shown)) yield* out.line(line)
    return ExitCode.Ok
  }).pipe(Effect.mapError((e) => (e instanceof CliFailure ? e : remoteFailure(inv.flags.server ?? "")(e))))

export const remoteShow = (inv: InvocationOf<"show">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const client = yield* makeClient(inv.flags)
    const id = yield* remoteExecutionId(client, inv.args)
    const detail = yield* client.executions.show({
      path: { id },
      urlParams: { at: inv.flags.at, ...(inv.flags.reveal ? { reveal: "true" as const } : {}) }
    })
    const row = detail.execution
    if (inv.flags.at !== undefined) {
      const shown = detail.events
      const total = detail.total_events ?? shown.length
      const state = Execution.fold(shown)
      if (inv.flags.json) {
        yield* out.line(
          JSON.stringify(
            {
              execution: row,
              at: shown.length,
              total_events: total,
              state: stateJson(state),
              events: yield* wireOf(shown)
            },
            null,
            2
          )
        )
      } else for (const line of formatStateAt(row, state, shown, total, { full: inv.flags.full })) yield* out.line(line)
      return ExitCode.Ok
    }
    if (inv.flags.json)
      yield* out.line(JSON.stringify({ execution: row, events: yield* wireOf(detail.events) }, null, 2))
    else for (const line of formatTimeline(row, detail.events, { full: inv.flags.full })) yield* out.line(line)
    return ExitCode.Ok
  }).pipe(Effect.mapError((e) => (e instanceof CliFailure ? e : remoteFailure(inv.flags.server ?? "")(e))))

export const remoteStats = (inv: InvocationOf<"stats">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const client = yield* makeClient(inv.flags)
    const since = inv.flags.since === undefined ? undefined : iso(resolveSince(inv.flags.since, new Date()))
    const result = yield* client.log.stats({ urlParams: { since } })
    if (inv.flags.json) yield* out.line(JSON.stringify(result, null, 2))
    else {
      const { since: at, ...stats } = result
      for (const line of statsLines(stats, at)) yield* out.line(line)
    }
    return ExitCode.Ok
  }).pipe(Effect.mapError((e) => (e instanceof CliFailure ? e : remoteFailure(inv.flags.server ?? "")(e))))

export { Timestamp }
