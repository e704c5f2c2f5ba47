/**
 * W4: the projector catching up from position 0 over the whole log with the status and summary
 * projections (`Projector.make({ projections: [executionStatus, executionSummary] })`), and its
 * ceiling; `list --user` latency through the ReadModel; the projector's peak RSS in a child.
 *
 * Before every run (untimed) both projections are reset the projector's way: executions back to
 * pending, summaries deleted, both checkpoints at 0; then the WAL is checkpointed.
 *
 * The ceiling does the same SQL work with no domain or Effect code, batch by batch (1000 log
 * rows, as the projector's default): the log page query (outside the write transaction, as the
 * projector reads it), JSON.parse of each row, then in one BEGIN IMMEDIATE transaction per
 * batch: each projection's checkpoint read, the status fold (one SELECT of the execution's
 * status per execution per batch, UPDATE when it changed), the summary fold (one SELECT of the
 * summary row, one upsert per execution per batch), each checkpoint advanced.
 */
import { Database } from "@cratos/store"
import { executionStatus, executionSummary, Projector, ReadModel } from "@cratos/projector"
import type BetterSqlite3 from "better-sqlite3"
import { Effect, Layer, ManagedRuntime } from "effect"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { USERS } from "../fixtures.js"
import { type Encryption, openRaw, storeLayer } from "../lib/db.js"
import { breathe, Stopwatch } from "../lib/stopwatch.js"
import { type Latency, latencyOf, random } from "./read.js"
import type { Timing } from "./append.js"

export interface RssResult {
  /** Node flags of the child beyond `--import tsx` (none: as the projector worker runs). */
  readonly flags: ReadonlyArray<string>
  readonly events: number
  readonly maxRssMb: number
  readonly baselineRssMb: number
  readonly seconds: number
}

export const BATCH = 1000
export const PROJECTIONS = [executionStatus, executionSummary]

export const available = (): boolean => true
export const unavailableNote = () => "W4: the projector's catch-up API has not landed yet; not measured."

/** The store, its Database and a Projector of the two projections, on a file. */
export const projectorRuntime = (file: string, encryption: Encryption = "none") => {
  const base = storeLayer(file, "NORMAL", encryption)
  const layer = Projector.layer({ projections: PROJECTIONS, batchSize: BATCH }).pipe(Layer.provideMerge(base))
  return ManagedRuntime.make(layer)
}

const checkpointWal = (db: BetterSqlite3.Database) => db.pragma("wal_checkpoint(TRUNCATE)")

export const store = async (file: string, encryption: Encryption = "none"): Promise<Timing> => {
  const rt = projectorRuntime(file, encryption)
  const projector = await rt.runPromise(Projector)
  await rt.runPromise(projector.reset())
  checkpointWal((await rt.runPromise(Database)).connection)
  const watch = new Stopwatch()
  const result = await watch.timeAsync(() => rt.runPromise(projector.catchUp))
  await rt.dispose()
  if (result.deadLetters !== 0) throw new Error(`W4: ${result.deadLetters} dead letters`)
  return { seconds: watch.seconds, cpuSeconds: watch.cpuSeconds, events: result.events }
}

// ---- the ceiling --------------------------------------------------------------------------

export interface Status {
  status: string
  completedAt: string | null
  readonly initialStatus: string
  readonly initialCompletedAt: string | null
}

export interface Summary {
  eventCount: number
  goal: string | null
  stepCount: number
  toolsUsed: Array<string>
  toolCalls: number
  toolFailures: number
  toolTimeMs: number
  tokensUsed: number
  modelUsed: string | null
  approvalPending: boolean
  errorCount: number
  firstEventAt: string | null
  lastEventAt: string | null
  lastPosition: number
}

export interface SummaryRow {
  event_count: number
  goal: string | null
  step_count: number
  tools_used: string
  tool_calls: number
  tool_failures: number
  tool_time_ms: number
  tokens_used: number
  model_used: string | null
  approval_pending: number
  error_count: number
  first_event_at: string | null
  last_event_at: string | null
  last_position: number
}

// Wire events as JSON.parse gives them; only the fields the folds read.
export interface Wire {
  readonly type: string
  readonly timestamp: string
  readonly recoverable?: boolean
  readonly tool?: string
  readonly tokens_used?: number
  readonly model_used?: string
  readonly plan?: { readonly goal: string; readonly steps: ReadonlyArray<unknown> }
  readonly output?: { readonly success: boolean }
  readonly duration_ms?: number
}

