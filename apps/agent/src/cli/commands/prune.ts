/**
 * `cratos prune --older-than DAYS`: removes whole finished executions that ended more than DAYS
 * days ago, each with its events and read models in one transaction (the store's Retention);
 * never a part of one. `--dry-run` lists them and removes nothing.
 */
import { Timestamp } from "@cratos/domain"
import { ReadModel } from "@cratos/projector"
import { EventStore, Retention } from "@cratos/store"
import { Clock, Effect } from "effect"
import type { InvocationOf } from "../Commands.js"
import { ExitCode } from "../errors.js"
import { catchUpReadModel } from "../ReadYourWrites.js"
import { Output } from "../Output.js"

const DAY_MS = 86_400_000

export const prune = (inv: InvocationOf<"prune">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const retention = yield* Retention
    const store = yield* EventStore
    const readModel = yield* ReadModel
    const days = inv.flags.olderThan
    const dryRun = inv.flags.dryRun
    // Statuses come from the projection: bring it up to date so every finished execution counts.
    yield* catchUpReadModel
    const cutoff = Timestamp.fromDate(new Date((yield* Clock.currentTimeMillis) - days * DAY_MS))
    const ids = yield* retention.findPrunable(cutoff)
    const removed: Array<{ execution_id: string; status: string; completed_at: string | null; events: number }> = []
    for (const id of ids) {
      const row = yield* readModel.get(id)
      const events = dryRun ? yield* store.streamVersion(id) : (yield* retention.pruneExecution(id)).events
      removed.push({ execution_id: id, status: row.status, completed_at: row.completed_at, events })
      if (!inv.flags.json) {
        yield* out.line(
          `${dryRun ? "would remove" : "removed"} ${id} (${row.status} ${row.completed_at ?? "-"}, ${events} event${events === 1 ? "" : "s"})`
        )
      }
    }
    if (inv.flags.json) {
      yield* out.line(JSON.stringify({ dry_run: dryRun, older_than_days: days, cutoff, executions: removed }, null, 2))
    } else {
      const total = removed.reduce((n, r) => n + r.events, 0)
      yield* out.line(
        `${dryRun ? "would remove" : "removed"} ${removed.length} execution${removed.length === 1 ? "" : "s"} ` +
          `(${total} event${total === 1 ? "" : "s"}) finished before ${cutoff}`
      )
    }
    return ExitCode.Ok
  })
