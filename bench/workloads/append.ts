/**
 * W1 (single appends) and W2 (batch appends), through the EventStore and as their ceilings:
 * the same SQL on raw better-sqlite3 prepared statements, no domain code.
 *
 * W1, per execution: startExecution(MessageReceived), then 9 × append([event], {expectedVersion: k}),
 *   each its own BEGIN IMMEDIATE transaction → 10 transactions.
 *   Ceiling: tx 1 = exists-SELECT + INSERT executions + INSERT event; tx 2..10 = the store's
 *   version-check SELECT (user_id and the stream's max(id)) + INSERT event.
 * W2, per execution: startExecution(MessageReceived), then append(9 events, {expectedVersion: 1})
 *   → 2 transactions. Ceiling: tx 1 as W1's; tx 2 = the version-check SELECT + 9 INSERTs.
 * The ceiling serialises each event with JSON.stringify (the store must encode too).
 * Events are built before each timed chunk of 1000 executions; only the appends are timed.
 */
import type BetterSqlite3 from "better-sqlite3"
import { EventStore, type Synchronous } from "@cratos/store"
import { Effect } from "effect"
import { chunk, type Execution } from "../fixtures.js"
import { type Encryption, freshPath, openRaw, openStore, removeDb, timedUsersKeys } from "../lib/db.js"
import { breathe, Stopwatch } from "../lib/stopwatch.js"

export const CHUNK = 1000

export interface Timing {
  /** Wall-clock seconds of the timed sections. */
  readonly seconds: number
  /** CPU seconds (user + system, whole process) of the same sections. */
  readonly cpuSeconds: number
  /** Events (or, for W5, MB) processed. */
  readonly events: number
}

export type Mode = "single" | "batch"

/** Runs `timed` over the executions chunk by chunk; returns the time of the timed parts. */
export const overChunks = async (
  executions: number,
  timed: (xs: ReadonlyArray<Execution>) => void
): Promise<Stopwatch> => {
  const watch = new Stopwatch()
  for (let from = 0; from < executions; from += CHUNK) {
    const xs = chunk(from, Math.min(executions, from + CHUNK))
    watch.time(() => timed(xs))
    await breathe()
  }
  return watch
}

const events = (xs: number) => xs * 10

/** Appends through the EventStore onto a fresh file; `keep` leaves the file for later workloads. */
export const storeAppend = async (
  mode: Mode,
  executions: number,
  keep = false,
  synchronous: Synchronous = "NORMAL",
  encryption: Encryption = "none"
): Promise<Timing & { path: string }> => {
  const file = freshPath(`store-${mode}${encryption === "none" ? "" : `-encryption-${encryption}`}`)
  const rt = openStore(file, synchronous, encryption)
  const store = await rt.runPromise(EventStore)
  if (encryption === "on") await timedUsersKeys(rt)
  const watch = await overChunks(executions, (xs) =>
    rt.runSync(
      Effect.gen(function* () {
        for (const x of xs) {
          yield* store.startExecution(x.id, x.first)
          if (mode === "batch") {
            yield* store.append(x.id, x.rest, { expectedVersion: 1 })
          } else {
            const evs = x.events
            for (let k = 1; k < evs.length; k++) yield* store.append(x.id, [evs[k]!], { expectedVersion: k })
          }
        }
      })
    )
  )
  await rt.dispose()
  if (!keep) removeDb(file)
  return { seconds: watch.seconds, cpuSeconds: watch.cpuSeconds, events: events(executions), path: file }
}

const HEAD_SQL = `SELECT e.user_id, (SELECT max(id) FROM execution_events WHERE execution_id = e.id)
FROM executions e WHERE e.id = ?`

/** The ceiling's statements on a raw connection. */
export const ceilingStatements = (db: BetterSqlite3.Database) => {
  const begin = db.prepare("BEGIN IMMEDIATE")
  const commit = db.prepare("COMMIT")
  const exists = db.prepare<[string]>("SELECT 1 FROM executions WHERE id = ?").pluck(true)
  const insertExecution = db.prepare<[string, string, string, string, string]>(
    "INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)"
  )
  const insertEvent = db.prepare<[string, string, string, string, string]>(
    "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)"
  )
  const head = db.prepare<[string], [string, number | null]>(HEAD_SQL).raw(true)

  /** tx 1: the execution row and its first event. */
  const start = (x: Execution): void => {
    begin.run()
    if (exists.get(x.id) !== undefined) throw new Error("exists")
    const m = x.first.message
    insertExecution.run(x.id, m.user_id, m.channel_type, m.text, x.first.timestamp)
    insertEvent.run(x.id, m.user_id, "MessageReceived", JSON.stringify(x.first), x.first.timestamp)
    commit.run()
  }
  /** One transaction: version check, then the events. */
  const append = (x: Execution, from: number, to: number, expected: number, versions: Map<string, number>): void => {
    begin.run()
    const row = head.get(x.id)
    if (row === undefined) throw new Error("not found")
    const version = versions.get(x.id) ?? 1
    if (version !== expected) throw new Error("conflict")
    for (let k = from; k < to; k++) {
      const e = x.events[k]!
      insertEvent.run(x.id, row[0], e.type, JSON.stringify(e), e.timestamp)
    }
    commit.run()
    versions.set(x.id, to)
  }
  return { start, append }
}

/** The same writes on raw prepared statements onto a fresh file. */
export const ceilingAppend = async (mode: Mode, executions: number): Promise<Timing> => {
  const file = freshPath(`ceiling-${mode}`)
  const { db, close } = await openRaw(file)
  const sql = ceilingStatements(db)
  const versions = new Map<string, number>()
  const watch = await overChunks(executions, (xs) => {
    for (const x of xs) {
      sql.start(x)
      if (mode === "batch") sql.append(x, 1, 10, 1, versions)
      else for (let k = 1; k < 10; k++) sql.append(x, k, k + 1, k, versions)
      versions.delete(x.id)
    }
  })
  await close()
  removeDb(file)
  return { seconds: watch.seconds, cpuSeconds: watch.cpuSeconds, events: events(executions) }
}
