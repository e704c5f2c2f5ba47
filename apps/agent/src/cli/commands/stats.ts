/** `cratos stats`: executions by status, tool calls and durations per tool, tokens by model. */
import { ReadModel, type Stats } from "@cratos/projector"
import { Clock, Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { ExitCode } from "../errors.js"
import { catchUpReadModel } from "../ReadYourWrites.js"
import { Output } from "../Output.js"
import { table } from "../Table.js"
import { resolveSince } from "../TimeArg.js"
import { duration } from "../Timeline.js"

export const statsLines = (stats: Stats, since: string | null): ReadonlyArray<string> => {
  const s = stats.executions_by_status
  const total = s.pending + s.running + s.completed + s.failed
  const lines: Array<string> = [
    `Executions${since === null ? "" : ` since ${since}`}: ${total} ` +
      `(completed ${s.completed}, failed ${s.failed}, running ${s.running}, pending ${s.pending})`,
    ""
  ]
  if (stats.tools.length === 0) lines.push("Tools: none called")
  else {
    lines.push("Tools:")
    lines.push(
      ...table(
        [
          { header: "TOOL", value: (t) => t.tool },
          { header: "CALLS", value: (t) => String(t.calls), right: true },
          { header: "FAILURES", value: (t) => String(t.failures), right: true },
          { header: "P50", value: (t) => duration(t.p50_ms), right: true },
          { header: "P95", value: (t) => duration(t.p95_ms), right: true }
        ],
        stats.tools
      ).map((l) => `  ${l}`)
    )
  }
  lines.push("")
  if (stats.tokens_by_model.length === 0) lines.push("Tokens: no plans recorded")
  else {
    lines.push("Tokens by model:")
    lines.push(
      ...table(
        [
          { header: "MODEL", value: (m) => m.model },
          { header: "TOKENS", value: (m) => String(m.tokens), right: true },
          { header: "EXECUTIONS", value: (m) => String(m.executions), right: true }
        ],
        stats.tokens_by_model
      ).map((l) => `  ${l}`)
    )
  }
  return lines
}

export const stats = (inv: InvocationOf<"stats">) =>
  Effect.gen(function* () {
    const out = yield* Output
    yield* catchUpReadModel
    const now = new Date(yield* Clock.currentTimeMillis)
    const since = inv.flags.since === undefined ? undefined : resolveSince(inv.flags.since, now)
    const result = yield* (yield* ReadModel).stats({ since })
    if (inv.flags.json) {
      yield* out.line(JSON.stringify({ since: since ?? null, ...result }, null, 2))
    } else {
      for (const line of statsLines(result, since ?? null)) yield* out.line(line)
    }
    return ExitCode.Ok
  })
