/**
 * Import's one-transaction group on PostgreSQL (`appendGroup`): its statements are built once and
 * run by name on the transaction's client, beside the store's own statements on the same pooled
 * connection (a pool of one, so every call shares it). A refused group leaves nothing.
 */
import { sample } from "@cratos/domain/testing"
import { EventStore } from "@cratos/store"
import { appendGroup } from "@cratos/store/postgres"
import { describe, expect, it } from "@effect/vitest"
import { Effect, ManagedRuntime } from "effect"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"

describe.skipIf(!postgresAvailable())("import's group on PostgreSQL", () => {
  it("starts and extends executions in one transaction each, on one connection beside the store's statements; a refused group writes nothing", async () => {
    const url = await postgresDatabase("import_group")
    const rt = ManagedRuntime.make(EventStore.layerPostgres({ url, maxConnections: 1 }))
    try {
      const run = <A, E>(e: Effect.Effect<A, E, EventStore | import("@cratos/store/postgres").PostgresDatabase>) =>
        rt.runPromise(e)
      const store = await run(EventStore)
      const versions = async (...ids: Array<string>) => Promise.all(ids.map((id) => run(store.streamVersion(id))))

      await run(appendGroup("g1", [sample.message(0), sample.plan(1), sample.toolCompleted("a", true, 2)], 0))
      await run(appendGroup("g2", [sample.message(3)], 0, { inputText: "given text" }))
      // The store's own append (its pool statements) on the same connection, then the group's again.
      await run(store.append("g2", [sample.plan(4)], { expectedVersion: 1 }))
      await run(appendGroup("g2", [sample.toolCompleted("b", true, 5), sample.response(6)], 2))
      expect(await versions("g1", "g2")).toEqual([3, 4])
      const g1 = await run(store.getEvents("g1"))
      expect(g1.map((e) => e.type)).toEqual(["MessageReceived", "PlanGenerated", "ToolCompleted"])

      // Refused: the execution exists; a stale version (with the actual one); an unknown execution.
      const exists = await run(Effect.flip(appendGroup("g1", [sample.message(0), sample.plan(1)], 0)))
      expect(exists._tag).toBe("ExecutionAlreadyExists")
      const stale = await run(Effect.flip(appendGroup("g2", [sample.response(7)], 2)))
      expect(stale._tag).toBe("ConcurrencyError")
      expect(stale).toMatchObject({ expected: 2, actual: 4 })
      const missing = await run(Effect.flip(appendGroup("g3", [sample.plan(1)], 1)))
      expect(missing._tag).toBe("ExecutionNotFound")
      expect(await versions("g1", "g2", "g3")).toEqual([3, 4, 0])
      expect((await run(store.getEvents("g2"))).map((e) => e.type)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ToolCompleted",
        "ResponseSent"
      ])
    } finally {
      await rt.dispose()
    }
  })
})
