/**
 * Projecting events in the transaction that writes them (SQLite), for a writer that has them in
 * hand (`cratos import`): the read model then moves with the log, and nothing has to read the rows
 * back and decode them again (what a catch-up would do).
 *
 * Only when it is exact: every projection's checkpoint, at its current version, has reached the
 * log's end as it was before the writer's own rows (`logEnd`, read inside the same transaction),
 * so the given entries are all the log holds past the checkpoints. Otherwise (a projection to be
 * rebuilt, a log the projector has not caught up with) nothing is applied, and the projector's
 * catch-up does it later. The entries are applied by the projector's own batch applier (same
 * checkpoint checks, poison policy and dead letters), nested in the caller's transaction as a
 * SAVEPOINT: a failure of the projection undoes only the projection, never the writer's rows.
 */
import type { LogEntry } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"
import { type BatchOutcome, makeBatchApplier } from "./BatchApplier.js"
import type { PoisonPolicy } from "./PoisonPolicy.js"
import type { Projection } from "./Projection.js"
import { defaultProjections } from "./projections/index.js"
import { prepareCheckpoints } from "./sql/checkpoints.js"

export interface InlineProjection {
  /** The log's last position now (call it in the writer's transaction, before its inserts). */
  readonly logEnd: () => number
  /**
   * Inside the writer's transaction, after its inserts: applies `entries` (the rows written since
   * `logEnd`, by position) when every checkpoint stands at `logEnd`; undefined when not applied.
   */
  readonly apply: (logEnd: number, entries: ReadonlyArray<LogEntry>, now: string) => BatchOutcome | undefined
}

export const makeInlineProjection = (
  db: BetterSqlite3.Database,
  projections: ReadonlyArray<Projection> = defaultProjections,
  policy: PoisonPolicy = "dead-letter"
): InlineProjection => {
  const checkpoints = prepareCheckpoints(db)
  const last = db.prepare<[], number>(`SELECT coalesce(max(id), 0) FROM execution_events`).pluck(true)
  const applier = makeBatchApplier(db, projections, policy)
  const current = (logEnd: number): boolean =>
    projections.every((p) => {
      const cp = checkpoints.get(p.name)
      // ids only grow (AUTOINCREMENT): a checkpoint at or past the log's end has seen every row
      return cp !== undefined && cp.version === p.version && cp.position >= logEnd
    })
  return {
    logEnd: () => last.get() ?? 0,
    apply: (logEnd, entries, now) => {
      if (entries.length === 0 || !current(logEnd)) return undefined
      try {
        return applier(entries, now)
      } catch {
        // undone by the applier's savepoint; the projector's catch-up applies them (and reports)
        return undefined
      }
    }
  }
}
