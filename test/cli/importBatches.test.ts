/**
 * `cratos import` writes the executions of one input batch in one transaction, each execution in
 * a savepoint of its own, and projects them in that transaction: each execution is still all or
 * nothing, a failure keeps the executions before it and reports only what was committed, and the
 * read model right after an import is the one the projector would build from the log.
 */
import { encodeEvent, Events } from "@cratos/domain"
import { describe, expect, it, vi } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { Either } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { at, cratos, ID, lines, message, sampleHistories, tempDir } from "./harness.js"

vi.setConfig({ testTimeout: 180_000 })

const dir = tempDir()
const json = (text: string): any => JSON.parse(text)

const lineOf = (executionId: string, user: string, position: number, event: unknown) =>
  JSON.stringify({ execution_id: executionId, user_id: user, position, event })

/** The export lines of one sample history. */
const exportLines = (id: string): Array<string> =>
  sampleHistories()
    .find((h) => h.id === id)!
    .events.map((e, i) => lineOf(id, "alice", i + 1, Either.getOrThrow(encodeEvent(e))))

/** Every row of the read model's tables and checkpoints' positions, in a stable order. */
const readModel = (db: string) => {
  const c = new BetterSqlite3(db, { readonly: true })
  try {
    return {
      executions: c.prepare("SELECT * FROM executions ORDER BY id").all(),
      summaries: c.prepare("SELECT * FROM execution_summaries ORDER BY execution_id").all(),
      tools: c.prepare("SELECT * FROM tool_calls ORDER BY 1, 2, 3").all(),
      checkpoints: c.prepare("SELECT name, version, position FROM projection_checkpoints ORDER BY name").all(),
      last: c.prepare("SELECT max(id) FROM execution_events").pluck().get()
    }
  } finally {
    c.close()
  }
}

describe("cratos import, several executions per transaction", () => {
  it("leaves the read model at the log's end, equal to a rebuild of it, and list shows every execution", async () => {
    const db = path.join(dir, "projected.db")
    const input = [ID.read, ID.failed, ID.declined, ID.pending].flatMap(exportLines).join("\n")
    const r = await cratos(["import", "-"], { db, input })
    expect(r.code).toBe(0)
    expect(r.stderr).toBe("")
    const after = readModel(db)
    expect(after.checkpoints.map((c: any) => c.position)).toEqual([after.last, after.last, after.last])
    const list = json((await cratos(["list", "--json"], { db })).stdout)
    expect(list.map((x: any) => [x.id, x.status])).toEqual([
      [ID.pending, "pending"],
      [ID.declined, "completed"],
      [ID.failed, "failed"],
      [ID.read, "completed"]
    ])
    expect((await cratos(["project", "--rebuild"], { db })).code).toBe(0)
    expect(readModel(db)).toEqual(after)
  })

  it("a second import into a database with history projects on from its checkpoints", async () => {
    const db = path.join(dir, "twice.db")
    expect((await cratos(["import", "-"], { db, input: exportLines(ID.read).join("\n") })).code).toBe(0)
    const r = await cratos(["import", "-"], { db, input: [ID.failed, ID.read].flatMap(exportLines).join("\n") })
    expect(r.stdout).toBe(`imported ${ID.failed} 5\nskipped ${ID.read}: already exists\n`)
    const after = readModel(db)
    expect(after.summaries).toHaveLength(2)
    expect((await cratos(["project", "--rebuild"], { db })).code).toBe(0)
    expect(readModel(db)).toEqual(after)
  })

  it("an execution the store refuses is undone alone: the ones before it in its transaction stay", async () => {
    const db = path.join(dir, "refused.db")
    // under the line cap, over the store's cap on one event (the wire event holds the output twice)
    const big = "x".repeat(8_200 * 1024)
    const b = "b0000000-0000-4000-8000-00000000000b"
    const bLines = [
      message(b, "bob", "read big", 10),
      Events.toolInvoked({ tool: "file_read", input: { path: "big" }, timestamp: at(11) }),
      Events.toolCompleted({
        tool: "file_read",
        output: { success: true, output: big, error: null },
        duration_ms: 1,
        timestamp: at(12)
      }),
      Events.responseSent({ text: "done", channel: "cli", timestamp: at(13) })
    ].map((e, i) => lineOf(b, "bob", i + 1, Either.getOrThrow(encodeEvent(e))))
    // B's lines around A's whole history: A, then B, complete in the same input batch
    const file = path.join(dir, "refused.jsonl")
    fs.writeFileSync(
      file,
      [...bLines.slice(0, 3), ...exportLines(ID.read), bLines[3], ...exportLines(ID.failed)].join("\n")
    )
    const r = await cratos(["import", file], { db })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(`imported ${ID.read} 5\n`)
    expect(lines(r.stderr)).toHaveLength(1)
    expect(r.stderr).toMatch(
      new RegExp(`over the cap.*; execution ${b} was not imported \\(the 1 imported before it stays\\)\\n$`)
    )
    expect(r.stderr).not.toContain("xxxx")
    const c = new BetterSqlite3(db, { readonly: true })
    expect(c.prepare("SELECT id FROM executions").pluck().all()).toEqual([ID.read])
    expect(c.prepare("SELECT count(*) FROM execution_events").pluck().get()).toBe(5)
    c.close()
    const list = json((await cratos(["list", "--json"], { db })).stdout)
    expect(list.map((x: any) => x.id)).toEqual([ID.read])
  })

  it("--strict: a history refused after others in the same batch keeps those others, reported", async () => {
    const db = path.join(dir, "strict.db")
    const events = exportLines(ID.declined)
    const broken = [events[0], events[2], events[3]].join("\n") // an approval answer with no request
    const input = [...exportLines(ID.read), ...exportLines(ID.failed), broken].join("\n")
    const r = await cratos(["import", "-", "--strict"], { db, input })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(`imported ${ID.read} 5\nimported ${ID.failed} 5\n`)
    expect(r.stderr).toMatch(
      /^cratos: line 12: execution 33333333-.*refused.*; stopped there \(the 2 executions imported before it stay\)\n$/
    )
    const list = json((await cratos(["list", "--json"], { db })).stdout)
    expect(list.map((x: any) => x.id)).toEqual([ID.failed, ID.read])
  })
})
