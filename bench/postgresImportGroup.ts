/**
 * Import's one-transaction group on PostgreSQL (`appendGroup`, what `cratos import` commits per
 * execution) against the same transaction on one raw `pg` client (BEGIN, `cratos_start_execution`,
 * `cratos_append` of the other 9 events, COMMIT; events through JSON.stringify), in the same run,
 * on a throwaway cluster (`synchronous_commit=off`).
 *
 *   pnpm tsx bench/postgresImportGroup.ts [--executions 1000] [--runs 5]
 *
 * Each run: a fresh database per side, the sides alternating which goes first. Printed per side:
 * events/s (median [min–max]) and this process's CPU time per execution (user + system, median):
 * the client's own work per group, which is what building statements once saves; wall time on a
 * shared machine also counts waiting for the server and for a core.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { appendGroup, PostgresDatabase } from "@cratos/store/postgres"
import { Effect, ManagedRuntime } from "effect"
import pg from "pg"
import { chunk, type Execution } from "./fixtures.js"
import { startCluster, stopCluster } from "./lib/postgresCluster.js"
import { rawStatements } from "./workloads/postgresAppend.js"

const argv = process.argv.slice(2)
const option = (name: string) => {
  const i = argv.indexOf(name)
  return i === -1 ? undefined : argv[i + 1]
}
const executions = Number(option("--executions") ?? 1000)
const runs = Number(option("--runs") ?? 5)

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (xs: ReadonlyArray<number>) =>
  `${Math.round(median(xs)).toLocaleString("en")} [${Math.round(Math.min(...xs)).toLocaleString("en")}–${Math.round(Math.max(...xs)).toLocaleString("en")}]`

const timed = async (f: () => Promise<void>) => {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await f()
  const c = process.cpuUsage(c0)
  return { seconds: (performance.now() - t0) / 1000, cpuUs: c.user + c.system }
}

const main = async () => {
  const loadAtStart = os.loadavg()[0]!.toFixed(1)
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-pgimport-"))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, { durable: true, synchronousCommit: "off" })
  const admin = new pg.Client({ connectionString: cluster.adminUrl })
  await admin.connect()
  let n = 0
  const freshDb = async () => {
    const name = `group_${++n}`
    await admin.query(`CREATE DATABASE ${name}`)
    const url = cluster.url.replace(/\/postgres$/, `/${name}`)
    const rt = ManagedRuntime.make(PostgresDatabase.layer({ url, maxConnections: 1 }))
    await rt.runPromise(PostgresDatabase)
    return { url, rt }
  }
  const xs: ReadonlyArray<Execution> = chunk(0, executions)
  const events = executions * 10
  const rate = { store: [] as Array<number>, raw: [] as Array<number> }
  const cpu = { store: [] as Array<number>, raw: [] as Array<number> }
  const store = async () => {
    const { rt } = await freshDb()
    const t = await timed(() =>
      rt.runPromise(Effect.forEach(xs, (x) => appendGroup(x.id, x.events, 0), { discard: true }))
    )
    await rt.dispose()
    rate.store.push(events / t.seconds)
    cpu.store.push(t.cpuUs / executions)
  }
  const raw = async () => {
    const { url, rt } = await freshDb()
    await rt.dispose()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const q = rawStatements(client)
    const t = await timed(async () => {
      for (const x of xs) {
        await client.query("BEGIN")
        await q.start(x)
        await q.append(x, 1, 10, 1)
        await client.query("COMMIT")
      }
    })
    await client.end()
    rate.raw.push(events / t.seconds)
    cpu.raw.push(t.cpuUs / executions)
  }
  try {
    await store() // warm-up, untimed in the figures below
    rate.store.length = 0
    cpu.store.length = 0
    for (let r = 0; r < runs; r++) {
      if (r % 2 === 0) {
        await store()
        await raw()
      } else {
        await raw()
        await store()
      }
    }
  } finally {
    await admin.end()
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
  }
  console.log(
    `import's group on PostgreSQL: ${executions} executions × 10 events, median of ${runs} runs; ` +
      `load average (1 min) ${loadAtStart} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end`
  )
  console.log(
    `appendGroup      ${fmt(rate.store).padEnd(26)} events/s   CPU ${Math.round(median(cpu.store))} µs/execution`
  )
  console.log(`raw pg, same tx  ${fmt(rate.raw).padEnd(26)} events/s   CPU ${Math.round(median(cpu.raw))} µs/execution`)
  console.log(`ratio (events/s) ${(median(rate.store) / median(rate.raw)).toFixed(2)}`)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
