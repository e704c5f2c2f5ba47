/**
 * `cratos --server URL --token T export (<id>... | --all) [--out FILE]`: the lines local
 * `cratos export` writes, byte for byte, read through `GET /api/v1/executions/{id}/history`.
 *
 * `--all` pages through the list route's cursor for the executions the token may see, reads each
 * one's history and writes every event in log position order, as the local `--all` does (the
 * events are held in memory to merge them: the API has no JSON route over the whole log). A
 * corrupt row fails the server's read of that execution, where the local export skips the row.
 */
import type { StoredEvent } from "@cratos/store"
import { Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { withOutputFile } from "../AtomicOutputFile.js"
import { checkExportTargets, exportLine, reportExported } from "../commands/export.js"
import { makeClient, type RemoteClient, remoteExecutionId, remoteFailure } from "./RemoteApi.js"

const PAGE = 1_000

/** One execution's stored events, as the local store gives them. */
const history = (client: RemoteClient, id: string, reveal: boolean) =>
  Effect.map(client.executions.history({ path: { id }, urlParams: reveal ? { reveal: "true" } : {} }), (h) =>
    h.events.map(
      (e): StoredEvent => ({ position: e.position, executionId: h.execution_id, userId: h.user_id, event: e.event })
    )
  )

/** Every execution id the token may see, through the list route's cursor. */
const allIds = (client: RemoteClient) =>
  Effect.gen(function* () {
    const ids: Array<string> = []
    let cursor: string | undefined
    for (;;) {
      const page = yield* client.executions.list({ urlParams: { limit: PAGE, cursor } })
      ids.push(...page.items.map((row) => row.id))
      if (page.next_cursor === null) return ids
      cursor = page.next_cursor
    }
  })

export const remoteExport = (inv: InvocationOf<"export">) =>
  Effect.gen(function* () {
    const f = inv.flags
    yield* checkExportTargets(f.all, inv.args)
    const client = yield* makeClient(f)
    let written = 0
    yield* withOutputFile(
      f.out,
      (sink) =>
        Effect.gen(function* () {
          const write = (events: ReadonlyArray<StoredEvent>) =>
            Effect.forEach(
              events,
              (stored) =>
                Effect.flatMap(exportLine(stored), (line) => sink.write(line)).pipe(Effect.tap(() => written++)),
              { discard: true }
            )
          if (f.all) {
            const histories = yield* Effect.forEach(yield* allIds(client), (id) =>
              history(client, id, inv.flags.reveal)
            )
            return yield* write(histories.flat().sort((a, b) => a.position - b.position))
          }
          for (const ref of inv.args)
            yield* write(yield* history(client, yield* remoteExecutionId(client, ref), inv.flags.reveal))
        }),
      { force: f.force }
    )
    yield* reportExported(f, written)
    return ExitCode.Ok
  }).pipe(Effect.mapError((e) => (e instanceof CliFailure ? e : remoteFailure(inv.flags.server ?? "")(e))))
