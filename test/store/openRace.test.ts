import { describe, expect, it } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { repoRoot, SEED_DDL, tempDbPath } from "./helpers.js"

const PROCESSES = 4

const opener = (file: string, startAt: number): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "test/store/openRacer.ts"), file, String(startAt)], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (err += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, out, err }))
  })

const race = async (file: string) => {
  const startAt = Date.now() + 2500
  const results = await Promise.all(Array.from({ length: PROCESSES }, () => opener(file, startAt)))
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
  it("all succeed on a new file, which is migrated once", { timeout: 60_000 }, async () => {
    expect(await race(tempDbPath())).toEqual({ migrations: 3, executions: PROCESSES, events: 2 * PROCESSES })
  })

  it("all succeed on a seed database, which is adopted once", { timeout: 60_000 }, async () => {
    const file = tempDbPath()
    const db = new BetterSqlite3(file)
    db.exec(SEED_DDL)
    db.close()
    expect(await race(file)).toEqual({ migrations: 3, executions: PROCESSES, events: 2 * PROCESSES })
  })
})
