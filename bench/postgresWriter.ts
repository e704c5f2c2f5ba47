/**
 * A writer process of bench/postgres.ts's scaling run: W1 (startExecution + 9 single appends with
 * expected versions) on executions [from, to), through the store or the raw ceiling, started
 * together with the others by a go-file. Prints `{"events":…,"seconds":…}`.
 *
 *   node --import tsx bench/postgresWriter.ts <url> <store|functions|steps|steps-nolock> <from> <to> <goFile>
 */
import * as fs from "node:fs"
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import pg from "pg"
import { chunk } from "./fixtures.js"
import { type RawMode, rawStatements } from "./workloads/postgresAppend.js"

const [url, mode, from, to, goFile] = process.argv.slice(2)
if (url === undefined || mode === undefined || from === undefined || to === undefined || goFile === undefined) {
  throw new Error("usage: postgresWriter <url> <store|functions|steps|steps-nolock> <from> <to> <goFile>")
}
const xs = chunk(Number(from), Number(to))

const main = async () => {
  process.stdout.write("ready\n")
  if (mode === "store") {
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* EventStore
          while (!fs.existsSync(goFile)) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 2)))
          const t = performance.now()
          for (const x of xs) {
            yield* store.startExecution(x.id, x.first)
            for (let k = 1; k < x.events.length; k++) yield* store.append(x.id, [x.events[k]!], { expectedVersion: k })
          }
          process.stdout.write(
            JSON.stringify({ events: xs.length * 10, seconds: (performance.now() - t) / 1000 }) + "\n"
          )
        }).pipe(Effect.provide(EventStore.layerPostgres({ url, maxConnections: 1 })))
      )
    )
    return
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const raw = rawStatements(client, mode as RawMode)
  while (!fs.existsSync(goFile)) await new Promise((r) => setTimeout(r, 2))
  const t = performance.now()
  for (const x of xs) {
    await raw.start(x)
    for (let k = 1; k < x.events.length; k++) await raw.append(x, k, k + 1, k)
  }
  process.stdout.write(JSON.stringify({ events: xs.length * 10, seconds: (performance.now() - t) / 1000 }) + "\n")
  await client.end()
}

main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.message : e) + "\n")
  process.exit(1)
})
