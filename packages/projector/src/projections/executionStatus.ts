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

/** Thrown for an event whose execution has no row to keep a status in. */
export class MissingExecution extends Error {
  constructor(executionId: string) {
    super(`execution ${executionId} has no executions row and no MessageReceived before this event`)
  }
}

/** An `executions` row created from a MessageReceived (its row was missing). */
export interface NewExecution {
  readonly id: string
  readonly userId: string
  readonly channel: string
  readonly inputText: string
  readonly createdAt: string
}

export interface StatusChanges {
  readonly inserts: ReadonlyArray<NewExecution>
  readonly updates: ReadonlyArray<{ readonly id: string } & StatusState>
}

interface Entry {
  state: StatusState
  readonly initial: StatusState
}

const PENDING: StatusState = { status: "pending", completed_at: null }

/** Folds a batch over the executions' current statuses (pure). */
export const foldStatuses = (
  events: ReadonlyArray<StoredEvent>,
  rows: ReadonlyMap<string, StatusState>
): StatusChanges => {
  const touched = new Map<string, Entry>()
  const inserts: Array<NewExecution> = []
  for (const stored of events) {
    let entry = touched.get(stored.executionId)
    if (entry === undefined) {
      let initial = rows.get(stored.executionId)
      if (initial === undefined) {
        if (stored.event.type !== "MessageReceived") throw new MissingExecution(stored.executionId)
        const m = stored.event.message
        inserts.push({
          id: stored.executionId,
          userId: stored.userId,
          channel: m.channel_type,
          inputText: m.text,
          createdAt: stored.event.timestamp
        })
        initial = PENDING
      }
      entry = { state: initial, initial }
      touched.set(stored.executionId, entry)
    }
    entry.state = evolveStatus(entry.state, stored.event)
  }
  const updates: Array<{ readonly id: string } & StatusState> = []
  for (const [id, entry] of touched) {
    if (entry.state.status !== entry.initial.status || entry.state.completed_at !== entry.initial.completed_at) {
      updates.push({ id, ...entry.state })
    }
  }
  return { inserts, updates }
}

interface StatusRow {
  readonly id: string
  readonly status: string
  readonly completed_at: string | null
}

const stateOf = (row: StatusRow): StatusState => ({
  status: row.status as ExecutionStatus,
  completed_at: row.completed_at as Timestamp.Timestamp | null
})

const RESET_SQL = `UPDATE executions SET status = 'pending', completed_at = NULL
      WHERE status <> 'pending' OR completed_at IS NOT NULL`

export const executionStatus = defineProjection({
  name: "execution_status",
  version: 1,
  canHandle: ALL_EVENT_TYPES,
  fold: foldStatuses,
  sqlite: {
    load: (ctx, ids) => {
      const select = ctx.statement<[string], StatusRow>(`SELECT id, status, completed_at FROM executions WHERE id = ?`)
      const rows = new Map<string, StatusState>()
      for (const id of ids) {
        const row = select.get(id)
        if (row !== undefined) rows.set(id, stateOf(row))
      }
      return rows
    },
    write: (ctx, { inserts, updates }) => {
      if (inserts.length > 0) {
        const insert = ctx.statement<[string, string, string, string, string]>(
          `INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`
        )
        for (const r of inserts) insert.run(r.id, r.userId, r.channel, r.inputText, r.createdAt)
      }
      const update = ctx.statement<[string, string | null, string]>(
        `UPDATE executions SET status = ?, completed_at = ? WHERE id = ?`
      )
      for (const u of updates) update.run(u.status, u.completed_at, u.id)
    },
    reset: (ctx) => {
      ctx.statement(RESET_SQL).run()
    }
  },
  postgres: {
    load: async (ctx, ids) => {
      const rows = await ctx.query<StatusRow>({
        name: "cratos_status_load",
        text: `SELECT id, status, completed_at FROM executions WHERE id = ANY($1::text[])`,
        values: [ids]
      })
      return new Map(rows.map((r) => [r.id, stateOf(r)]))
    },
    write: async (ctx, { inserts, updates }) => {
      if (inserts.length > 0) {
        await ctx.query({
          name: "cratos_status_insert",
          text: `INSERT INTO executions (id, user_id, channel, input_text, status, created_at)
SELECT u.id, u.user_id, u.channel, u.input_text, 'pending', u.created_at
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, user_id, channel, input_text, created_at)`,
          values: [
            inserts.map((r) => r.id),
            inserts.map((r) => r.userId),
            inserts.map((r) => r.channel),
            inserts.map((r) => r.inputText),
            inserts.map((r) => r.createdAt)
          ]
        })
      }
      if (updates.length > 0) {
        await ctx.query({
          name: "cratos_status_update",
          text: `UPDATE executions AS e SET status = u.status, completed_at = u.completed_at
FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, status, completed_at) WHERE e.id = u.id`,
          values: [updates.map((u) => u.id), updates.map((u) => u.status), updates.map((u) => u.completed_at)]
        })
      }
    },
    reset: async (ctx) => {
      await ctx.query({ text: RESET_SQL })
    }
  }
})
