/**
 * Where the PostgreSQL store's time goes beside the server: one named query (a stream read) 2,000
 * times through a raw `pg.Client`, a `pg.Pool` of one, the pool inside `Effect.tryPromise`, and
 * the store's `getEvents` (pool + Effect + decoding), in the same run. Then W1's call, a one-event
 * `cratos_append`, the same way: the raw ceiling's (a named config on a client, the event through
 * JSON.stringify), the store's statement (`statements.APPEND`: Drizzle's text in array mode on the
 * pool), it inside `Effect.tryPromise`, and `store.append` (the domain's encoding, Effect, the pool).
 * Last, `store.append` over a pool that answers at once (no server): the client's own share.
 * Each line: wall µs per call and this process's CPU µs per call (the client's own work).
 *
 *   pnpm tsx bench/postgresOverhead.ts [calls=2000]
 */
import { EventStore } from "@cratos/store"
import { makePostgresEventStore, PostgresDatabase, statements } from "@cratos/store/postgres"
import { drizzle } from "drizzle-orm/node-postgres"
import * as Raw from "./workloads/postgresRawSql.js"
import { Effect, Layer, ManagedRuntime } from "effect"
import pg from "pg"
import { chunk } from "./fixtures.js"
import { startExecutionParams } from "./workloads/postgresAppend.js"
import { withBenchCluster } from "./lib/postgresCluster.js"

const calls = Number(process.argv[2] ?? 2000)

const main = async () => {
  await withBenchCluster("cratos-pgover-", async (url) => {
    const rt = ManagedRuntime.make(EventStore.layerPostgres({ url, maxConnections: 1 }))
    const store = await rt.runPromise(EventStore)
    const [x] = chunk(0, 1)
    await rt.runPromise(Effect.zipRight(store.startExecution(x!.id, x!.first), store.append(x!.id, x!.rest)))
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const pool = new pg.Pool({ connectionString: url, max: 1 })
    const config = { ...Raw.READ_STREAM([x!.id]), rowMode: "array" as const }
    /** `f` makes `per` calls. */
    const time = async (label: string, f: () => Promise<unknown>, per = 1) => {
      const n = Math.ceil(calls / per)
      for (let i = 0; i < 200 / per; i++) await f()
      const c = process.cpuUsage()
      const t = performance.now()
      for (let i = 0; i < n; i++) await f()
      const us = ((performance.now() - t) * 1000) / (n * per)
      const used = process.cpuUsage(c)
      const cpu = (used.user + used.system) / (n * per)
      console.log(`${label.padEnd(56)} ${us.toFixed(0).padStart(6)} µs per call, CPU ${cpu.toFixed(0).padStart(4)} µs`)
    }
    await time("pg.Client.query (named, array rows)", () => client.query(config))
    await time("pg.Pool(max 1).query", () => pool.query(config))
    await time("Effect.runPromise(Effect.tryPromise(pool.query))", () =>
      Effect.runPromise(Effect.tryPromise(() => pool.query(config)))
    )
    await time("store.getEvents (runtime.runPromise per call)", () => rt.runPromise(store.getEvents(x!.id)))
    await time(
      "store.getEvents ×10 in one Effect (per call)",
      async () => {
        await rt.runPromise(Effect.repeatN(store.getEvents(x!.id), 9))
      },
      10
    )

    // W1's call: one event appended, any version. Each line appends to 100 executions of its own,
    // in turn, so every line's streams are as long (cratos_append counts the stream's events).
    const event = x!.events[9]!
    const now = new Date().toISOString()
    const Q = statements.preparePoolStatements(drizzle({ client: pool }), pool)
    let line = 0
    const streams = async () => {
      const from = 1000 + 100 * line++
      const ids = chunk(from, from + 100)
      for (const s of ids) await client.query(Raw.START_EXECUTION(startExecutionParams(s, now)))
      let i = 0
      return () => ids[i++ % ids.length]!.id
    }
    const appendConfig = (id: string) =>
      Raw.APPEND([id, null, "", null, [event.type], [JSON.stringify(event)], [event.timestamp], now])
    const appendValues = (id: string) => ({
      executionId: id,
      key: null,
      hash: "",
      expected: null,
      types: [event.type],
      data: [JSON.stringify(event)],
      timestamps: [event.timestamp],
      now
    })
    console.log("W1's call, one-event cratos_append:")
    const a = await streams()
    await time("pg.Client.query (the raw ceiling's)", () => client.query(appendConfig(a())))
    const b = await streams()
    await time("pg.Pool(max 1).query (the same config)", () => pool.query(appendConfig(b())))
    const c = await streams()
    await time("statements.APPEND on the pool (array mode)", () => Q.APPEND(appendValues(c())))
    const d = await streams()
    await time("Effect.runPromise(Effect.tryPromise(statements.APPEND))", () =>
      Effect.runPromise(Effect.tryPromise(() => Q.APPEND(appendValues(d()))))
    )
    /** W1's shape: ten one-event appends, each to the next stream, in one Effect run. */
    const tenAppends = (
      runtime: ManagedRuntime.ManagedRuntime<EventStore, unknown>,
      s: EventStore["Type"],
      next: () => string
    ) =>
      runtime.runPromise(
        Effect.repeatN(
          Effect.suspend(() => s.append(next(), [event])),
          9
        )
      )
    const e = await streams()
    await time("store.append ×10 in one Effect (per call)", () => tenAppends(rt, store, e), 10)

    // The client's own share, no server: the store over a pool that answers every query at once
    // with an appended row, against the encoding plus an await of the same answer.
    const answer = { rows: [["appended", 2, 5, 5]] }
    const instant = { query: async () => answer } as unknown as pg.Pool
    const offline = ManagedRuntime.make(
      Layer.effect(EventStore, makePostgresEventStore()).pipe(
        Layer.provide(Layer.succeed(PostgresDatabase, { pool: instant, location: "none" }))
      )
    )
    const offlineStore = await offline.runPromise(EventStore)
    const f = await streams()
    // Warmed longer than the lines above: with no round trip, the first thousands of calls are the JIT's.
    for (let i = 0; i < 1000; i++) await tenAppends(offline, offlineStore, f)
    console.log("W1's call with a pool that answers at once (no server):")
    await time("store.append ×10 in one Effect (per call)", () => tenAppends(offline, offlineStore, f), 10)
    await time("JSON.stringify of the event + await of the answer", async () => {
      JSON.stringify(event)
      await instant.query("")
    })
    await offline.dispose()
    await client.end()
    await pool.end()
    await rt.dispose()
  })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
