/**
 * Crash tests of the projector worker: run `cratos-projector` as a real process over a database
 * file, SIGKILL it at a chosen point of its catch-up, and compare what it left with a rebuild.
 * Reused by the fault suite (many kills); nothing here is specific to one test.
 */
import { Projector, type ProjectorOptions } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import BetterSqlite3 from "better-sqlite3"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { type Snapshot, snapshot } from "./harness.js"

export const WORKER_BIN = path.resolve(import.meta.dirname, "../../apps/projector/bin/cratos-projector.mjs")

export interface Exited {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** What the worker wrote on stderr (its JSON-line logs). */
  readonly stderr: string
}

export interface WorkerProcess {
  readonly child: ChildProcess
  readonly exited: Promise<Exited>
}

/** Starts the worker on a database file (`--db file`, then `args`). */
export const spawnWorker = (file: string, args: ReadonlyArray<string> = []): WorkerProcess => {
  const child = spawn(process.execPath, [WORKER_BIN, "--db", file, ...args], { stdio: ["ignore", "ignore", "pipe"] })
  let stderr = ""
  child.stderr?.setEncoding("utf8")
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<Exited>((resolve, reject) => {
    child.once("error", reject)
    child.once("close", (code, signal) => resolve({ code, signal, stderr }))
  })
  return { child, exited }
}

/** Runs the worker to its end (`--once` unless `args` say otherwise). */
export const runWorkerToEnd = (file: string, args: ReadonlyArray<string> = ["--once"]): Promise<Exited> =>
  spawnWorker(file, args).exited

/** The checkpoints of a database, read through a separate connection (WAL: never blocks the worker). */
export const readCheckpoints = (file: string): Map<string, number> => {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    db.pragma("busy_timeout = 1000")
    const rows = db.prepare(`SELECT name, position FROM projection_checkpoints`).all() as Array<{
      name: string
      position: number
    }>
    return new Map(rows.map((r) => [r.name, r.position]))
  } catch {
    return new Map() // the tables may not exist before the worker migrated the file
  } finally {
    db.close()
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface KillResult {
  /** The highest checkpoint seen just before the kill (0 when none was written yet). */
  readonly seen: number
  /** True when the worker ended on its own before reaching the threshold (no kill). */
  readonly finishedFirst: boolean
  readonly exited: Exited
}

/**
 * Starts the worker and SIGKILLs it as soon as some projection's checkpoint reaches `threshold`
 * (polled every `pollMs`), that is in the middle of its catch-up, usually inside a transaction.
 * With `armBelow`, the kill is armed only once every checkpoint was seen below the threshold
 * (for a `--rebuild`, which first moves them back to 0).
 */
export const killWhenCheckpointReaches = async (
  file: string,
  threshold: number,
  options: {
    readonly args?: ReadonlyArray<string>
    readonly pollMs?: number
    readonly armBelow?: boolean
    /** Waits this long after the threshold is seen, to spread kills over a batch's phases. */
    readonly delayMs?: number
  } = {}
): Promise<KillResult> => {
  const worker = spawnWorker(file, options.args ?? ["--once", "--batch-size", "500"])
  let done = false
  void worker.exited.then(() => {
    done = true
  })
  let seen = 0
  let armed = options.armBelow !== true
  while (!done) {
    const cps = [...readCheckpoints(file).values()]
    seen = cps.length === 0 ? 0 : Math.max(...cps)
    if (!armed && cps.length > 0 && seen < threshold) armed = true
    if (armed && seen >= threshold) {
      if (options.delayMs !== undefined && options.delayMs > 0) await sleep(options.delayMs)
      worker.child.kill("SIGKILL")
      break
    }
    await sleep(options.pollMs ?? 3)
  }
  const exited = await worker.exited
  return { seen, finishedFirst: exited.signal !== "SIGKILL", exited }
}

/** The read model of a file (every projector table), through a read-only connection. */
export const readModelOf = (file: string): Snapshot => {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    return snapshot(db)
  } finally {
    db.close()
  }
}

/** Runs an Effect needing the projector on a file, in this process, without logs. */
export const withProjector = <A, E>(
  file: string,
  f: (projector: Effect.Effect.Success<typeof Projector>) => Effect.Effect<A, E>,
  options: ProjectorOptions = {}
): Promise<A> =>
  Effect.runPromise(
    Effect.flatMap(Projector, f).pipe(
      Effect.provide(Projector.layer(options).pipe(Layer.provideMerge(EventStore.layer({ path: file })))),
      Logger.withMinimumLogLevel(LogLevel.None)
    )
  )