const UPSERT = `INSERT INTO execution_summaries (execution_id, event_count, goal, step_count, tools_used, tool_calls,
  tool_failures, tool_time_ms, tokens_used, model_used, approval_pending, error_count, first_event_at, last_event_at,
  last_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (execution_id) DO UPDATE SET event_count = excluded.event_count, goal = excluded.goal,
  step_count = excluded.step_count, tools_used = excluded.tools_used, tool_calls = excluded.tool_calls,
  tool_failures = excluded.tool_failures, tool_time_ms = excluded.tool_time_ms, tokens_used = excluded.tokens_used,
  model_used = excluded.model_used, approval_pending = excluded.approval_pending, error_count = excluded.error_count,
  first_event_at = excluded.first_event_at, last_event_at = excluded.last_event_at,
  last_position = excluded.last_position`

export const foldStatus = (s: Status, e: Wire) => {
  if (s.status === "completed" || s.status === "failed") return
  switch (e.type) {
    case "MessageReceived":
      return
    case "ResponseSent":
      s.status = "completed"
      s.completedAt = e.timestamp
      return
    case "ErrorOccurred":
      if (e.recoverable === true) {
        if (s.status !== "running") {
          s.status = "running"
          s.completedAt = null
        }
      } else {
        s.status = "failed"
        s.completedAt = e.timestamp
      }
      return
    default:
      if (s.status !== "running") {
        s.status = "running"
        s.completedAt = null
      }
  }
}

export const foldSummary = (s: Summary, position: number, e: Wire) => {
  s.eventCount += 1
  if (s.firstEventAt === null) s.firstEventAt = e.timestamp
  s.lastEventAt = e.timestamp
  s.lastPosition = position
  switch (e.type) {
    case "PlanGenerated":
      s.goal = e.plan!.goal
      s.stepCount = e.plan!.steps.length
      s.tokensUsed += e.tokens_used!
      s.modelUsed = e.model_used!
      break
    case "ApprovalRequested":
      s.approvalPending = true
      break
    case "ApprovalReceived":
      s.approvalPending = false
      break
    case "ToolInvoked":
      if (!s.toolsUsed.includes(e.tool!)) s.toolsUsed.push(e.tool!)
      break
    case "ToolCompleted":
      if (!s.toolsUsed.includes(e.tool!)) s.toolsUsed.push(e.tool!)
      s.toolCalls += 1
      if (!e.output!.success) s.toolFailures += 1
      s.toolTimeMs += e.duration_ms!
      break
    case "ErrorOccurred":
      s.errorCount += 1
      break
  }
}

export const emptySummary = (): Summary => ({
  eventCount: 0,
  goal: null,
  stepCount: 0,
  toolsUsed: [],
  toolCalls: 0,
  toolFailures: 0,
  toolTimeMs: 0,
  tokensUsed: 0,
  modelUsed: null,
  approvalPending: false,
  errorCount: 0,
  firstEventAt: null,
  lastEventAt: null,
  lastPosition: 0
})

/** A summary's row values in the upsert's column order (both dialects' ceilings write these). */
export const summaryValues = (id: string, s: Summary) =>
  [
    id,
    s.eventCount,
    s.goal,
    s.stepCount,
    JSON.stringify(s.toolsUsed),
    s.toolCalls,
    s.toolFailures,
    s.toolTimeMs,
    s.tokensUsed,
    s.modelUsed,
    s.approvalPending ? 1 : 0,
    s.errorCount,
    s.firstEventAt,
    s.lastEventAt,
    s.lastPosition
  ] as const

export const fromRow = (r: SummaryRow): Summary => ({
  eventCount: r.event_count,
  goal: r.goal,
  stepCount: r.step_count,
  toolsUsed: JSON.parse(r.tools_used) as Array<string>,
  toolCalls: r.tool_calls,
  toolFailures: r.tool_failures,
  toolTimeMs: r.tool_time_ms,
  tokensUsed: r.tokens_used,
  modelUsed: r.model_used,
  approvalPending: r.approval_pending !== 0,
  errorCount: r.error_count,
  firstEventAt: r.first_event_at,
  lastEventAt: r.last_event_at,
  lastPosition: r.last_position
})

/** The projector's reset of both projections, as raw SQL (untimed). */
const rawReset = (db: BetterSqlite3.Database, now: string) => {
  db.transaction(() => {
    db.prepare(`UPDATE executions SET status = 'pending', completed_at = NULL
      WHERE status <> 'pending' OR completed_at IS NOT NULL`).run()
    db.prepare(`DELETE FROM execution_summaries`).run()
    const put = db.prepare(`INSERT INTO projection_checkpoints (name, version, position, updated_at) VALUES (?, ?, 0, ?)
      ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = 0, updated_at = excluded.updated_at`)
    for (const p of PROJECTIONS) put.run(p.name, p.version, now)
  }).immediate()
}

