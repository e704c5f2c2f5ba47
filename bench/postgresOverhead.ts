/**
 * Where the PostgreSQL store's time goes beside the server: one named query (a stream read) 2,000
 * times through a raw `pg.Client`, a `pg.Pool` of one, the pool inside `Effect.tryPromise`, and
 * the store's `getEvents` (pool + Effect + decoding), in the same run.
 *
 *   pnpm tsx bench/postgresOverhead.ts [calls=2000]
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { EventStore } from "@cratos/store"
import * as Q from "./workloads/postgresRawSql.js"
import { Effect, ManagedRuntime } from "effect"
import pg from "pg"
import { chunk } from "./fixtures.js"
import { startCluster, stopCluster } from "./lib/postgresCluster.js"

const calls = Number(process.argv[2] ?? 2000)

const main = async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-pgover-"))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, { durable: true, synchronousCommit: "off" })
  try {
    const url = cluster.url
    const rt = ManagedRuntime.make(EventStore.layerPostgres({ url, maxConnections: 1 }))
    const store = await rt.runPromise(EventStore)
    const [x] = chunk(0, 1)
    await rt.runPromise(Effect.zipRight(store.startExecution(x!.id, x!.first), store.append(x!.id, x!.rest)))
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const pool = new pg.Pool({ connectionString: url, max: 1 })
    const config = { ...Q.READ_STREAM([x!.id]), rowMode: "array" as const }
    const time = async (label: string, f: () => Promise<unknown>) => {
      for (let i = 0; i < 200; i++) await f()
      const t = performance.now()
      for (let i = 0; i < calls; i++) await f()
      const us = ((performance.now() - t) * 1000) / calls
      console.log(`${label.padEnd(48)} ${us.toFixed(0).padStart(6)} µs per call`)
    }
    await time("pg.Client.query (named, array rows)", () => client.query(config))
    await time("pg.Pool(max 1).query", () => pool.query(config))
    await time("Effect.runPromise(Effect.tryPromise(pool.query))", () =>
      Effect.runPromise(Effect.tryPromise(() => pool.query(config)))
    )
    await time("store.getEvents (runtime.runPromise per call)", () => rt.runPromise(store.getEvents(x!.id)))
    await time("store.getEvents ×10 in one Effect (per call)", async () => {
      await rt.runPromise(Effect.repeatN(store.getEvents(x!.id), 9))
    })
    await client.end()
    await pool.end()
    await rt.dispose()
  } finally {
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
