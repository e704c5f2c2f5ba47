/**
 * Concurrent writers (issue #7): 4 processes append to one database file at once for several
 * seconds — their own executions, and one shared execution with expected versions. No
 * SQLITE_BUSY reaches a caller (busy timeout + BEGIN IMMEDIATE), every acknowledged write is
 * in the file exactly once at its positions, each version of the shared execution was won by
 * exactly one writer, and every failure is a typed ConcurrencyError. The same on PostgreSQL
 * (positions from a sequence: strictly increasing rather than 1..N).
 */
import { type DatabaseOpenError, EventStore, type StorageError } from "@cratos/store"
import BetterSqlite3 from "better-sqlite3"
import { Effect, type Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import pg from "pg"
import { describe, expect, it } from "vitest"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"
import { messageReceived } from "../store/helpers.js"
import { spawnChild, tempDir } from "./children.js"

const WRITERS = 4
const WRITE_MS = 6_000

type Line =
  | { readonly op: "ready" | "done" }
  | {
      readonly op: "ok"
      readonly kind: "start" | "shared" | "own"
      readonly id: string
      readonly version: number
      readonly positions: ReadonlyArray<number>
      readonly batch: string
      readonly size: number
    }
  | { readonly op: "error"; readonly kind: string; readonly tag: string; readonly code?: string }

interface EventRow {
  readonly id: number
  readonly execution_id: string
  readonly event_data: string
}

const ROWS_SQL = "SELECT id, execution_id, event_data FROM execution_events ORDER BY id"

/**
 * Runs the writers on `location` (a file or a URL) and checks what they acknowledged against the
 * rows `readRows` returns; `gapless`: positions are 1..N (SQLite), else strictly increasing.
 */
const runWriters = async (
  location: string,
  dir: string,
  layer: Layer.Layer<EventStore, DatabaseOpenError | StorageError>,
  readRows: () => Promise<ReadonlyArray<EventRow>>,
  gapless: boolean
) => {
  const go = path.join(dir, "go")
  const sharedId = "00000000-0000-4000-8000-5a5a5a5a5a5a"
  await Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.startExecution(sharedId, messageReceived({ text: "marker shared-start" }))
    }).pipe(Effect.provide(layer))
  )

  const children = Array.from({ length: WRITERS }, (_, w) =>
    spawnChild("test/faults/concurrentWriter.ts", [location, `w${w}`, sharedId, go, String(WRITE_MS)])
  )
  await Promise.all(children.map((c) => c.waitForLines(1, 90_000)))
  fs.writeFileSync(go, "")
  const exits = await Promise.all(children.map((c) => c.exited))
  exits.forEach((e, w) => expect(e.code, `writer ${w}: ${children[w]!.stderr()}`).toBe(0))

  const lines = children.flatMap((c) => c.lines as Array<Line>)
  const oks = lines.filter((l): l is Extract<Line, { op: "ok" }> => l.op === "ok")
  const errors = lines.filter((l): l is Extract<Line, { op: "error" }> => l.op === "error")
  const tags = new Map<string, number>()
  for (const e of errors)
    tags.set(`${e.tag}${e.code ? ` ${e.code}` : ""}`, (tags.get(`${e.tag}${e.code ? ` ${e.code}` : ""}`) ?? 0) + 1)
  // Only conflicts on the shared execution; nothing else, SQLITE_BUSY least of all.
  expect(Object.fromEntries(tags)).toEqual(tags.size === 0 ? {} : { ConcurrencyError: errors.length })
  expect(errors.every((e) => e.kind === "shared")).toBe(true)

  const rows = await readRows()
  if (gapless) rows.forEach((r, i) => expect(r.id).toBe(i + 1))
  else rows.forEach((r, i) => i > 0 && expect(r.id).toBeGreaterThan(rows[i - 1]!.id))
  const byPosition = new Map(rows.map((r) => [r.id, r]))
  // Every acknowledged write exactly once: its positions hold its batch, in order.
  const claimed = new Set<number>()
  for (const ok of oks) {
    expect(ok.positions.length).toBe(ok.size)
    ok.positions.forEach((p, i) => {
      expect(claimed.has(p), `position ${p} acknowledged twice`).toBe(false)
      claimed.add(p)
      const row = byPosition.get(p)
      expect(row, `acknowledged position ${p} missing`).toBeDefined()
      expect(row!.execution_id).toBe(ok.id)
      const data = JSON.parse(row!.event_data) as { input?: { batch: string; i: number }; message?: { text: string } }
      if (ok.kind === "start") expect(data.message!.text).toBe(`marker ${ok.batch}`)
      else expect(data.input).toMatchObject({ batch: ok.batch, i })
    })
  }
  // Nothing in the log that nobody acknowledged (all writers ran to the end): only the shared start.
  expect(rows.length).toBe(claimed.size + 1)
  // The shared execution: each version 2..N won by exactly one writer.
  const sharedVersions = oks
    .filter((o) => o.kind === "shared")
    .map((o) => o.version)
    .sort((a, b) => a - b)
  const sharedRows = rows.filter((r) => r.execution_id === sharedId).length
  expect(sharedVersions).toEqual(Array.from({ length: sharedRows - 1 }, (_, i) => i + 2))
  const perWriter = children.map((c) => (c.lines as Array<Line>).filter((l) => l.op === "ok").length)
  expect(sharedVersions.length).toBeGreaterThan(10)
  expect(errors.length).toBeGreaterThan(0)
  return { oks: oks.length, events: claimed.size, perWriter, versions: sharedVersions.length, conflicts: errors.length }
}

describe("concurrent writers", () => {
  it(`${WRITERS} processes on one file: no SQLITE_BUSY, every write once, conflicts typed`, async () => {
    const dir = tempDir()
    const file = path.join(dir, "cratos.db")
    const r = await runWriters(
      file,
      dir,
      EventStore.layer({ path: file }),
      async () => {
        const db = new BetterSqlite3(file, { readonly: true })
        try {
          expect(db.pragma("integrity_check", { simple: true })).toBe("ok")
          return db.prepare(ROWS_SQL).all() as Array<EventRow>
        } finally {
          db.close()
        }
      },
      true
    )
    console.log(
      `concurrent writers: ${WRITERS} processes x ${WRITE_MS / 1000} s on one file: ${r.oks} acknowledged writes ` +
        `(${r.events} events; per writer ${r.perWriter.join("/")}) each present exactly once; ` +
        `shared execution: ${r.versions} versions each won once, ${r.conflicts} ConcurrencyError, 0 SQLITE_BUSY, 0 other errors`
    )
  }, 180_000)
})

describe.skipIf(!postgresAvailable())("concurrent writers on PostgreSQL", () => {
  it(`${WRITERS} processes on one database: every write once, conflicts typed, nothing else`, async () => {
    const url = await postgresDatabase("writers")
    const r = await runWriters(
      url,
      tempDir(),
      EventStore.layerPostgres({ url }),
      async () => {
        const client = new pg.Client({ connectionString: url })
        await client.connect()
        try {
          return (await client.query<EventRow>(ROWS_SQL)).rows.map((row) => ({ ...row, id: Number(row.id) }))
        } finally {
          await client.end()
        }
      },
      false
    )
    console.log(
      `concurrent writers on PostgreSQL: ${WRITERS} processes x ${WRITE_MS / 1000} s on one database: ${r.oks} acknowledged writes ` +
        `(${r.events} events; per writer ${r.perWriter.join("/")}) each present exactly once; ` +
        `shared execution: ${r.versions} versions each won once, ${r.conflicts} ConcurrencyError, 0 other errors`
    )
  }, 180_000)
})
