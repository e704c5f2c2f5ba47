/**
 * `cratos --server URL --token T export (<id>... | --all) [--out FILE]`: the lines local
 * `cratos export` writes, byte for byte, read through `GET /api/v1/executions/{id}/history`.
 *
 * `--all` pages through `GET /api/v1/log` (the events the token may see, in log position order,
 * as the local `--all` writes them), writing each page before asking for the next: memory is
 * bounded by the page, whatever the size of the log. Ids read each execution's history. A corrupt
 * row fails the server's read of that page or execution, where the local export skips the row.
 */
import type { LogPage } from "@cratos/http"
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

/** Every event the token may see, page by page in position order, each page given to `write`. */
const wholeLog = <E>(
  client: RemoteClient,
  write: (events: ReadonlyArray<StoredEvent>) => Effect.Effect<void, E>,
  reveal: boolean
) =>
  Effect.gen(function* () {
    let after: number | null = 0
    while (after !== null) {
      const page: LogPage = yield* client.export.log({
        urlParams: reveal ? { after, limit: PAGE, reveal: "true" } : { after, limit: PAGE }
      })
      yield* write(
        page.items.map((e) => ({
          position: e.position,
          executionId: e.execution_id,
          userId: e.user_id,
          event: e.event
        }))
      )
      after = page.next_after
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
          if (f.all) return yield* wholeLog(client, write, inv.flags.reveal)
          for (const ref of inv.args)
            yield* write(yield* history(client, yield* remoteExecutionId(client, ref), inv.flags.reveal))
        }),
      { force: f.force }
    )
    yield* reportExported(f, written)
    return ExitCode.Ok
  }).pipe(Effect.mapError((e) => (e instanceof CliFailure ? e : remoteFailure(inv.flags.server ?? "")(e))))
