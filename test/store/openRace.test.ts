import { describe, expect, it } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { runTogether } from "./barrier.js"
import { MIGRATION_COUNT, SEED_DDL, tempDbPath } from "./helpers.js"

const PROCESSES = Number(process.env["OPEN_RACE_PROCESSES"] ?? 3)

const race = async (file: string) => {
  const results = await runTogether(
    "test/store/openRacer.ts",
    Array.from({ length: PROCESSES }, () => [file, `${file}.go`]),
    `${file}.go`
  )
  for (const r of results) {
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/ok\n$/)
  }
  const db = new BetterSqlite3(file, { readonly: true })
  const migrations = db.prepare(`SELECT count(*) FROM "__drizzle_migrations"`).pluck().get()
  const executions = db.prepare("SELECT count(*) FROM executions").pluck().get()
  const events = db.prepare("SELECT count(*) FROM execution_events").pluck().get()
  db.close()
  return { migrations, executions, events }
}

describe("several processes opening one file at once", () => {
  it("all succeed on a new file, which is migrated once", { timeout: 180_000 }, async () => {
    expect(await race(tempDbPath())).toEqual({
      migrations: MIGRATION_COUNT,
      executions: PROCESSES,
      events: 2 * PROCESSES
    })
  })

  it("all succeed on a seed database, which is adopted once", { timeout: 180_000 }, async () => {
    const file = tempDbPath()
    const db = new BetterSqlite3(file)
    db.exec(SEED_DDL)
    db.close()
    expect(await race(file)).toEqual({ migrations: MIGRATION_COUNT, executions: PROCESSES, events: 2 * PROCESSES })
  })
})
