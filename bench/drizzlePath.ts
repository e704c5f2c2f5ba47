/**
 * Step 5 of issue 13, measured before it is taken: Drizzle's typed query builder with prepared
 * placeholders (`.prepare()`) against the raw driver, in the same run, on the store's hottest
 * statements, on both dialects:
 *
 *   R: a stream's events (`SELECT id, execution_id, user_id, event_data … WHERE execution_id = ? ORDER BY id`),
 *      for every execution;
 *   I: one event INSERT … RETURNING id per call (autocommit).
 *
 *   pnpm tsx bench/drizzlePath.ts [executions=300] [runs=3]
 *
 * Prints calls/s, median of `runs` [min–max], and drizzle/raw. Reported, never asserted.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { schema } from "@cratos/store"
import { pgSchema } from "@cratos/store/postgres"
import { asc, eq, sql } from "drizzle-orm"
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3"
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres"
import pg from "pg"
import { chunk } from "./fixtures.js"
import { freshPath, openRaw, removeDb } from "./lib/db.js"
import { startCluster, stopCluster } from "./lib/postgresCluster.js"

const executions = Number(process.argv[2] ?? 300)
const runs = Number(process.argv[3] ?? 3)
const xs = chunk(0, executions)
const READ = `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE execution_id = ? ORDER BY id`
const INSERT = `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?) RETURNING id`
const numbered = (text: string) => {
  let n = 0
  return text.replace(/\?/g, () => `$${++n}`)
}

const median = (v: ReadonlyArray<number>) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
const fmt = (v: ReadonlyArray<number>) =>
  `${Math.round(median(v)).toLocaleString("en")} [${Math.round(Math.min(...v)).toLocaleString("en")}–${Math.round(Math.max(...v)).toLocaleString("en")}]`
const lines: Array<string> = []
const report = (what: string, drizzle: Array<number>, raw: Array<number>) => {
  const line = `${what.padEnd(40)} ${fmt(drizzle).padEnd(26)} ${fmt(raw).padEnd(26)} ${(median(drizzle) / median(raw)).toFixed(2)}`
  lines.push(line)
  process.stderr.write(line + "\n")
}
const rate = async (calls: number, f: () => Promise<void> | void) => {
  const t = performance.now()
  await f()
  return calls / ((performance.now() - t) / 1000)
}

const sqlite = async () => {
  const file = freshPath("drizzle")
  const { db, close } = await openRaw(file)
  const d = drizzleSqlite({ client: db, schema })
  const e = schema.executionEvents
  const insertExecution = db.prepare(
    "INSERT INTO executions (id, user_id, channel, input_text, created_at) VALUES (?, ?, 'cli', 'x', ?)"
  )
  for (const x of xs) insertExecution.run(x.id, x.first.message.user_id, x.first.timestamp)
  const rawInsert = db.prepare(INSERT).raw(true)
  const dInsert = d
    .insert(e)
    .values({
      executionId: sql.placeholder("executionId"),
      userId: sql.placeholder("userId"),
      eventType: sql.placeholder("eventType"),
      eventData: sql.placeholder("eventData"),
      timestamp: sql.placeholder("timestamp")
    })
    .returning({ id: e.id })
    .prepare()
  const rawRead = db.prepare(READ).raw(true)
  const dRead = d
    .select({ id: e.id, executionId: e.executionId, userId: e.userId, eventData: e.eventData })
    .from(e)
    .where(eq(e.executionId, sql.placeholder("id")))
    .orderBy(asc(e.id))
    .prepare()
  const ins = { drizzle: [] as Array<number>, raw: [] as Array<number> }
  const rd = { drizzle: [] as Array<number>, raw: [] as Array<number> }
  for (let r = 0; r < runs; r++) {
    ins.raw.push(
      await rate(executions * 5, () => {
        for (const x of xs)
          for (const ev of x.events.slice(0, 5)) rawInsert.get(x.id, "u", ev.type, JSON.stringify(ev), ev.timestamp)
      })
    )
    ins.drizzle.push(
      await rate(executions * 5, () => {
        for (const x of xs)
          for (const ev of x.events.slice(5))
            dInsert.get({
              executionId: x.id,
              userId: "u",
              eventType: ev.type,
              eventData: JSON.stringify(ev),
              timestamp: ev.timestamp
            })
      })
    )
    rd.raw.push(await rate(executions, () => void xs.forEach((x) => rawRead.all(x.id))))
    rd.drizzle.push(await rate(executions, () => void xs.forEach((x) => dRead.all({ id: x.id }))))
  }
  report("SQLite I: insert one event (autocommit)", ins.drizzle, ins.raw)
  report("SQLite R: read one stream", rd.drizzle, rd.raw)
  await close()
  removeDb(file)
}

const postgres = async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-drizzle-"))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, { durable: true, synchronousCommit: "off" })
  try {
    const pool = new pg.Pool({ connectionString: cluster.url, max: 1 })
    await pool.query(`CREATE TABLE executions (id text PRIMARY KEY, user_id text NOT NULL, channel text NOT NULL,
      input_text text NOT NULL, status text NOT NULL DEFAULT 'pending', created_at text NOT NULL, completed_at text);
      CREATE TABLE execution_events (id bigserial PRIMARY KEY, execution_id text NOT NULL REFERENCES executions(id),
      user_id text NOT NULL, event_type text NOT NULL, event_data text NOT NULL, timestamp text NOT NULL,
      created_at text NOT NULL DEFAULT 'x');
      CREATE INDEX idx_events_execution_id ON execution_events(execution_id);`)
    for (const x of xs) {
      await pool.query(
        "INSERT INTO executions (id, user_id, channel, input_text, created_at) VALUES ($1, $2, 'cli', 'x', $3)",
        [x.id, x.first.message.user_id, x.first.timestamp]
      )
    }
    const d = drizzlePg({ client: pool, schema: pgSchema })
    const e = pgSchema.executionEvents
    const dInsert = d
      .insert(e)
      .values({
        executionId: sql.placeholder("executionId"),
        userId: sql.placeholder("userId"),
        eventType: sql.placeholder("eventType"),
        eventData: sql.placeholder("eventData"),
        timestamp: sql.placeholder("timestamp")
      })
      .returning({ id: e.id })
      .prepare("d_insert")
    const dRead = d
      .select({ id: e.id, executionId: e.executionId, userId: e.userId, eventData: e.eventData })
      .from(e)
      .where(eq(e.executionId, sql.placeholder("id")))
      .orderBy(asc(e.id))
      .prepare("d_read")
    const ins = { drizzle: [] as Array<number>, raw: [] as Array<number> }
    const rd = { drizzle: [] as Array<number>, raw: [] as Array<number> }
    for (let r = 0; r < runs; r++) {
      ins.raw.push(
        await rate(executions * 5, async () => {
          for (const x of xs)
            for (const ev of x.events.slice(0, 5))
              await pool.query({
                name: "r_insert",
                text: numbered(INSERT),
                values: [x.id, "u", ev.type, JSON.stringify(ev), ev.timestamp]
              })
        })
      )
      ins.drizzle.push(
        await rate(executions * 5, async () => {
          for (const x of xs)
            for (const ev of x.events.slice(5))
              await dInsert.execute({
                executionId: x.id,
                userId: "u",
                eventType: ev.type,
                eventData: JSON.stringify(ev),
                timestamp: ev.timestamp
              })
        })
      )
      rd.raw.push(
        await rate(executions, async () => {
          for (const x of xs)
            await pool.query({ name: "r_read", text: numbered(READ), values: [x.id], rowMode: "array" })
        })
      )
      rd.drizzle.push(
        await rate(executions, async () => {
          for (const x of xs) await dRead.execute({ id: x.id })
        })
      )
    }
    report("PostgreSQL I: insert one event (autocommit)", ins.drizzle, ins.raw)
    report("PostgreSQL R: read one stream", rd.drizzle, rd.raw)
    await pool.end()
  } finally {
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
  }
}

const main = async () => {
  await sqlite()
  await postgres()
  console.log(
    `Drizzle prepared query builder vs the raw driver, ${executions} executions, median of ${runs} runs, calls/s [min–max]`
  )
  console.log(`${"statement".padEnd(40)} ${"drizzle .prepare()".padEnd(26)} ${"raw driver".padEnd(26)} drizzle/raw`)
  for (const l of lines) console.log(l)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
