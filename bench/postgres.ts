/**
 * The PostgreSQL store against a raw `pg` ceiling in the same run (issue 13), on a throwaway
 * cluster started here (fsync on; `synchronous_commit` off by default, SQLite's WAL NORMAL
 * counterpart: `--sync on` for an fsync per commit).
 *
 *   pnpm tsx bench/postgres.ts [--executions 500] [--runs 3] [--sync off|on] [--only W1,W2,W3,W4,SCALE] [--writers 1,4,16] [--stats]
 *
 * W1, W2, W3 as bench/main.ts defines them (BENCHMARKS.md), each on a fresh database:
 *   W1: startExecution + 9 × append([event], {expectedVersion}); ceiling: the store's own SQL
 *       (bench/workloads/postgresAppend.ts) on one raw client.
 *   W2: startExecution + append(9 events); ceiling likewise.
 *   W3: getEvents of every execution, decoded; ceiling: the stream query + JSON.parse per row.
 * SCALE: W1 from 1, 4 and 16 writer processes at once (bench/postgresWriter.ts, released by a
 *   go-file), the executions split between them: events/s of all together, through the store,
 *   the raw ceiling (the store's functions), the same work as client-side steps (the round trips'
 *   cost) and those steps without the log's advisory lock (the lock's cost).
 * W4: the projector catching up from 0 with the status and summary projections; ceiling: the
 *   PostgreSQL backend's SQL on one raw client with the same fold (bench/workloads/postgresProject.ts).
 * --stats: the server runs pg_stat_statements; after each of W1–W3 it prints, per statement, its calls
 *   and mean execution time on the server, and the client's wall time per call of the store and
 *   of the ceiling: what is left of a call is the round trip (network, both processes' scheduling)
 *   and the client's own work.
 * W1–W3 also print the client's CPU (this process, user + system) per event of each side and the
 * store's events per client CPU second ÷ the ceiling's: on a shared machine a run's wall time moves
 * with the load, the client's own work much less (the server's CPU is not in it).
 * Figures are medians of `runs` with [min–max]; reported, never asserted.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { EventStore } from "@cratos/store"
import * as Q from "./workloads/postgresRawSql.js"
import { Effect, Layer, ManagedRuntime } from "effect"
import pg from "pg"
import { chunk, type Execution } from "./fixtures.js"
import { startCluster, stopCluster } from "./lib/postgresCluster.js"
import { rawStatements } from "./workloads/postgresAppend.js"
import * as W4 from "./workloads/postgresProject.js"

const argv = process.argv.slice(2)
const option = (name: string) => {
  const i = argv.indexOf(name)
  return i === -1 ? undefined : argv[i + 1]
}
const executions = Number(option("--executions") ?? 500)
const runs = Number(option("--runs") ?? 3)
const sync = option("--sync") === "on" ? "on" : "off"
const only = option("--only")?.toUpperCase().split(",")
const wants = (w: string) => only === undefined || only.includes(w)
const stats = argv.includes("--stats")
const writerCounts = (option("--writers") ?? "1,4,16").split(",").map(Number)
const repoRoot = path.resolve(import.meta.dirname, "..")

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (xs: ReadonlyArray<number>) =>
  `${Math.round(median(xs)).toLocaleString("en")} [${Math.round(Math.min(...xs)).toLocaleString("en")}–${Math.round(Math.max(...xs)).toLocaleString("en")}]`

let dbCounter = 0
const main = async () => {
  const loadAtStart = os.loadavg()[0]!.toFixed(1)
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-pgbench-"))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, {
    durable: true,
    synchronousCommit: sync,
    ...(stats ? { settings: ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all"] } : {})
  })
  const admin = new pg.Client({ connectionString: cluster.adminUrl })
  await admin.connect()
  if (stats) await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
  const statLines: Array<string> = []
  const resetStats = async () => {
    if (stats) await admin.query("SELECT pg_stat_statements_reset()")
  }
  /** The last workload's statements by server time, with the client's wall time per call. */
  const printStats = async (w: string, calls: number, storeS: number, ceilingS: number) => {
    if (!stats) return
    const r = await admin.query<{ query: string; calls: string; mean: number; total: number }>(
      `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, mean_exec_time AS mean, total_exec_time AS total
       FROM pg_stat_statements WHERE query !~* 'pg_stat_statements|^(BEGIN|COMMIT|ROLLBACK)' ORDER BY total_exec_time DESC LIMIT 6`
    )
    statLines.push(
      `${w}: client wall per call (${calls} calls a side): store ${((storeS * 1000) / calls).toFixed(3)} ms, ceiling ${((ceilingS * 1000) / calls).toFixed(3)} ms; on the server:`
    )
    for (const row of r.rows)
      statLines.push(
        `  ${String(row.calls).padStart(6)} calls  mean ${Number(row.mean).toFixed(3)} ms  total ${Number(row.total).toFixed(0)} ms  ${row.query.slice(0, 110)}`
      )
  }
  /** A fresh, migrated database. */
  const freshDb = async (): Promise<string> => {
    const name = `bench_${++dbCounter}`
    await admin.query(`CREATE DATABASE ${name}`)
    const url = cluster.url.replace(/\/postgres$/, `/${name}`)
    await Effect.runPromise(Effect.scoped(Layer.build(EventStore.layerPostgres({ url }))))
    return url
  }
  const xs: ReadonlyArray<Execution> = chunk(0, executions)
  const events = executions * 10
  const rows: Array<string> = []
  /** This process's CPU seconds (user + system) of the last storeRun / rawRun: the client's own work. */
  let lastCpu = 0
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since)
    return (u.user + u.system) / 1e6
  }
  const row = (
    w: string,
    what: string,
    store: Array<number>,
    ceiling: Array<number>,
    cpu?: { store: Array<number>; ceiling: Array<number> }
  ) => {
    // Per client CPU second: each run's events per CPU second of this process, store ÷ ceiling of the medians.
    const perCpu =
      cpu === undefined
        ? ""
        : `  client CPU µs/event ${Math.round(median(cpu.store))} vs ${Math.round(median(cpu.ceiling))}, per CPU s ${(median(cpu.ceiling) / median(cpu.store)).toFixed(2)}`
    const line = `${w.padEnd(6)} ${what.padEnd(44)} ${String(events).padStart(6)}  ${fmt(store).padEnd(24)} ${fmt(ceiling).padEnd(24)} ${(median(store) / median(ceiling)).toFixed(2)}${perCpu}`
    rows.push(line)
    process.stderr.write(line + "\n")
  }

  const storeRun = async (url: string, f: (store: EventStore["Type"]) => Effect.Effect<void, unknown>) => {
    const rt = ManagedRuntime.make(EventStore.layerPostgres({ url, maxConnections: 1 }))
    const store = await rt.runPromise(EventStore)
    const cpu = process.cpuUsage()
    const t = performance.now()
    await rt.runPromise(f(store))
    const s = (performance.now() - t) / 1000
    lastCpu = cpuSeconds(cpu)
    await rt.dispose()
    return s
  }
  const rawRun = async (url: string, f: (client: pg.Client) => Promise<void>) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const cpu = process.cpuUsage()
    const t = performance.now()
    await f(client)
    const s = (performance.now() - t) / 1000
    lastCpu = cpuSeconds(cpu)
    await client.end()
    return s
  }

  try {
    for (const [w, what, batch] of [
      ["W1", "append, 1 event per tx (+ expected version)", false],
      ["W2", "startExecution + append of 9 events", true]
    ] as const) {
      if (!wants(w)) continue
      await resetStats()
      const store: Array<number> = []
      const ceiling: Array<number> = []
      const cpu = { store: [] as Array<number>, ceiling: [] as Array<number> }
      for (let r = 0; r < runs; r++) {
        const a = await freshDb()
        ceiling.push(
          events /
            (await rawRun(a, async (client) => {
              const raw = rawStatements(client)
              for (const x of xs) {
                await raw.start(x)
                if (batch) await raw.append(x, 1, 10, 1)
                else for (let k = 1; k < 10; k++) await raw.append(x, k, k + 1, k)
              }
            }))
        )
        cpu.ceiling.push((lastCpu * 1e6) / events)
        const b = await freshDb()
        store.push(
          events /
            (await storeRun(b, (s) =>
              Effect.gen(function* () {
                for (const x of xs) {
                  yield* s.startExecution(x.id, x.first)
                  if (batch) yield* s.append(x.id, x.rest, { expectedVersion: 1 })
                  else for (let k = 1; k < 10; k++) yield* s.append(x.id, [x.events[k]!], { expectedVersion: k })
                }
              })
            ))
        )
        cpu.store.push((lastCpu * 1e6) / events)
      }
      row(w, what, store, ceiling, cpu)
      await printStats(w, executions * (batch ? 2 : 10), events / median(store), events / median(ceiling))
    }

    /** A fresh database holding every execution's 10 events, written by the raw statements (untimed). */
    const seededDb = async () => {
      const url = await freshDb()
      await rawRun(url, async (client) => {
        const raw = rawStatements(client)
        for (const x of xs) {
          await raw.start(x)
          await raw.append(x, 1, 10, 1)
        }
      })
      return url
    }

    if (wants("W3")) {
      const url = await seededDb()
      const store: Array<number> = []
      const ceiling: Array<number> = []
      // One untimed pass first: the first reader of a fresh table pays for the cache.
      await storeRun(url, (s) => Effect.forEach(xs, (x) => s.getEvents(x.id), { discard: true }))
      await resetStats()
      const cpu = { store: [] as Array<number>, ceiling: [] as Array<number> }
      for (let r = 0; r < runs; r++) {
        ceiling.push(
          events /
            (await rawRun(url, async (client) => {
              for (const x of xs) {
                const res = await client.query<[number, string, string, string]>({
                  ...Q.READ_STREAM([x.id]),
                  rowMode: "array"
                })
                for (const row of res.rows) JSON.parse(row[3])
              }
            }))
        )
        cpu.ceiling.push((lastCpu * 1e6) / events)
        store.push(
          events /
            (await storeRun(url, (s) =>
              Effect.gen(function* () {
                for (const x of xs) yield* s.getEvents(x.id)
              })
            ))
        )
        cpu.store.push((lastCpu * 1e6) / events)
      }
      row("W3", "getEvents of every execution, decoded", store, ceiling, cpu)
      await printStats("W3", executions, events / median(store), events / median(ceiling))
    }

    if (wants("W4")) {
      const url = await seededDb()
      // One untimed pass of each first (a fresh table's first reader pays for the cache); then
      // both sides alternate, each from a reset, and must leave the same rows.
      await W4.store(url)
      const byStore = await W4.projected(url)
      await W4.ceiling(url)
      if ((await W4.projected(url)) !== byStore) throw new Error("W4: the ceiling's rows differ from the projector's")
      await resetStats()
      const store: Array<number> = []
      const ceiling: Array<number> = []
      for (let r = 0; r < runs; r++) {
        const c = await W4.ceiling(url)
        const s = await W4.store(url)
        if (c.events !== events || s.events !== events) throw new Error(`W4: ${c.events} / ${s.events} of ${events}`)
        ceiling.push(c.events / c.seconds)
        store.push(s.events / s.seconds)
      }
      row("W4", "projector catch-up from 0 (status + summary)", store, ceiling)
      await printStats("W4", Math.ceil(events / 1000), events / median(store), events / median(ceiling))
    }

    if (wants("SCALE")) {
      for (const processes of writerCounts) {
        const results: Record<string, Array<number>> = { store: [], functions: [], steps: [], "steps-nolock": [] }
        for (let r = 0; r < runs; r++) {
          for (const mode of ["functions", "steps", "steps-nolock", "store"] as const) {
            const url = await freshDb()
            const go = path.join(folder, `go-${processes}-${mode}-${r}`)
            const per = Math.ceil(executions / processes)
            let ready = 0
            const children = Array.from({ length: processes }, (_, p) => {
              const child = spawn(
                process.execPath,
                [
                  "--import",
                  "tsx",
                  "bench/postgresWriter.ts",
                  url,
                  mode,
                  String(p * per),
                  String(Math.min(executions, (p + 1) * per)),
                  go
                ],
                { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] }
              )
              let out = ""
              return new Promise<{ events: number; seconds: number }>((resolve, reject) => {
                child.stdout.on("data", (d: Buffer) => {
                  out += d.toString()
                  if (out.startsWith("ready\n") && !out.includes("#counted")) {
                    out += "#counted"
                    if (++ready === processes) fs.writeFileSync(go, "")
                  }
                })
                child.on("exit", (code) => {
                  const last = out.replace("#counted", "").trim().split("\n").pop() ?? ""
                  if (code === 0) resolve(JSON.parse(last) as { events: number; seconds: number })
                  else reject(new Error(`writer exited ${code}`))
                })
              })
            })
            const done = await Promise.all(children)
            results[mode]!.push(done.reduce((n, d) => n + d.events, 0) / Math.max(...done.map((d) => d.seconds)))
          }
        }
        const line =
          `SCALE  W1 from ${String(processes).padStart(2)} writer processes              ${String(events).padStart(6)}  ` +
          `store ${fmt(results.store!)}  raw ${fmt(results.functions!)}  store/raw ${(median(results.store!) / median(results.functions!)).toFixed(2)}  ` +
          `raw client-side steps ${fmt(results.steps!)}  steps without the log lock ${fmt(results["steps-nolock"]!)}`
        rows.push(line)
        process.stderr.write(line + "\n")
      }
    }
  } finally {
    await admin.end()
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
  }
  console.log(`load average (1 min) ${loadAtStart} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end`)
  console.log(
    `PostgreSQL ${path.basename(path.dirname(cluster.bin))}, synchronous_commit=${sync}, ${os.cpus().length} cores, ` +
      `median of ${runs} runs, events/s [min–max]`
  )
  console.log(
    `${"id".padEnd(6)} ${"workload".padEnd(44)} ${"events".padStart(6)}  ${"store".padEnd(24)} ${"raw pg ceiling".padEnd(24)} ratio`
  )
  for (const r of rows) console.log(r)
  if (statLines.length > 0) console.log(`\npg_stat_statements (--stats):\n${statLines.join("\n")}`)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
