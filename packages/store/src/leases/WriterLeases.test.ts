import { Database } from "../Database.js"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FiberRef, Layer, TestClock } from "effect"
import { ChildProcessGroup } from "./ChildProcessGroup.js"
import { currentWriter, WriterLeases } from "./WriterLeases.js"
import { procInfo } from "./WriterLiveness.js"

const ID = "77777777-7777-4777-8777-777777777777"
const layer = WriterLeases.layer({ heartbeatMs: 5000 }).pipe(Layer.provideMerge(Database.layerMemory))

describe("WriterLeases", () => {
  it.effect("hold: the lease names this process while the execution runs and is gone after it", () =>
    Effect.gen(function* () {
      const leases = yield* WriterLeases
      const inside = yield* leases.hold(ID, leases.all)
      const me = currentWriter()
      expect(inside).toEqual([
        {
          executionId: ID,
          pid: me.pid,
          host: me.host,
          processStartedAt: me.processStartedAt,
          heartbeatAt: 0,
          children: []
        }
      ])
      expect(yield* leases.all).toEqual([])
    }).pipe(Effect.provide(layer))
  )

  it.effect("heartbeats every heartbeatMs while the execution runs", () =>
    Effect.gen(function* () {
      const leases = yield* WriterLeases
      const seen = yield* leases.hold(
        ID,
        Effect.gen(function* () {
          yield* TestClock.adjust(5000)
          const first = (yield* leases.all)[0]!.heartbeatAt
          yield* TestClock.adjust(5000)
          const second = (yield* leases.all)[0]!.heartbeatAt
          return [first, second]
        })
      )
      expect(seen).toEqual([5000, 10000])
    }).pipe(Effect.provide(layer))
  )

  it.effect("records every tool child's process group reported through ChildProcessGroup while it runs", () =>
    Effect.gen(function* () {
      const leases = yield* WriterLeases
      const other = process.ppid
      const seen = yield* leases.hold(
        ID,
        Effect.gen(function* () {
          const report = yield* FiberRef.get(ChildProcessGroup)
          report(process.pid, true)
          report(other, true)
          const both = (yield* leases.all)[0]!.children
          report(process.pid, false)
          const one = (yield* leases.all)[0]!.children
          return { both, one }
        })
      )
      const startedAt = (pid: number) => procInfo(pid)?.startedAt ?? null
      const children = [
        { pgid: process.pid, startedAt: startedAt(process.pid) },
        { pgid: other, startedAt: startedAt(other) }
      ].sort((a, b) => a.pgid - b.pgid)
      expect(seen.both).toEqual(children)
      expect(seen.one).toEqual([{ pgid: other, startedAt: startedAt(other) }])
      // the release forgets the children still named (the step's group ends with it anyway)
      const { connection } = yield* Database
      expect(connection.prepare("SELECT count(*) FROM writer_lease_children").pluck().get()).toBe(0)
    }).pipe(Effect.provide(layer))
  )

  it.effect("a child reported outside a held lease is not recorded", () =>
    Effect.gen(function* () {
      const report = yield* FiberRef.get(ChildProcessGroup)
      report(process.pid, true)
      const { connection } = yield* Database
      expect(connection.prepare("SELECT count(*) FROM writer_lease_children").pluck().get()).toBe(0)
    }).pipe(Effect.provide(layer))
  )

  it.effect("releases the lease when the execution fails or is interrupted too", () =>
    Effect.gen(function* () {
      const leases = yield* WriterLeases
      expect(Exit.isFailure(yield* Effect.exit(leases.hold(ID, Effect.fail("boom"))))).toBe(true)
      expect(yield* leases.all).toEqual([])
      expect(Exit.isInterrupted(yield* Effect.exit(leases.hold(ID, Effect.interrupt)))).toBe(true)
      expect(yield* leases.all).toEqual([])
    }).pipe(Effect.provide(layer))
  )
})
