/**
 * `executions.status` and `completed_at`, kept true to the fold of CONTRACT.md section 4 by the
 * domain's `evolveStatus` (the one implementation of it).
 *
 * Missing rows: an execution whose events are in the log but whose `executions` row is not (a
 * database written without foreign keys) gets its row from its MessageReceived: `user_id` of
 * the log row, `channel` and `input_text` of the message, `created_at` the event's timestamp.
 * An event of an execution with neither a row nor an earlier MessageReceived cannot be placed:
 * the handler throws and the projector treats it as a poison event.
 *
 * Reset puts every row back to `pending` with no `completed_at` (rows are the write side's and
 * are kept); the replay then folds each history from the start. So a database where another
 * program left statuses untouched, or set them its own way, is corrected on the first run.
 */
import { type ExecutionStatus, evolveStatus, type StatusState, type Timestamp } from "@cratos/domain"
import type { StoredEvent } from "@cratos/store"
import { ALL_EVENT_TYPES, defineProjection } from "../Projection.js"

interface Entry {
  state: StatusState
  readonly initial: StatusState
}

/** Thrown for an event whose execution has no row to keep a status in. */
export class MissingExecution extends Error {
  constructor(executionId: string) {
    super(`execution ${executionId} has no executions row and no MessageReceived before this event`)
  }
}

export const executionStatus = defineProjection({
  name: "execution_status",
  version: 1,
  canHandle: ALL_EVENT_TYPES,
  handle: (events, ctx) => {
    const select = ctx.statement<[string], { status: string; completed_at: string | null }>(
      `SELECT status, completed_at FROM executions WHERE id = ?`
    )
    const insert = ctx.statement<[string, string, string, string, string]>(
      `INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`
    )
    const touched = new Map<string, Entry>()
    const entryOf = (stored: StoredEvent): Entry => {
      const known = touched.get(stored.executionId)
      if (known !== undefined) return known
      const row = select.get(stored.executionId)
      let initial: StatusState
      if (row !== undefined) {
        initial = {
          status: row.status as ExecutionStatus,
          completed_at: row.completed_at as Timestamp.Timestamp | null
        }
      } else if (stored.event.type === "MessageReceived") {
        const m = stored.event.message
        insert.run(stored.executionId, stored.userId, m.channel_type, m.text, stored.event.timestamp)
        initial = { status: "pending", completed_at: null }
      } else {
        throw new MissingExecution(stored.executionId)
      }
      const entry = { state: initial, initial }
      touched.set(stored.executionId, entry)
      return entry
    }
    for (const stored of events) {
      const entry = entryOf(stored)
      entry.state = evolveStatus(entry.state, stored.event)
    }
    const update = ctx.statement<[string, string | null, string]>(
      `UPDATE executions SET status = ?, completed_at = ? WHERE id = ?`
    )
    for (const [id, entry] of touched) {
      if (entry.state.status !== entry.initial.status || entry.state.completed_at !== entry.initial.completed_at) {
        update.run(entry.state.status, entry.state.completed_at, id)
      }
    }
  },
  reset: (ctx) => {
    ctx
      .statement(`UPDATE executions SET status = 'pending', completed_at = NULL
      WHERE status <> 'pending' OR completed_at IS NOT NULL`)
      .run()
  }
})
