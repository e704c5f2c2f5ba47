/**
 * Several projector workers on one PostgreSQL database: one leads (a session advisory lock), the
 * others wait; SIGKILL the leader and another takes over within 5 s, applying every event exactly
 * once. And `--follow` wakes on LISTEN/NOTIFY: with its polling fallback at 60 s, an append is
 * projected within seconds.
 */
import { sample } from "@cratos/domain/testing"
import { Projector } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, ManagedRuntime } from "effect"
import pg from "pg"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"
import { postgresLayer, record } from "../projector/harness.js"
import { spawnWorker, type WorkerProcess } from "../projector/killHelpers.js"
import { waitUntil } from "../support/waitUntil.js"

/** The worker's log lines (JSON) so far. */
const stderrOf = (w: WorkerProcess & { log: () => string }) => w.log()

const spawnLogged = (url: string, args: ReadonlyArray<string>) => {
  const w = spawnWorker(url, args)
  let text = ""
  w.child.stderr?.on("data", (chunk: string) => {
    text += chunk
  })
  return { ...w, log: () => text }
}

const said = (w: { log: () => string }, msg: RegExp) =>
  w
    .log()
    .split("\n")
    .filter((l) => l !== "")
    .some((l) => msg.test(String((JSON.parse(l) as { msg?: unknown }).msg)))

describe.skipIf(!postgresAvailable())("projector workers on PostgreSQL", () => {
  it("one leads; SIGKILL it and another takes over within 5 s, every event applied exactly once", async () => {
    const url = await postgresDatabase("leader")
    const rt = ManagedRuntime.make(EventStore.layerPostgres({ url }))
    const client = new pg.Client({ connectionString: url })
    const workers: Array<ReturnType<typeof spawnLogged>> = []
    try {
      await rt.runPromise(record("e1", [sample.message(0), sample.toolCompleted("a", true, 1)]))
      await client.connect()
      const reached = async (position: number) => {
        const r = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM projection_checkpoints WHERE position >= $1`,
          [position]
        )
        return Number(r.rows[0]!.n) === 3
      }
      const env = ["--follow"]
      const a = spawnLogged(url, env)
      workers.push(a)
      await waitUntil("the first worker to lead", () => said(a, /^leading/))
      const b = spawnLogged(url, env)
      workers.push(b)
      await waitUntil("the second worker to wait", () => said(b, /another projector is leading/))
      await waitUntil("the log projected", () => reached(2))

      const killedAt = Date.now()
      a.child.kill("SIGKILL")
      await waitUntil("the second worker to take over", () => said(b, /^leading/), 10_000)
      const takeover = Date.now() - killedAt
      process.stderr.write(`leader SIGKILLed: the other worker led ${takeover} ms later\n`)
      expect(takeover).toBeLessThan(5_000)

      await rt.runPromise(record("e1", [sample.toolCompleted("b", true, 2), sample.response(3)]))
      await waitUntil("the new leader to project", () => reached(4), 20_000)
      const calls = await client.query(`SELECT position FROM tool_calls ORDER BY position`)
      expect(calls.rows.map((r) => Number(r.position))).toEqual([2, 3])
      const summary = await client.query(`SELECT event_count FROM execution_summaries WHERE execution_id = 'e1'`)
      expect(summary.rows).toEqual([{ event_count: 4 }])

      b.child.kill("SIGTERM")
      expect((await b.exited).code).toBe(0)
      expect(stderrOf(b)).not.toContain(new URL(url).password)
    } finally {
      for (const w of workers) w.child.kill("SIGKILL")
      await client.end().catch(() => undefined)
      await rt.dispose()
    }
  }, 120_000)

  it.live("--follow wakes on NOTIFY: an append is projected long before the 60 s polling fallback", () =>
    Effect.gen(function* () {
      yield* record("e1", [sample.message(0)])
      const projector = yield* Projector
      const following = yield* Effect.fork(projector.follow)
      yield* projector.waitFor(1, { timeout: "20 seconds" })
      yield* Effect.sleep("300 millis")
      const store = yield* EventStore
      const appended = yield* store.append("e1", [sample.toolCompleted("a", true, 1)])
      const start = Date.now()
      yield* projector.waitFor(appended.positions[0]!, { timeout: "10 seconds" })
      process.stderr.write(`NOTIFY: projected ${Date.now() - start} ms after the append\n`)
      yield* Fiber.interrupt(following)
    }).pipe(Effect.provide(Layer.fresh(postgresLayer({ pollMinMs: 60_000, pollMaxMs: 60_000 }))))
  )
})
