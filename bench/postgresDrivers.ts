/**
 * Driver choice for the PostgreSQL store (issue 13, step 1): node-postgres (`pg`) against
 * postgres.js (`postgres`) on the store's own shape of work, in the same run, on a throwaway
 * durable cluster (fsync on, synchronous_commit on).
 *
 *   pnpm tsx bench/postgresDrivers.ts [appends=2000] [runs=3]
 *
 * A: one append per transaction, as `EventStore.append` does it: BEGIN, lock the execution's row
 *    and read the stream's head, INSERT one event RETURNING id, COMMIT (4 round trips), named
 *    (prepared) statements, one connection, sequential.
 * R: reading the log in pages of 1000 rows (`readLog`'s keyset query).
 * C: A with 8 connections appending to 8 streams at once (pool of 8).
 * Prints the median of `runs` for each, as events per second.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import pg from "pg"
import postgres from "postgres"
import { startCluster, stopCluster } from "./lib/postgresCluster.js"

const appends = Number(process.argv[2] ?? 2000)
const runs = Number(process.argv[3] ?? 3)

const DDL = `
CREATE TABLE executions (id text PRIMARY KEY, user_id text NOT NULL);
CREATE TABLE execution_events (id bigserial PRIMARY KEY, execution_id text NOT NULL REFERENCES executions(id),
  user_id text NOT NULL, event_type text NOT NULL, event_data text NOT NULL, timestamp text NOT NULL);
CREATE INDEX idx_events_execution_id ON execution_events(execution_id);`
const HEAD = `SELECT e.user_id, (SELECT max(id) FROM execution_events WHERE execution_id = e.id) AS last
  FROM executions e WHERE e.id = $1 FOR UPDATE`
const INSERT = `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
  VALUES ($1, $2, $3, $4, $5) RETURNING id`
const PAGE = `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE id > $1 ORDER BY id LIMIT $2`
const DATA = JSON.stringify({
  type: "ToolCompleted",
  tool: "file_read",
  output: { success: true, text: "x".repeat(400) }
})
const TS = "2026-12-01T10:00:00.000Z"

const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const pgAppends = async (pool: pg.Pool, stream: string, n: number) => {
  const c = await pool.connect()
  try {
    for (let i = 0; i < n; i++) {
      await c.query("BEGIN")
      const head = await c.query({ name: "head", text: HEAD, values: [stream] })
      await c.query({ name: "insert", text: INSERT, values: [stream, head.rows[0].user_id, "ToolCompleted", DATA, TS] })
      await c.query("COMMIT")
    }
  } finally {
    c.release()
  }
}

const jsAppends = async (sql: postgres.Sql, stream: string, n: number) => {
  for (let i = 0; i < n; i++) {
    await sql.begin(async (tx) => {
      const [head] = await tx.unsafe(HEAD, [stream], { prepare: true })
      await tx.unsafe(INSERT, [stream, head!.user_id, "ToolCompleted", DATA, TS], { prepare: true })
    })
  }
}

const main = async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-pgbench-"))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, { durable: true })
  const results: Record<string, Array<number>> = {
    "pg A": [],
    "postgres.js A": [],
    "pg R": [],
    "postgres.js R": [],
    "pg C": [],
    "postgres.js C": []
  }
  try {
    const admin = new pg.Client({ connectionString: cluster.adminUrl })
    await admin.connect()
    for (let r = 0; r < runs; r++) {
      for (const driver of ["pg", "postgres.js"] as const) {
        const db = `b_${driver === "pg" ? "pg" : "js"}_${r}`
        await admin.query(`CREATE DATABASE ${db}`)
        const url = cluster.url.replace(/\/postgres$/, `/${db}`)
        const streams = Array.from({ length: 8 }, (_, i) => `s${i}`)
        const setup = new pg.Client({ connectionString: url })
        await setup.connect()
        await setup.query(DDL)
        for (const s of streams) await setup.query("INSERT INTO executions VALUES ($1, 'u')", [s])
        await setup.end()
        if (driver === "pg") {
          const pool = new pg.Pool({ connectionString: url, max: 8 })
          let t = performance.now()
          await pgAppends(pool, "s0", appends)
          results["pg A"]!.push(appends / ((performance.now() - t) / 1000))
          t = performance.now()
          await Promise.all(streams.map((s) => pgAppends(pool, s, appends / 8)))
          results["pg C"]!.push(appends / ((performance.now() - t) / 1000))
          t = performance.now()
          let after = 0
          let read = 0
          while (true) {
            const page = await pool.query({ name: "page", text: PAGE, values: [after, 1000], rowMode: "array" })
            if (page.rows.length === 0) break
            read += page.rows.length
            after = Number(page.rows[page.rows.length - 1]![0])
          }
          results["pg R"]!.push(read / ((performance.now() - t) / 1000))
          await pool.end()
        } else {
          const sql = postgres(url, { max: 8, onnotice: () => {} })
          let t = performance.now()
          await jsAppends(sql, "s0", appends)
          results["postgres.js A"]!.push(appends / ((performance.now() - t) / 1000))
          t = performance.now()
          await Promise.all(streams.map((s) => jsAppends(sql, s, appends / 8)))
          results["postgres.js C"]!.push(appends / ((performance.now() - t) / 1000))
          t = performance.now()
          let after = 0
          let read = 0
          while (true) {
            const page = (await sql.unsafe(PAGE, [after, 1000], { prepare: true }).values()) as Array<Array<unknown>>
            if (page.length === 0) break
            read += page.length
            after = Number(page[page.length - 1]![0])
          }
          results["postgres.js R"]!.push(read / ((performance.now() - t) / 1000))
          await sql.end()
        }
      }
    }
    await admin.end()
  } finally {
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
  }
  console.log(`PostgreSQL drivers, ${appends} appends per run, median of ${runs} runs (events/s):`)
  for (const [k, v] of Object.entries(results))
    console.log(
      `  ${k.padEnd(16)} ${Math.round(median(v)).toString().padStart(8)}   (runs: ${v.map(Math.round).join(", ")})`
    )
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
