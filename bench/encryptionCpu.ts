/**
 * The cost of encryption at rest in CPU time only (issue 14): W1, W2, W3 (`getEvents`, the full
 * open) and W3m (`readStream` + the masked view, as show and the API read) through the store with
 * encryption off (as `cratos --encryption off` builds it) and on, in one process, alternating,
 * reporting each mode's best CPU µs per event (process.cpuUsage of the timed sections). On a
 * machine shared with other work the best run is the one least disturbed; `bench/encryption.ts`
 * gives the wall-clock medians.
 *
 *   npx tsx bench/encryptionCpu.ts [executions=500] [rounds=3]
 *
 * With few executions the one-time creation of each of the fixtures' 200 users' data keys weighs
 * on W1/W2 "on"; use 2000 executions (20,000 events) for the bench's size.
 */
import { ContentReader, type ContentReaderShape, EventStore } from "@cratos/store"
import { Effect, ManagedRuntime, Option } from "effect"
import { executionIdOf } from "./fixtures.js"
import { storeLayer, removeDb } from "./lib/db.js"
import { storeAppend } from "./workloads/append.js"
const N = Number(process.argv[2] ?? 500)
const R = Number(process.argv[3] ?? 3)
const best: Record<string, number> = {}
const note = (k: string, us: number) => {
  best[k] = Math.min(best[k] ?? Infinity, us)
}
const main = async () => {
  for (let r = 0; r < R; r++)
    for (const m of r % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) {
      const w1 = await storeAppend("single", N, false, "NORMAL", m)
      note(`W1 ${m}`, (w1.cpuSeconds / w1.events) * 1e6)
      const w2 = await storeAppend("batch", N, true, "NORMAL", m)
      note(`W2 ${m}`, (w2.cpuSeconds / w2.events) * 1e6)
      const rt = ManagedRuntime.make(storeLayer(w2.path, "NORMAL", m))
      const store = await rt.runPromise(EventStore)
      const reader: ContentReaderShape = Option.getOrElse(
        await rt.runPromise(Effect.serviceOption(ContentReader)),
        () => ContentReader.plain(store)
      )
      const time = (k: string, f: (id: string) => Effect.Effect<ReadonlyArray<unknown>, unknown>) => {
        for (let j = 0; j < 3; j++) {
          const c = process.cpuUsage()
          const n = rt.runSync(
            Effect.gen(function* () {
              let n = 0
              for (let i = 0; i < N; i++) n += (yield* f(executionIdOf(i))).length
              return n
            }) as Effect.Effect<number>
          )
          const d = process.cpuUsage(c)
          note(`${k} ${m}`, (d.user + d.system) / n)
        }
      }
      time("W3", (id) => store.getEvents(id))
      time("W3m", (id) => Effect.flatMap(reader.asStored.readStream(id), reader.masked))
      await rt.dispose()
      removeDb(w2.path)
    }
  for (const w of ["W1", "W2", "W3", "W3m"]) {
    const off = best[`${w} off`]!,
      on = best[`${w} on`]!
    console.log(
      `${w.padEnd(4)} off ${off.toFixed(1).padStart(6)} µs  on ${on.toFixed(1).padStart(6)} µs  on/off ${(off / on).toFixed(2)}`
    )
  }
}
main()
