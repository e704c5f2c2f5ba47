/** `cratos list`: executions, newest first, as a table or JSON. */
import { type ExecutionRow, ReadModel } from "@cratos/projector"
import { Clock, Duration, Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { ExitCode } from "../errors.js"
import { maskText } from "../../agent/appMasker.js"
import { paintStatusAt } from "../Colors.js"
import { Output } from "../Output.js"
import { catchUpReadModel } from "../ReadYourWrites.js"
import { shortTime, table } from "../Table.js"
import { resolveSince, resolveUntil } from "../TimeArg.js"
import { oneLine } from "../Timeline.js"

/** The JSON of a row: every field, snake_case, as the read model gives it. */
export const rowJson = (row: ExecutionRow) => ({ ...row })

/** Completed although some steps (tool calls) failed: marked `completed*` in the table. */
export const completedWithFailures = (row: ExecutionRow): boolean => row.status === "completed" && row.tool_failures > 0

export const FAILURES_NOTE = "* completed, but some steps failed (list --has-failures shows only these)"

/** The table; a note under it when a row is marked. */
export const listTable = (rows: ReadonlyArray<ExecutionRow>): ReadonlyArray<string> => [
  ...table<ExecutionRow>(
    [
      { header: "ID", value: (r) => r.id },
      { header: "CREATED (UTC)", value: (r) => shortTime(r.created_at) },
      { header: "USER", value: (r) => oneLine(r.user_id, 16) },
      { header: "CHANNEL", value: (r) => r.channel },
      { header: "STATUS", value: (r) => (completedWithFailures(r) ? `${r.status}*` : r.status) },
      {
        header: "TOOLS",
        value: (r) =>
          r.tool_calls === 0 ? "-" : `${r.tool_calls}${r.tool_failures > 0 ? ` (${r.tool_failures} failed)` : ""}`
      },
      { header: "MESSAGE", value: (r) => oneLine(maskText(r.input_text), 60) }
    ],
    rows
  ),
  ...(rows.some(completedWithFailures) ? ["", FAILURES_NOTE] : [])
]

/** How often `list --watch` prints the list again. */
export const WATCH_INTERVAL = Duration.seconds(2)

/**
 * `list`; with `--watch`, again every {@link WATCH_INTERVAL} under a line with the time, until
 * Ctrl-C (as `watch` does, without taking over the screen: the output stays a plain stream).
 */
export const list = (inv: InvocationOf<"list">) =>
  inv.flags.watch
    ? Effect.gen(function* () {
        const out = yield* Output
        for (;;) {
          const now = new Date(yield* Clock.currentTimeMillis).toISOString().replace("T", " ").slice(0, 19)
          if (!inv.flags.json)
            yield* out.line(`— ${now} UTC (every ${Duration.toSeconds(WATCH_INTERVAL)} s; Ctrl-C stops)`)
          yield* listOnce(inv)
          yield* Effect.sleep(WATCH_INTERVAL)
        }
      })
    : listOnce(inv)

const listOnce = (inv: InvocationOf<"list">) =>
  Effect.gen(function* () {
    const f = inv.flags
    const out = yield* Output
    yield* catchUpReadModel
    // Clock, not new Date(): a test can move time (TestClock).
    const now = new Date(yield* Clock.currentTimeMillis)
    const rows = yield* (yield* ReadModel).list({
      user: f.user,
      status: f.status,
      channel: f.channel,
      since: f.since === undefined ? undefined : resolveSince(f.since, now),
      until: f.until === undefined ? undefined : resolveUntil(f.until, now),
      search: f.search,
      hasFailures: f.hasFailures,
      limit: f.limit,
      offset: f.offset
    })
    if (f.json) {
      yield* out.line(JSON.stringify(rows.map(rowJson), null, 2))
    } else if (rows.length === 0) {
      yield* out.line("(no executions)")
    } else {
      const [header, ...lines] = listTable(rows)
      yield* out.line(header!)
      const at = header!.indexOf("STATUS")
      for (const [i, line] of lines.entries()) {
        const row = rows[i]
        if (out.colors && row !== undefined) yield* out.paintedLine(line, (text) => paintStatusAt(text, at, row.status))
        else yield* out.line(line)
      }
    }
    return ExitCode.Ok
  })
