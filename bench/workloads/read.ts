/**
 * W3: `getEvents` for every execution, decoded into domain events; its ceiling runs the store's
 * stream query (`SELECT id, user_id, event_data … WHERE execution_id = ? ORDER BY id`, raw rows)
 * on a raw connection and JSON.parses each event_data. Both read the same file.
 * Also the latency of single `getEvents` calls (p50/p99) on a file.
 */
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import { executionIdOf } from "../fixtures.js"
import { type Encryption, openRaw, openStore } from "../lib/db.js"
import { percentile } from "../lib/stats.js"
import { breathe, Stopwatch } from "../lib/stopwatch.js"
import type { Timing } from "./append.js"

const READ_SQL = `SELECT id, user_id, event_data FROM execution_events WHERE execution_id = ? ORDER BY id`

const ids = (executions: number): Array<string> => Array.from({ length: executions }, (_, i) => executionIdOf(i))

const BLOCK = 1000

export const storeRead = async (file: string, executions: number, encryption: Encryption = "none"): Promise<Timing> => {
  const all = ids(executions)
  const rt = openStore(file, "NORMAL", encryption)
  const store = await rt.runPromise(EventStore)
  let n = 0
  const watch = new Stopwatch()
  for (let from = 0; from < all.length; from += BLOCK) {
    const block = all.slice(from, from + BLOCK)
    watch.start()
    n += rt.runSync(
      Effect.gen(function* () {
        let count = 0
        for (const id of block) count += (yield* store.getEvents(id)).length
        return count
      })
    )
    watch.stop()
    await breathe()
  }
  await rt.dispose()
  return { seconds: watch.seconds, cpuSeconds: watch.cpuSeconds, events: n }
}

export const ceilingRead = async (file: string, executions: number): Promise<Timing> => {
  const all = ids(executions)
  const { db, close } = await openRaw(file)
  const stmt = db.prepare<[string], [number, string, string]>(READ_SQL).raw(true)
  let n = 0
  let sink = 0
  const watch = new Stopwatch()
  for (let from = 0; from < all.length; from += BLOCK) {
    watch.start()
    for (let j = from; j < Math.min(all.length, from + BLOCK); j++) {
      const rows = stmt.all(all[j]!)
      for (let i = 0; i < rows.length; i++) {
        const v = JSON.parse(rows[i]![2]) as { type: string }
        sink += v.type.length
      }
      n += rows.length
    }
    watch.stop()
    await breathe()
  }
  await close()
  if (sink < 0) console.error(sink)
  return { seconds: watch.seconds, cpuSeconds: watch.cpuSeconds, events: n }
}

export interface Latency {
  readonly samples: number
  readonly p50_ms: number
  readonly p99_ms: number
  readonly max_ms: number
}

export const latencyOf = (ms: ReadonlyArray<number>): Latency => ({
  samples: ms.length,
  p50_ms: percentile(ms, 50),
  p99_ms: percentile(ms, 99),
  max_ms: Math.max(...ms)
})

/** A deterministic pseudo-random sequence (xorshift32). */
export const random = (seed: number) => {
  let s = seed >>> 0 || 1
  return (): number => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 0x1_0000_0000
  }
}

/** Single getEvents calls on random executions, each its own Effect run, as the CLI's `show` makes. */
export const getEventsLatency = async (file: string, executions: number, samples: number): Promise<Latency> => {
  const rt = openStore(file)
  const store = await rt.runPromise(EventStore)
  const next = random(42)
  for (let i = 0; i < 200; i++) rt.runSync(store.getEvents(executionIdOf(Math.floor(next() * executions))))
  const ms: Array<number> = []
  for (let i = 0; i < samples; i++) {
    const id = executionIdOf(Math.floor(next() * executions))
    const t0 = performance.now()
    const events = rt.runSync(store.getEvents(id))
    ms.push(performance.now() - t0)
    if (events.length !== 10) throw new Error(`getEvents(${id}) returned ${events.length} events`)
  }
  await rt.dispose()
  return latencyOf(ms)
}