/** The read model a full rebuild from position 0 makes, on a copy of the file (the file is untouched). */
export const rebuiltReadModelOf = async (file: string): Promise<Snapshot> => {
  const copy = path.join(path.dirname(file), `rebuild-${process.pid}-${Date.now()}.db`)
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    db.prepare(`VACUUM INTO ?`).run(copy)
  } finally {
    db.close()
  }
  try {
    await withProjector(copy, (p) => p.rebuild())
    return readModelOf(copy)
  } finally {
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true })
  }
}

/**
 * What must hold at any instant, even right after a kill: each projection's tables hold exactly
 * the events up to its checkpoint. Returns the violations (empty when consistent). Checked on
 * sums that every applied event changes: summaries' event counts, tool_calls rows.
 */
export const checkpointConsistency = (file: string): Array<string> => {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    const cps = new Map(
      (
        db.prepare(`SELECT name, position FROM projection_checkpoints`).all() as Array<{
          name: string
          position: number
        }>
      ).map((r) => [r.name, r.position])
    )
    const problems: Array<string> = []
    const summary = cps.get("execution_summary")
    if (summary !== undefined) {
      const applied = db
        .prepare(`SELECT coalesce(sum(event_count), 0) FROM execution_summaries`)
        .pluck(true)
        .get() as number
      const logged = db
        .prepare(`SELECT count(*) FROM execution_events WHERE id <= ?`)
        .pluck(true)
        .get(summary) as number
      if (applied !== logged) problems.push(`summaries count ${applied} events, the log has ${logged} up to ${summary}`)
    }
    const tools = cps.get("tool_calls")
    if (tools !== undefined) {
      const rows = db.prepare(`SELECT count(*) FROM tool_calls`).pluck(true).get() as number
      const logged = db
        .prepare(`SELECT count(*) FROM execution_events WHERE id <= ? AND event_type = 'ToolCompleted'`)
        .pluck(true)
        .get(tools) as number
      if (rows !== logged)
        problems.push(`tool_calls has ${rows} rows, the log has ${logged} ToolCompleted up to ${tools}`)
    }
    const status = cps.get("execution_status")
    if (status !== undefined) {
      const beyond = db
        .prepare(
          `SELECT count(*) FROM executions e WHERE e.status <> 'pending'
             AND NOT EXISTS (SELECT 1 FROM execution_events v WHERE v.execution_id = e.id AND v.id <= ? AND v.event_type <> 'MessageReceived')`
        )
        .pluck(true)
        .get(status) as number
      if (beyond !== 0) problems.push(`${beyond} executions have a status from events after the checkpoint ${status}`)
    }
    return problems
  } finally {
    db.close()
  }
}

/**
 * Kills the worker `kills` times during one catch-up of the log (each kill further along, at a
 * random point of what is left, checked consistent right after), then runs it to the end.
 * Returns the positions it was killed at and the final exit; the caller compares the read model
 * with `rebuiltReadModelOf`.
 */
export const killRepeatedly = async (
  file: string,
  options: {
    readonly kills: number
    readonly lastPosition: number
    readonly random: () => number
    readonly args?: ReadonlyArray<string>
  }
): Promise<{
  readonly killedAt: ReadonlyArray<number>
  readonly problems: ReadonlyArray<string>
  readonly end: Exited
}> => {
  const killedAt: Array<number> = []
  const problems: Array<string> = []
  let last = Math.max(0, ...readCheckpoints(file).values())
  for (let k = 0; k < options.kills && last < options.lastPosition; k++) {
    const left = options.lastPosition - last
    const threshold = last + Math.max(1, Math.floor(left * (0.05 + 0.3 * options.random())))
    const result = await killWhenCheckpointReaches(file, threshold, {
      ...(options.args === undefined ? {} : { args: options.args }),
      delayMs: Math.floor(options.random() * 15)
    })
    if (result.finishedFirst) break
    for (const p of checkpointConsistency(file)) problems.push(`after kill ${k + 1} at ${result.seen}: ${p}`)
    killedAt.push(result.seen)
    last = result.seen
  }
  const end = await runWorkerToEnd(file)
  return { killedAt, problems, end }
}
