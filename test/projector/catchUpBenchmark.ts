/**
 * Benchmark: the projector catching up over a large log, against a hand-written better-sqlite3
 * loop doing the same status and summary updates with a checkpoint (JSON.parse, in-memory
 * aggregation per batch, one upsert per touched execution, BEGIN IMMEDIATE per batch).
 *
 *   pnpm exec tsx test/projector/catchUpBenchmark.ts [events=200000] [batch=1000] [rounds=3]
 *
 * Rounds alternate the two (after a reset of each), so machine load affects both alike.
 */
import { Projector } from "@cratos/projector"
import { Database, EventStore } from "@cratos/store"
import BetterSqlite3 from "better-sqlite3"
import { Effect, Layer, Logger, LogLevel } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { writeLargeLog } from "./largeLog.js"

const EVENTS = Number(process.argv[2] ?? 200_000)
const BATCH = Number(process.argv[3] ?? 1000)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-bench-"))

const create = (file: string) =>
  Effect.runPromise(writeLargeLog({ events: EVENTS, seed: 7 }).pipe(Effect.provide(Database.layer({ path: file }))))

/** The hand-written loop: what a careful engineer writes without the projector. */
const rawCatchUp = (file: string, withToolCalls: boolean) => {
  const db = new BetterSqlite3(file)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.pragma("foreign_keys = ON")
  db.prepare(
    `INSERT OR IGNORE INTO projection_checkpoints (name, version, position, updated_at) VALUES ('raw', 1, 0, '')`
  ).run()
  const page = db
    .prepare(`SELECT id, execution_id, user_id, event_data FROM execution_events WHERE id > ? ORDER BY id LIMIT ?`)
    .raw(true)
  const checkpoint = db.prepare(`SELECT position FROM projection_checkpoints WHERE name = 'raw'`).pluck(true)
  const advance = db.prepare(`UPDATE projection_checkpoints SET position = ?, updated_at = ? WHERE name = 'raw'`)
  const selStatus = db.prepare(`SELECT status, completed_at FROM executions WHERE id = ?`)
  const updStatus = db.prepare(`UPDATE executions SET status = ?, completed_at = ? WHERE id = ?`)
  const selSummary = db.prepare(`SELECT * FROM execution_summaries WHERE execution_id = ?`)
  const upsert =
    db.prepare(`INSERT OR REPLACE INTO execution_summaries (execution_id, event_count, goal, step_count, tools_used,
    tool_calls, tool_failures, tool_time_ms, tokens_used, model_used, approval_pending, error_count, first_event_at, last_event_at,
    last_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insTool = db.prepare(
    `INSERT INTO tool_calls (position, execution_id, tool, success, duration_ms, completed_at) VALUES (?, ?, ?, ?, ?, ?)`
  )
  const batch = db.transaction((rows: Array<[number, string, string, string]>) => {
    const touched = new Map<string, any>()
    for (const [pos, id, , data] of rows) {
      const e = JSON.parse(data)
      let s = touched.get(id)
      if (s === undefined) {
        const st = selStatus.get(id) as any
        const sm = selSummary.get(id) as any
        s = {
          status: st.status,
          completed_at: st.completed_at,
          count: sm?.event_count ?? 0,
          goal: sm?.goal ?? null,
          steps: sm?.step_count ?? 0,
          tools: sm ? JSON.parse(sm.tools_used) : [],
          calls: sm?.tool_calls ?? 0,
          failures: sm?.tool_failures ?? 0,
          time: sm?.tool_time_ms ?? 0,
          tokens: sm?.tokens_used ?? 0,
          model: sm?.model_used ?? null,
          approval: sm?.approval_pending ?? 0,
          errors: sm?.error_count ?? 0,
          first: sm?.first_event_at ?? null,
          last: null,
          pos: 0
        }
        touched.set(id, s)
      }
      if (s.status !== "completed" && s.status !== "failed") {
        if (e.type === "ResponseSent") {
          s.status = "completed"
          s.completed_at = e.timestamp
        } else if (e.type === "ErrorOccurred" && !e.recoverable) {
          s.status = "failed"
          s.completed_at = e.timestamp
        } else if (e.type !== "MessageReceived") s.status = "running"
      }
      s.count++
      s.first ??= e.timestamp
      s.last = e.timestamp
      s.pos = pos
      if (e.type === "PlanGenerated") {
        s.goal = e.plan.goal
        s.steps = e.plan.steps.length
        s.tokens += e.tokens_used
        s.model = e.model_used
      } else if (e.type === "ApprovalRequested") s.approval = 1
      else if (e.type === "ApprovalReceived") s.approval = 0
      else if (e.type === "ToolInvoked") {
        if (!s.tools.includes(e.tool)) s.tools.push(e.tool)
      } else if (e.type === "ToolCompleted") {
        if (!s.tools.includes(e.tool)) s.tools.push(e.tool)
        s.calls++
        if (!e.output.success) s.failures++
        s.time += e.duration_ms
        if (withToolCalls) insTool.run(pos, id, e.tool, e.output.success ? 1 : 0, e.duration_ms, e.timestamp)
      } else if (e.type === "ErrorOccurred") s.errors++
    }
    for (const [id, s] of touched) {
      updStatus.run(s.status, s.completed_at, id)
      upsert.run(
        id,
        s.count,
        s.goal,
        s.steps,
        JSON.stringify(s.tools),
        s.calls,
        s.failures,
        s.time,
        s.tokens,
        s.model,
        s.approval,
        s.errors,
        s.first,
        s.last,
        s.pos
      )
    }
    advance.run(rows[rows.length - 1]![0], new Date().toISOString())
  })
  const start = performance.now()
  let n = 0
  for (;;) {
    const rows = page.all(checkpoint.get(), BATCH) as Array<[number, string, string, string]>
    if (rows.length === 0) break
    batch.immediate(rows)
    n += rows.length
  }
  const ms = performance.now() - start
  db.close()
  return { events: n, ms }
}

const resetRaw = (file: string) => {
  const db = new BetterSqlite3(file)
  db.exec(`DELETE FROM execution_summaries; DELETE FROM tool_calls; UPDATE executions SET status = 'pending', completed_at = NULL;
    DELETE FROM projection_checkpoints`)
  db.close()
}

const projectorCatchUp = (file: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const projector = yield* Projector
      yield* projector.reset()
      const start = performance.now()
      const result = yield* projector.catchUp
      return { events: result.events, ms: performance.now() - start }
    }).pipe(
      Effect.provide(Projector.layer({ batchSize: BATCH }).pipe(Layer.provideMerge(EventStore.layer({ path: file })))),
      Logger.withMinimumLogLevel(LogLevel.None)
    )
  )

const rate = (r: { events: number; ms: number }) => Math.round((r.events * 1000) / r.ms)
const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const ROUNDS = Number(process.argv[4] ?? 3)

const main = async () => {
  const files = ["raw", "projector"].map((n) => path.join(dir, `${n}.db`))
  for (const f of files) await create(f)
  const raw: Array<number> = []
  const rawTools: Array<number> = []
  const proj: Array<number> = []
  for (let round = 0; round < ROUNDS; round++) {
    resetRaw(files[0]!)
    raw.push(rate(rawCatchUp(files[0]!, false)))
    resetRaw(files[0]!)
    rawTools.push(rate(rawCatchUp(files[0]!, true)))
    proj.push(rate(await projectorCatchUp(files[1]!)))
    console.error(
      `round ${round}: raw ${raw[round]} ev/s, raw+tool_calls ${rawTools[round]} ev/s, projector ${proj[round]} ev/s`
    )
  }
  console.log(
    JSON.stringify({
      events: EVENTS,
      batch: BATCH,
      rounds: ROUNDS,
      median_events_per_s: {
        raw_status_summary: median(raw),
        raw_status_summary_tool_calls: median(rawTools),
        projector: median(proj)
      },
      ratio_vs_raw: +(median(proj) / median(raw)).toFixed(2),
      ratio_vs_raw_with_tool_calls: +(median(proj) / median(rawTools)).toFixed(2)
    })
  )
  fs.rmSync(dir, { recursive: true, force: true })
}

await main()