export const ceiling = async (file: string): Promise<Timing> => {
  const { db, close } = await openRaw(file)
  rawReset(db, new Date().toISOString())
  checkpointWal(db)

  const watch = new Stopwatch()
  watch.start()
  const lastPosition = db.prepare(`SELECT coalesce(max(id), 0) FROM execution_events`).pluck(true).get() as number
  const page = db
    .prepare<[number, number], [number, string, string, string]>(
      `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE id > ? ORDER BY id LIMIT ?`
    )
    .raw(true)
  const begin = db.prepare("BEGIN IMMEDIATE")
  const commit = db.prepare("COMMIT")
  const checkpoint = db.prepare<[string], { version: number; position: number }>(
    `SELECT version, position FROM projection_checkpoints WHERE name = ?`
  )
  const advance = db.prepare(`UPDATE projection_checkpoints SET position = ?, updated_at = ? WHERE name = ?`)
  const selectStatus = db.prepare<[string], { status: string; completed_at: string | null }>(
    `SELECT status, completed_at FROM executions WHERE id = ?`
  )
  const updateStatus = db.prepare(`UPDATE executions SET status = ?, completed_at = ? WHERE id = ?`)
  const selectSummary = db.prepare<[string], SummaryRow>(
    `SELECT event_count, goal, step_count, tools_used, tool_calls, tool_failures, tool_time_ms, tokens_used,
       model_used, approval_pending, error_count, first_event_at, last_event_at, last_position
     FROM execution_summaries WHERE execution_id = ?`
  )
  const upsert = db.prepare(UPSERT)

  let from = 0
  let events = 0
  while (from < lastPosition) {
    const rows = page.all(from, BATCH)
    if (rows.length === 0) break
    const parsed = rows.map((r) => JSON.parse(r[3]) as Wire)
    const end = rows[rows.length - 1]![0]
    const now = new Date().toISOString()
    begin.run()
    // status
    checkpoint.get("execution_status")
    const statuses = new Map<string, Status>()
    for (let i = 0; i < rows.length; i++) {
      const id = rows[i]![1]
      let s = statuses.get(id)
      if (s === undefined) {
        const row = selectStatus.get(id)!
        s = {
          status: row.status,
          completedAt: row.completed_at,
          initialStatus: row.status,
          initialCompletedAt: row.completed_at
        }
        statuses.set(id, s)
      }
      foldStatus(s, parsed[i]!)
    }
    for (const [id, s] of statuses) {
      if (s.status !== s.initialStatus || s.completedAt !== s.initialCompletedAt)
        updateStatus.run(s.status, s.completedAt, id)
    }
    advance.run(end, now, "execution_status")
    // summary
    checkpoint.get("execution_summary")
    const summaries = new Map<string, Summary>()
    for (let i = 0; i < rows.length; i++) {
      const id = rows[i]![1]
      let s = summaries.get(id)
      if (s === undefined) {
        const row = selectSummary.get(id)
        s = row === undefined ? emptySummary() : fromRow(row)
        summaries.set(id, s)
      }
      foldSummary(s, rows[i]![0], parsed[i]!)
    }
    for (const [id, s] of summaries) upsert.run(...summaryValues(id, s))
    advance.run(end, now, "execution_summary")
    commit.run()
    events += rows.length
    from = end
    if (events % 100_000 === 0) {
      // Let signals through on long runs (outside the timed part).
      watch.stop()
      await breathe()
      watch.start()
    }
  }
  watch.stop()
  await close()
  return { seconds: watch.seconds, cpuSeconds: watch.cpuSeconds, events }
}

// ---- RSS and latency ----------------------------------------------------------------------

const CHILD = fileURLToPath(new URL("../rssChild.ts", import.meta.url))

/** Runs the catch-up over the whole log in a child process and reads its peak RSS. */
export const rssOfCatchUp = (file: string, flags: ReadonlyArray<string> = []): Promise<RssResult> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...flags, "--import", "tsx", CHILD, file],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error !== null) return reject(new Error(`rss child failed: ${error.message}\n${stderr}`))
        try {
          resolve({ flags, ...(JSON.parse(stdout.trim().split("\n").pop()!) as Omit<RssResult, "flags">) })
        } catch (e) {
          reject(new Error(`rss child printed no result: ${String(e)}\n${stdout}\n${stderr}`))
        }
      }
    )
  })

/** `ReadModel.list({ user })` (the CLI's `list --user`), one Effect run per call, random users. */
export const listLatency = async (file: string, samples: number): Promise<{ what: string; latency: Latency }> => {
  const { db, close } = await openRaw(file)
  const rm = ReadModel.fromConnection(db, { path: file })
  const next = random(7)
  const user = () => `user-${Math.floor(next() * USERS)}`
  for (let i = 0; i < 50; i++) Effect.runSync(rm.list({ user: user() }))
  const ms: Array<number> = []
  for (let i = 0; i < samples; i++) {
    const u = user()
    const t0 = performance.now()
    const rows = Effect.runSync(rm.list({ user: u }))
    ms.push(performance.now() - t0)
    if (rows.length === 0) throw new Error(`list --user ${u} returned nothing`)
  }
  await close()
  return { what: "list --user (ReadModel.list, limit 50)", latency: latencyOf(ms) }
}
