/**
 * W1g (stretch): W1's appends made by 64 concurrent fibers through the opt-in GroupCommit
 * wrapper (packages/store/src/GroupCommit.ts), which coalesces them into shared transactions.
 * Per execution, as W1: startExecution (the wrapped store's own transaction), then 9 single-event
 * appends with expectedVersion, each caller answered after its group's COMMIT. Fiber f takes
 * executions f, f + 64, … of each chunk of 1000. Compared with W1 through the plain store.
 * `W1gF` is the same pair with `synchronous=FULL` (an fsync per commit), where commits dominate.
 */
import { Database, EventStore, GroupCommit, type Synchronous } from "@cratos/store"
import { Context, Effect, Layer } from "effect"
import { chunk, type Execution } from "../fixtures.js"
import { freshPath, quiet, removeDb } from "../lib/db.js"
import { CHUNK, type Timing } from "./append.js"
import { Stopwatch } from "../lib/stopwatch.js"

export const FIBERS = 64
export const available = (): boolean => true

export const run = async (
  executions: number,
  synchronous: Synchronous = "NORMAL"
): Promise<Timing & { groups: number }> => {
  const file = freshPath("group-commit")
  const program = Effect.gen(function* () {
    const ctx = yield* Layer.build(EventStore.layer({ path: file, synchronous }).pipe(Layer.provideMerge(quiet)))
    const g = yield* GroupCommit.make().pipe(Effect.provide(ctx))
    void Context.get(ctx, Database)
    const store = g.store
    const lane = (xs: ReadonlyArray<Execution>, f: number) =>
      Effect.gen(function* () {
        for (let i = f; i < xs.length; i += FIBERS) {
          const x = xs[i]!
          yield* store.startExecution(x.id, x.first)
          for (let k = 1; k < x.events.length; k++) yield* store.append(x.id, [x.events[k]!], { expectedVersion: k })
        }
      })
    const lanes = Array.from({ length: FIBERS }, (_, f) => f)
    const watch = new Stopwatch()
    for (let from = 0; from < executions; from += CHUNK) {
      const xs = chunk(from, Math.min(executions, from + CHUNK))
      watch.start()
      yield* Effect.forEach(lanes, (f) => lane(xs, f), { concurrency: "unbounded", discard: true })
      watch.stop()
    }
    return { seconds: watch.seconds, cpuSeconds: watch.cpuSeconds, events: executions * 10, groups: g.stats().groups }
  })
  const result = await Effect.runPromise(Effect.scoped(program))
  removeDb(file)
  return result
}
