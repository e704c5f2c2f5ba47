/**
 * Concurrent writers (issue #7): 4 processes append to one database file at once for several
 * seconds — their own executions, and one shared execution with expected versions. No
 * SQLITE_BUSY reaches a caller (busy timeout + BEGIN IMMEDIATE), every acknowledged write is
 * in the file exactly once at its positions, each version of the shared execution was won by
 * exactly one writer, and every failure is a typed ConcurrencyError.
 */
import { EventStore } from "@cratos/store"
import BetterSqlite3 from "better-sqlite3"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { messageReceived } from "../store/helpers.js"
import { spawnTsx, tempDir } from "./children.js"

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

describe("concurrent writers", () => {
  it(`${WRITERS} processes on one file: no SQLITE_BUSY, every write once, conflicts typed`, async () => {
    const dir = tempDir()
    const file = path.join(dir, "cratos.db")
    const go = path.join(dir, "go")
    const sharedId = "00000000-0000-4000-8000-5a5a5a5a5a5a"
    await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* EventStore
        yield* store.startExecution(sharedId, messageReceived({ text: "marker shared-start" }))
      }).pipe(Effect.provide(EventStore.layer({ path: file })))
    )

    const children = Array.from({ length: WRITERS }, (_, w) =>
      spawnTsx("test/faults/concurrentWriter.ts", [file, `w${w}`, sharedId, go, String(WRITE_MS)])
    )
    await Promise.all(children.map((c) => c.waitForLines(1, 90_000)))
    fs.writeFileSync(go, "")
    const exits = await Promise.all(children.map((c) => c.exited))
    exits.forEach((e, w) => expect(e.code, `writer ${w}: ${children[w]!.stderr()}`).toBe(0))

    const lines = children.flatMap((c) => c.lines as Array<Line>)
    const oks = lines.filter((l): l is Extract<Line, { op: "ok" }> => l.op === "ok")
    const errors = lines.filter((l): l is Extract<Line, { op: "error" }> => l.op === "error")
    const tags = new Map<string, number>()
    for (const e of errors) tags.set(`${e.tag}${e.code ? ` ${e.code}` : ""}`, (tags.get(`${e.tag}${e.code ? ` ${e.code}` : ""}`) ?? 0) + 1)
    // Only conflicts on the shared execution; nothing else, SQLITE_BUSY least of all.
    expect(Object.fromEntries(tags)).toEqual(tags.size === 0 ? {} : { ConcurrencyError: errors.length })
    expect(errors.every((e) => e.kind === "shared")).toBe(true)

    const db = new BetterSqlite3(file, { readonly: true })
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok")
      const rows = db.prepare("SELECT id, execution_id, event_data FROM execution_events ORDER BY id").all() as Array<{
        id: number
        execution_id: string
        event_data: string
      }>
      rows.forEach((r, i) => expect(r.id).toBe(i + 1))
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
      // Nothing in the file that nobody acknowledged (all writers ran to the end): only the shared start.
      expect(rows.length).toBe(claimed.size + 1)
      // The shared execution: each version 2..N won by exactly one writer.
      const sharedVersions = oks.filter((o) => o.kind === "shared").map((o) => o.version).sort((a, b) => a - b)
      const sharedRows = rows.filter((r) => r.execution_id === sharedId).length
      expect(sharedVersions).toEqual(Array.from({ length: sharedRows - 1 }, (_, i) => i + 2))
      const perWriter = children.map((c) => (c.lines as Array<Line>).filter((l) => l.op === "ok").length)
      console.log(
        `concurrent writers: ${WRITERS} processes x ${WRITE_MS / 1000} s on one file: ${oks.length} acknowledged writes ` +
          `(${claimed.size} events; per writer ${perWriter.join("/")}) each present exactly once; ` +
          `shared execution: ${sharedVersions.length} versions each won once, ${errors.length} ConcurrencyError, 0 SQLITE_BUSY, 0 other errors`
      )
      expect(sharedVersions.length).toBeGreaterThan(10)
      expect(errors.length).toBeGreaterThan(0)
    } finally {
      db.close()
    }
  }, 180_000)
})
