/**
 * The read side on PostgreSQL (issue 13), on a throwaway durable cluster started here:
 *
 *   pnpm tsx bench/postgresReadSide.ts [--executions 2000] [--runs 3]
 *
 * W4: the projector catching up from 0 over the whole log (status + summary, batches of 1000),
 *   events/s, the same log projected on SQLite in the same run for comparison. No raw-`pg`
 *   ceiling yet (see BENCHMARKS.md).
 * RM: the ReadModel's queries through Drizzle's builder with named prepared statements (and the
 *   service's Effect and row mapping) against the raw driver running the same join, filter and
 *   order as SQL text the builder printed (`toSQL()`, every column of both tables), as a named
 *   statement too, in the same run: `list()`, `list({ user })`, `get(id)`; calls/s, drizzle/raw.
 *
 * Figures are medians of `runs` with [min–max]; reported, never asserted.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { executionStatus, executionSummary, Projector, ProjectorDatabase, ReadModel } from "@cratos/projector"
import type { MessageReceived } from "@cratos/domain"
import { EventStore } from "@cratos/store"
import { Effect, Layer, Logger, LogLevel, ManagedRuntime } from "effect"
import pg from "pg"
import { chunk, userOf } from "./fixtures.js"
import { startCluster, stopCluster } from "./lib/postgresCluster.js"

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const executions = arg("--executions", 2000)
const runs = arg("--runs", 3)
const median = (v: ReadonlyArray<number>) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
const fmt = (v: ReadonlyArray<number>) =>
  `${Math.round(median(v)).toLocaleString("en")} [${Math.round(Math.min(...v)).toLocaleString("en")}–${Math.round(Math.max(...v)).toLocaleString("en")}]`
const say = (line: string) => process.stderr.write(line + "\n")
const quiet = Logger.minimumLogLevel(LogLevel.None)
const PROJECTIONS = [executionStatus, executionSummary]

const seed = async (layer: Layer.Layer<EventStore, unknown>) => {
  const rt = ManagedRuntime.make(layer)
  for (const x of chunk(0, executions)) {
    await rt.runPromise(
      Effect.gen(function* () {
        const store = yield* EventStore
        yield* store.startExecution(x.id, x.first as MessageReceived)
        yield* store.append(x.id, x.events.slice(1), { expectedVersion: 1 })
      })
    )
  }
  await rt.dispose()
}

const main = async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-pg-read-"))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, { durable: true, synchronousCommit: "off" })
  const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-sqlite-read-"))
  try {
    const admin = new pg.Client({ connectionString: cluster.adminUrl })
    await admin.connect()
    await admin.query("CREATE DATABASE readside")
    await admin.end()
    const url = cluster.url.replace(/\/postgres$/, "/readside")
    const file = path.join(sqliteDir, "w4.db")
    say(`seeding ${executions} executions (${executions * 10} events) on both`)
    await seed(EventStore.layerPostgres({ url }))
    await seed(EventStore.layer({ path: file }))

    const pgLayer = Layer.mergeAll(
      Projector.layerOn({ projections: PROJECTIONS, batchSize: 1000 }),
      ReadModel.layerPostgres
    ).pipe(
      Layer.provide(ProjectorDatabase.postgres),
      Layer.provideMerge(EventStore.layerPostgres({ url })),
      Layer.provide(quiet)
    )
    const sqliteLayer = Projector.layer({ projections: PROJECTIONS, batchSize: 1000 }).pipe(
      Layer.provideMerge(EventStore.layer({ path: file })),
      Layer.provide(quiet)
    )
    const w4 = async (layer: Layer.Layer<Projector, unknown>) => {
      const rt = ManagedRuntime.make(layer)
      const rates: Array<number> = []
      for (let r = 0; r < runs; r++) {
        const projector = await rt.runPromise(Projector)
        await rt.runPromise(projector.reset())
        const t = performance.now()
        const out = await rt.runPromise(projector.catchUp)
        rates.push(out.events / ((performance.now() - t) / 1000))
      }
      await rt.dispose()
      return rates
    }
    const w4pg = await w4(pgLayer)
    const w4sqlite = await w4(sqliteLayer)
    const lines = [
      `W4 PostgreSQL projector catch-up (${executions * 10} events)   ${fmt(w4pg)} events/s`,
      `W4 SQLite, same log, same run                       ${fmt(w4sqlite)} events/s`
    ]
    for (const l of lines) say(l)

    // RM: Drizzle prepared vs raw (the same SQL text, named).
    const rt = ManagedRuntime.make(pgLayer)
    await rt.runPromise(Effect.flatMap(Projector, (p) => p.catchUp))
    const rm = await rt.runPromise(ReadModel)
    const pool = new pg.Pool({ connectionString: url, max: 1 })
    const { drizzle } = await import("drizzle-orm/node-postgres")
    const { pgSchema } = await import("@cratos/store/postgres")
    const { desc, eq, sql } = await import("drizzle-orm")
    const E = pgSchema.executions
    const S = pgSchema.executionSummaries
    const d = drizzle({ client: pool })
    const key = sql.raw((await import("@cratos/store/postgres")).instantKeyPgSql(`"executions"."created_at"`))
    const sqlOf = (q: { toSQL: () => { sql: string } }) => q.toSQL().sql
    const listSql = sqlOf(
      d
        .select()
        .from(E)
        .leftJoin(S, eq(S.executionId, E.id))
        .orderBy(desc(key), desc(E.id))
        .limit(sql.placeholder("l"))
        .offset(sql.placeholder("o"))
    )
    const userSql = sqlOf(
      d
        .select()
        .from(E)
        .leftJoin(S, eq(S.executionId, E.id))
        .where(eq(E.userId, sql.placeholder("u")))
        .orderBy(desc(key), desc(E.id))
        .limit(sql.placeholder("l"))
        .offset(sql.placeholder("o"))
    )
    const getSql = sqlOf(
      d
        .select()
        .from(E)
        .leftJoin(S, eq(S.executionId, E.id))
        .where(eq(E.id, sql.placeholder("id")))
    )
    const ids = chunk(0, executions).map((x) => x.id)
    const time = async (calls: number, f: (i: number) => Promise<unknown>) => {
      const t = performance.now()
      for (let i = 0; i < calls; i++) await f(i)
      return calls / ((performance.now() - t) / 1000)
    }
    const cases: Array<[string, (i: number) => Promise<unknown>, (i: number) => Promise<unknown>]> = [
      [
        "list() (50 newest)",
        () => rt.runPromise(rm.list()),
        () => pool.query({ name: "raw_list", text: listSql, values: [50, 0] })
      ],
      [
        "list({ user })",
        (i) => rt.runPromise(rm.list({ user: userOf(i) })),
        (i) => pool.query({ name: "raw_user", text: userSql, values: [userOf(i), 50, 0] })
      ],
      [
        "get(id)",
        (i) => rt.runPromise(rm.get(ids[i % ids.length]!)),
        (i) => pool.query({ name: "raw_get", text: getSql, values: [ids[i % ids.length]] })
      ]
    ]
    say(`\nReadModel on PostgreSQL, Drizzle prepared vs raw pg (same SQL, named), calls/s, median of ${runs}:`)
    for (const [name, viaDrizzle, viaRaw] of cases) {
      const a: Array<number> = []
      const b: Array<number> = []
      for (let r = 0; r < runs; r++) {
        b.push(await time(300, viaRaw))
        a.push(await time(300, viaDrizzle))
      }
      const line = `${name.padEnd(22)} drizzle ${fmt(a).padEnd(24)} raw ${fmt(b).padEnd(24)} ${(median(a) / median(b)).toFixed(2)}`
      say(line)
    }
    await pool.end()
    await rt.dispose()
  } finally {
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
    fs.rmSync(sqliteDir, { recursive: true, force: true })
  }
}

void main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exitCode = 1
})
