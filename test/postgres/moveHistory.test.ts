/**
 * Moving a history between SQLite and PostgreSQL with the real `cratos` bins and a real server:
 * `cratos export --all --reveal --db a.db | cratos import - --db postgres://…` gives the same
 * `show --json` for every execution, and back (`… --db postgres://… | … --db b.db`). `--reveal`:
 * raw content is encrypted at rest under each database's own data keys (issue 14), so a history
 * moves as plaintext and the importing database seals it again under its keys.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as path from "node:path"
import Database from "better-sqlite3"
import pg from "pg"
import { BIN, cratos, lines, ROOT, seed, tempDir } from "../cli/harness.js"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"

/** `cratos export --all --reveal --db FROM | cratos import - --db TO`, through a shell pipe. */
const pipe = (from: string, to: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
    const node = q(process.execPath)
    const script = `set -o pipefail; ${node} ${q(BIN)} export --all --reveal --db ${q(from)} | ${node} ${q(BIN)} import - --db ${q(to)}`
    const env = { ...process.env }
    delete env["CRATOS_HOME"]
    delete env["CRATOS_DB"]
    const child = spawn("bash", ["-c", script], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

const showAll = async (db: string, ids: ReadonlyArray<string>) => {
  const out = new Map<string, unknown>()
  for (const id of ids) {
    const r = await cratos(["show", id, "--json"], { db })
    expect(r.code, r.stderr).toBe(0)
    out.set(id, JSON.parse(r.stdout))
  }
  return out
}

const idsOf = async (db: string) => {
  const r = await cratos(["list", "--json", "--limit", "1000"], { db })
  expect(r.code, r.stderr).toBe(0)
  return (JSON.parse(r.stdout) as Array<{ id: string }>).map((e) => e.id).sort()
}

describe.skipIf(!postgresAvailable())("moving a history between SQLite and PostgreSQL", () => {
  it("export | import into PostgreSQL gives the same show --json for every execution, and back", async () => {
    const dir = tempDir()
    const a = path.join(dir, "a.db")
    const b = path.join(dir, "b.db")
    await seed(a)
    const ran = await cratos(["run", "read README.md"], { db: a })
    expect(ran.code, ran.stderr).toBe(0)
    const ids = await idsOf(a)
    expect(ids.length).toBe(5)
    const original = await showAll(a, ids)

    const url = await postgresDatabase("move")
    const there = await pipe(a, url)
    expect(there.code, there.stderr).toBe(0)
    expect(lines(there.stdout)).toHaveLength(5)
    expect(there.stderr).not.toContain(new URL(url).password)
    expect(await idsOf(url)).toEqual(ids)
    expect(await showAll(url, ids)).toEqual(original)
    // PostgreSQL sealed what it imported under its own keys: every row masking changes, those SQLite
    // held sealed and the seeded plaintext rows that hold secrets.
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const envelopes = "SELECT count(*) AS n FROM execution_events WHERE event_data LIKE '%cratos:enc:v_:%'"
      const onPostgres = Number((await client.query(envelopes)).rows[0].n)
      const sqlite = new Database(a, { readonly: true })
      const onSqlite = (sqlite.prepare(envelopes).get() as { n: number }).n
      sqlite.close()
      expect(onSqlite).toBeGreaterThan(0)
      expect(onPostgres).toBeGreaterThan(onSqlite)
    } finally {
      await client.end()
    }

    const back = await pipe(url, b)
    expect(back.code, back.stderr).toBe(0)
    expect(await idsOf(b)).toEqual(ids)
    expect(await showAll(b, ids)).toEqual(original)

    // The same events (wire text, revealed) per execution from all three; only log positions may differ
    // (import commits an execution when its ResponseSent arrives, so one still open moves later).
    const perExecution = (text: string) => {
      const events = new Map<string, Array<string>>()
      for (const line of lines(text)) {
        const r = JSON.parse(line) as { execution_id: string; user_id: string; event: unknown }
        const list = events.get(r.execution_id) ?? []
        list.push(JSON.stringify([r.user_id, r.event]))
        events.set(r.execution_id, list)
      }
      return [...events.entries()].sort(([x], [y]) => (x < y ? -1 : 1))
    }
    const exports = await Promise.all([a, url, b].map((db) => cratos(["export", "--all", "--reveal"], { db })))
    expect(perExecution(exports[1]!.stdout)).toEqual(perExecution(exports[0]!.stdout))
    expect(perExecution(exports[2]!.stdout)).toEqual(perExecution(exports[0]!.stdout))
  }, 180_000)
})
