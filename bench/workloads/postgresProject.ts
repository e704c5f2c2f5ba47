/**
 * W4 on PostgreSQL: the projector catching up from position 0 with the status and summary
 * projections, and its raw `pg` ceiling (issue 13).
 *
 * Before every run (untimed) both projections are reset the projector's way: executions back to
 * pending, summaries deleted, both checkpoints at 0.
 *
 * The ceiling does the PostgreSQL backend's SQL work (PostgresProjectorBackend.ts) on one raw
 * client with no domain or Effect code, batch by batch (1000 log rows, as the projector's
 * default): the log page query (outside the write transaction, as the projector reads it),
 * JSON.parse of each row, then in one transaction per batch: the projector's transaction advisory
 * lock, the checkpoints read, the status fold (one `= ANY` read of the batch's executions, one
 * `unnest` UPDATE of those that changed), the summary fold (one `= ANY` read, one `unnest`
 * upsert), both checkpoints advanced in one UPDATE. The folds are bench/workloads/project.ts's
 * own copies (the SQLite ceiling's), not the projector's. What the ceiling leaves out is the
 * projector's own: decoding events through the domain's schemas, the poison-isolating SAVEPOINT
 * per projection, Effect.
 */
import { ProjectorDatabase, Projector } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import { poolTypes as types } from "@cratos/store/postgres"
import { Layer, Logger, LogLevel, ManagedRuntime } from "effect"
import pg from "pg"
import { PROJECTOR_LOCK_KEY } from "../../packages/projector/src/postgres/PostgresProjectorBackend.js"
import {
  BATCH,
  emptySummary,
  foldStatus,
  foldSummary,
  fromRow,
  PROJECTIONS,
  summaryValues,
  type Status,
  type Summary,
  type SummaryRow,
  type Wire
} from "./project.js"
import { READ_LOG_PAGE } from "./postgresRawSql.js"

const named = (name: string, text: string, values: Array<unknown> = []): pg.QueryConfig => ({ name, text, values })

const SUMMARY_COLUMNS = `execution_id, event_count, goal, step_count, tools_used, tool_calls, tool_failures, tool_time_ms,
  tokens_used, model_used, approval_pending, error_count, first_event_at, last_event_at, last_position`

const UPSERT = `INSERT INTO execution_summaries (${SUMMARY_COLUMNS})
SELECT * FROM unnest($1::text[], $2::int4[], $3::text[], $4::int4[], $5::text[], $6::int4[], $7::int4[], $8::int8[],
  $9::int8[], $10::text[], $11::int4[], $12::int4[], $13::text[], $14::text[], $15::int8[])
ON CONFLICT (execution_id) DO UPDATE SET event_count = excluded.event_count, goal = excluded.goal,
  step_count = excluded.step_count, tools_used = excluded.tools_used, tool_calls = excluded.tool_calls,
  tool_failures = excluded.tool_failures, tool_time_ms = excluded.tool_time_ms, tokens_used = excluded.tokens_used,
  model_used = excluded.model_used, approval_pending = excluded.approval_pending, error_count = excluded.error_count,
  first_event_at = excluded.first_event_at, last_event_at = excluded.last_event_at,
  last_position = excluded.last_position`

/** The projector's reset of both projections, as raw SQL (untimed). */
export const rawReset = async (url: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query("BEGIN")
    await client.query(`UPDATE executions SET status = 'pending', completed_at = NULL
      WHERE status <> 'pending' OR completed_at IS NOT NULL`)
    await client.query(`DELETE FROM execution_summaries`)
    for (const p of PROJECTIONS)
      await client.query(
        `INSERT INTO projection_checkpoints (name, version, position, updated_at) VALUES ($1, $2, 0, $3)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = 0, updated_at = excluded.updated_at`,
        [p.name, p.version, new Date().toISOString()]
      )
    await client.query("COMMIT")
  } finally {
    await client.end()
  }
}

/** The status and summary rows after a run, for checking that both sides wrote the same. */
export const projected = async (url: string): Promise<string> => {
  const client = new pg.Client({ connectionString: url, types })
  await client.connect()
  try {
    const s = await client.query(`SELECT id, status, completed_at FROM executions ORDER BY id`)
    const m = await client.query(`SELECT ${SUMMARY_COLUMNS} FROM execution_summaries ORDER BY execution_id`)
    const c = await client.query(`SELECT name, position FROM projection_checkpoints ORDER BY name`)
    return JSON.stringify([s.rows, m.rows, c.rows])
  } finally {
    await client.end()
  }
}

