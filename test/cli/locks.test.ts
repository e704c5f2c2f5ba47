/**
 * Another process holds the database's write lock: reads go on (saying the read model may be
 * behind), writes fail after the busy timeout with one line naming the file and write nothing.
 */
import { describe, expect, it, vi } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import * as fs from "node:fs"
import * as path from "node:path"
import { cratos, ID, lines, seed, tempDir } from "./harness.js"

vi.setConfig({ testTimeout: 180_000 })

describe("a database locked by another writer", () => {
  it("list answers from the read model as it is; run and import fail with one line, nothing written", async () => {
    const dir = tempDir()
    const db = path.join(dir, "cratos.db")
    const ws = path.join(dir, "ws")
    fs.mkdirSync(ws)
    fs.writeFileSync(path.join(ws, "notes.txt"), "hi\n")
    await seed(db)
    expect((await cratos(["project"], { db })).code).toBe(0)
    const exported = (await cratos(["export", ID.read], { db })).stdout

    const other = new BetterSqlite3(db)
    // An event the projections have not seen yet, then the write lock, held.
    other
      .prepare(
        `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
         SELECT execution_id, user_id, event_type, event_data, timestamp FROM execution_events WHERE id = 1`
      )
      .run()
    const count = () => other.prepare("SELECT count(*) FROM execution_events").pluck().get() as number
    const before = count()
    other.exec("BEGIN IMMEDIATE")
    try {
      const [list, run, imported] = await Promise.all([
        cratos(["list", "--json"], { db }),
        cratos(["run", "read notes.txt", "--workspace", ws], { db }),
        cratos(["import", "-"], { db: db, input: exported.replaceAll(ID.read, "99999999-9999-4999-8999-999999999999") })
      ])
      expect(list.code).toBe(0)
      expect(JSON.parse(list.stdout)).toHaveLength(4)
      expect(list.stderr).toBe(
        `cratos: warning: the read model may be behind the log: ${db} is locked by another writer\n`
      )

      expect(run.code).toBe(1)
      expect(run.stdout).toBe("")
      expect(lines(run.stderr)).toHaveLength(1)
      expect(run.stderr).toContain(db)
      expect(run.stderr).toContain("SQLITE_BUSY")

      expect(imported.code).toBe(1)
      expect(imported.stdout).toBe("")
      expect(imported.stderr).toBe(
        `cratos: database ${db} is locked by another process; try again (SQLITE_BUSY); ` +
          `execution 99999999-9999-4999-8999-999999999999 was not imported\n`
      )
    } finally {
      other.exec("ROLLBACK")
    }
    expect(count()).toBe(before)
    other.close()
  })
})
