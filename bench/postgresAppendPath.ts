/**
 * W1's call on PostgreSQL, layer by layer, interleaved (issue 13): a one-event `cratos_append`
 * through the raw client (the ceiling's config), the store's prepared statement on a pool of one,
 * that statement through `Effect.tryPromise` and through `Effect.promise` in one fiber, and
 * `store.append` in one fiber. Each round runs `calls` appends of every variant, in turn (the
 * order reversed every other round), so a drift of the server (its table growing, a checkpoint)
 * falls on every variant alike; `bench/postgresOverhead.ts` runs its lines one after another.
 * Printed per variant: the median and least wall µs per call over the rounds (the first two
 * rounds are warm-up) and this process's CPU µs per call (the client's own work).
 *
 *   npx tsx bench/postgresAppendPath.ts [calls=200] [rounds=12] [only: variants whose name holds it]
 *
 * For a CPU profile of one variant: bundle it (`bundleScript` of scripts/build.mjs, which keeps the
 * store's migrations reachable) and run `node --cpu-prof <bundle> 500 8 store.append`.
 */
import { EventStore } from "@cratos/store"
import { statements } from "@cratos/store/postgres"
import { drizzle } from "drizzle-orm/node-postgres"
import { Effect, ManagedRuntime } from "effect"
import pg from "pg"
import { chunk } from "./fixtures.js"
import { withBenchCluster } from "./lib/postgresCluster.js"
import { startExecutionParams } from "./workloads/postgresAppend.js"
import * as Raw from "./workloads/postgresRawSql.js"

const calls = Number(process.argv[2] ?? 200)
const rounds = Number(process.argv[3] ?? 12)
const only = process.argv[4]
const WARMUP_ROUNDS = 2

const main = async () => {
  await withBenchCluster("cratos-pgappend-", async (url) => {
    const rt = ManagedRuntime.make(EventStore.layerPostgres({ url, maxConnections: 1 }))
    const store = await rt.runPromise(EventStore)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const pool = new pg.Pool({ connectionString: url, max: 1 })
    const Q = statements.preparePoolStatements(drizzle({ client: pool }), pool)
    const event = chunk(0, 1)[0]!.events[9]!
    const now = new Date().toISOString()
    // 400 streams appended to in turn, so every variant's streams grow alike
    const streams = chunk(1000, 1400)
    for (const s of streams) await client.query(Raw.START_EXECUTION(startExecutionParams(s, now)))
    let k = 0
    const next = () => streams[k++ % streams.length]!.id
    const data = [JSON.stringify(event)]
    const values = (executionId: string) => ({
      executionId,
      key: null,
      hash: "",
      expected: null,
      types: [event.type],
      data,
      timestamps: [event.timestamp],
      now
    })
    const awaited = (f: () => Promise<unknown>) => async (n: number) => {
      for (let i = 0; i < n; i++) await f()
    }
    const inOneFiber = (effect: () => Effect.Effect<unknown, unknown>) => (n: number) =>
      rt.runPromise(Effect.repeatN(Effect.suspend(effect), n - 1))
    const all: ReadonlyArray<readonly [string, (n: number) => Promise<unknown>]> = [
      [
        "raw pg.Client.query (the ceiling's)",
        awaited(() =>
          client.query(
            Raw.APPEND([next(), null, "", null, [event.type], [JSON.stringify(event)], [event.timestamp], now])
          )
        )
      ],
      ["statements.APPEND on the pool", awaited(() => Q.APPEND(values(next())))],
      ["  in one fiber, Effect.tryPromise", inOneFiber(() => Effect.tryPromise(() => Q.APPEND(values(next()))))],
      ["  in one fiber, Effect.promise", inOneFiber(() => Effect.promise(() => Q.APPEND(values(next()))))],
      ["store.append in one fiber", inOneFiber(() => store.append(next(), [event]))]
    ]
    const variants = only === undefined ? all : all.filter(([name]) => name.includes(only))
    const wall = new Map<string, Array<number>>()
    const cpu = new Map<string, number>()
    for (let r = 0; r < rounds; r++) {
      for (const [name, run] of r % 2 === 0 ? variants : [...variants].reverse()) {
        const c = process.cpuUsage()
        const t = performance.now()
        await run(calls)
        const us = ((performance.now() - t) * 1000) / calls
        const used = process.cpuUsage(c)
        if (r < WARMUP_ROUNDS) continue
        wall.set(name, [...(wall.get(name) ?? []), us])
        cpu.set(name, (cpu.get(name) ?? 0) + (used.user + used.system) / calls)
      }
    }
    const measured = rounds - WARMUP_ROUNDS
    console.log(
      `${calls} calls × ${measured} rounds per variant, interleaved; wall µs per call (median, least), CPU µs per call`
    )
    for (const [name] of variants) {
      const xs = [...wall.get(name)!].sort((a, b) => a - b)
      const median = xs[Math.floor(xs.length / 2)]!
      console.log(
        `${name.padEnd(40)} wall ${median.toFixed(0).padStart(5)}, least ${xs[0]!.toFixed(0).padStart(5)}   CPU ${(cpu.get(name)! / measured).toFixed(0).padStart(4)}`
      )
    }
    await client.end()
    await pool.end()
    await rt.dispose()
  })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