/** The projector's catch-up (the worker's layers, logs off): events/s; the reset is untimed. */
export const store = async (url: string): Promise<{ events: number; seconds: number }> => {
  const layer = Projector.layerOn({ projections: PROJECTIONS, batchSize: BATCH }).pipe(
    Layer.provide(ProjectorDatabase.postgres),
    Layer.provideMerge(EventStore.layerPostgres({ url })),
    Layer.provide(Logger.minimumLogLevel(LogLevel.None))
  )
  const rt = ManagedRuntime.make(layer)
  try {
    const projector = await rt.runPromise(Projector)
    await rt.runPromise(projector.reset())
    const t = performance.now()
    const out = await rt.runPromise(projector.catchUp)
    const seconds = (performance.now() - t) / 1000
    if (out.deadLetters !== 0) throw new Error(`W4: ${out.deadLetters} dead letters`)
    return { events: out.events, seconds }
  } finally {
    await rt.dispose()
  }
}

/** The ceiling: the backend's SQL on one raw client; resets first (untimed). */
export const ceiling = async (url: string): Promise<{ events: number; seconds: number }> => {
  await rawReset(url)
  const client = new pg.Client({ connectionString: url, types })
  await client.connect()
  try {
    const t = performance.now()
    const lastPosition = (
      await client.query<{ n: number }>(
        named("w4_last_position", `SELECT COALESCE(max(id), 0) AS n FROM execution_events`)
      )
    ).rows[0]!.n
    let from = 0
    let events = 0
    while (from < lastPosition) {
      const rows = (
        await client.query<[number, string, string, string]>({ ...READ_LOG_PAGE([from, BATCH]), rowMode: "array" })
      ).rows
      if (rows.length === 0) break
      const parsed = rows.map((r) => JSON.parse(r[3]) as Wire)
      const end = rows[rows.length - 1]![0]
      const ids = [...new Set(rows.map((r) => r[1]))]
      const now = new Date().toISOString()
      await client.query("BEGIN")
      await client.query(named("w4_lock", `SELECT pg_advisory_xact_lock(${PROJECTOR_LOCK_KEY})`))
      await client.query(
        named("w4_checkpoints", `SELECT name, version, position FROM projection_checkpoints ORDER BY name`)
      )
      // status
      const statusRows = await client.query<{ id: string; status: string; completed_at: string | null }>(
        named("w4_status_load", `SELECT id, status, completed_at FROM executions WHERE id = ANY($1::text[])`, [ids])
      )
      const statuses = new Map<string, Status>()
      for (const r of statusRows.rows)
        statuses.set(r.id, {
          status: r.status,
          completedAt: r.completed_at,
          initialStatus: r.status,
          initialCompletedAt: r.completed_at
        })
      for (let i = 0; i < rows.length; i++) foldStatus(statuses.get(rows[i]![1])!, parsed[i]!)
      const changed = [...statuses].filter(
        ([, s]) => s.status !== s.initialStatus || s.completedAt !== s.initialCompletedAt
      )
      if (changed.length > 0)
        await client.query(
          named(
            "w4_status_update",
            `UPDATE executions AS e SET status = u.status, completed_at = u.completed_at
FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, status, completed_at) WHERE e.id = u.id`,
            [changed.map(([id]) => id), changed.map(([, s]) => s.status), changed.map(([, s]) => s.completedAt)]
          )
        )
      // summary
      const summaryRows = await client.query<SummaryRow & { execution_id: string }>(
        named(
          "w4_summary_load",
          `SELECT ${SUMMARY_COLUMNS} FROM execution_summaries WHERE execution_id = ANY($1::text[])`,
          [ids]
        )
      )
      const summaries = new Map<string, Summary>(summaryRows.rows.map((r) => [r.execution_id, fromRow(r)]))
      for (let i = 0; i < rows.length; i++) {
        const id = rows[i]![1]
        let s = summaries.get(id)
        if (s === undefined) {
          s = emptySummary()
          summaries.set(id, s)
        }
        foldSummary(s, rows[i]![0], parsed[i]!)
      }
      const columns: Array<Array<unknown>> = Array.from({ length: 15 }, () => [])
      for (const [id, s] of summaries) {
        const values = summaryValues(id, s)
        for (let i = 0; i < values.length; i++) columns[i]!.push(values[i])
      }
      await client.query(named("w4_summary_upsert", UPSERT, columns))
      await client.query(
        named(
          "w4_advance",
          `UPDATE projection_checkpoints SET position = $1, updated_at = $2 WHERE name = ANY($3::text[])`,
          [end, now, PROJECTIONS.map((p) => p.name)]
        )
      )
      await client.query("COMMIT")
      events += rows.length
      from = end
    }
    return { events, seconds: (performance.now() - t) / 1000 }
  } finally {
    await client.end()
  }
}
