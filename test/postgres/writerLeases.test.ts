/**
 * Writer leases and the abandoned-execution sweep on PostgreSQL (`WriterLeases.layerPostgres`):
 * a lease is held while the execution runs and gone after; a dead writer's lease (a pid that no
 * longer exists on this host) makes two sweeps at once close its execution exactly once.
 */
import { sample } from "@cratos/domain/testing"
import { AbandonedExecutions, currentWriter, EventStore, WriterLeases } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { spawnSync } from "node:child_process"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"
import { postgresStoreLayer, TestSql } from "../store/helpers.js"

const ID = "66666666-6666-4666-8666-666666666666"

const layer = Layer.unwrapEffect(
  Effect.promise(async () => {
    const base = postgresStoreLayer(await postgresDatabase("leases"))
    return AbandonedExecutions.layer().pipe(Layer.provideMerge(WriterLeases.layerPostgres()), Layer.provideMerge(base))
  })
)

describe.skipIf(!postgresAvailable())("writer leases on PostgreSQL", () => {
  it.effect("hold takes the lease and drops it; a dead writer's execution is closed once by two sweeps at once", () =>
    Effect.gen(function* () {
      const leases = yield* WriterLeases
      const store = yield* EventStore
      const sql = yield* TestSql
      const held = yield* leases.hold(
        "e-live",
        Effect.flatMap(leases.all, (all) => Effect.succeed(all.map((l) => [l.executionId, l.pid])))
      )
      expect(held).toEqual([["e-live", process.pid]])
      expect(yield* leases.all).toEqual([])

      yield* store.startExecution(ID, sample.message() as never)
      yield* store.append(ID, [sample.plan(), sample.toolInvoked()], { expectedVersion: 1 })
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid
      const me = currentWriter()
      yield* sql.all(
        "INSERT INTO writer_leases (execution_id, pid, host, process_started_at, heartbeat_at) VALUES (?, ?, ?, ?, 0)",
        ID,
        dead,
        me.host,
        me.processStartedAt
      )
      const sweeper = yield* AbandonedExecutions
      const [a, b] = yield* Effect.all([sweeper.sweep, sweeper.sweep], { concurrency: 2 })
      expect([...a, ...b]).toContain(ID)
      const events = yield* store.getEvents(ID)
      expect(events.map((e) => e.type)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ToolInvoked",
        "ErrorOccurred",
        "ResponseSent"
      ])
      expect(yield* leases.all).toEqual([])
    }).pipe(Effect.provide(layer))
  )
})
