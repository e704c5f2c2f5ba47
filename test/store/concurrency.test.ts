import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { runTogether } from "./barrier.js"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"
import { messageReceived, newId, tempDbPath, tempDir, toolInvoked } from "./helpers.js"

const storeOn = (file: string) =>
  Effect.map(Layer.build(EventStore.layer({ path: file })), (ctx) => ({
    store: Context.get(ctx, EventStore),
    db: Context.get(ctx, Database).connection
  }))

interface ChildReport {
  readonly pid: number
  readonly wins: ReadonlyArray<{ readonly version: number; readonly position: number }>
  readonly conflicts: number
  readonly busy: number
}

describe("optimistic concurrency", () => {
  it.scoped("lets exactly one of two connections win each version; the loser gets ConcurrencyError", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      const a = yield* storeOn(file)
      const b = yield* storeOn(file)
      const id = newId()
      yield* a.store.startExecution(id, messageReceived())
      for (let v = 1; v <= 40; v++) {
        // Both read version v, both append with it; who goes first varies.
        const [first, second] = v % 3 === 0 ? [b, a] : [a, b]
        const won = yield* first.store.append(id, [toolInvoked(v)], { expectedVersion: v })
        expect(won.version).toBe(v + 1)
        const lost = yield* Effect.flip(second.store.append(id, [toolInvoked(-v)], { expectedVersion: v }))
        expect(lost).toMatchObject({ _tag: "ConcurrencyError", executionId: id, expected: v, actual: v + 1 })
      }
      const positions = (yield* b.store.readStream(id)).map((s) => s.position)
      expect(positions).toEqual(Array.from({ length: 41 }, (_, i) => i + 1))
      expect(yield* a.store.streamVersion(id)).toBe(41)
    })
  )

  it.scoped("sees another connection's appends when checking a version it appended to before", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      const a = yield* storeOn(file)
      const b = yield* storeOn(file)
      const id = newId()
      yield* a.store.startExecution(id, messageReceived())
      yield* a.store.append(id, [toolInvoked(1)], { expectedVersion: 1 })
      yield* b.store.append(id, [toolInvoked(2), toolInvoked(3)], { expectedVersion: 2 })
      const stale = yield* Effect.flip(a.store.append(id, [toolInvoked(4)], { expectedVersion: 2 }))
      expect(stale).toMatchObject({ _tag: "ConcurrencyError", actual: 4 })
      const ok = yield* a.store.append(id, [toolInvoked(4)], { expectedVersion: 4 })
      expect(ok.version).toBe(5)
    })
  )

  it.scoped(
    "lets exactly one of two processes win each version of one execution in one file",
    () =>
      Effect.gen(function* () {
        const file = tempDbPath()
        const id = newId()
        const target = 120
        const setup = yield* storeOn(file)
        yield* setup.store.startExecution(id, messageReceived())
        const args = [file, id, String(target), `${file}.go`]
        const results = yield* Effect.promise(() =>
          runTogether("test/store/raceAppender.ts", [args, args], `${file}.go`)
        )
        for (const r of results) expect(r.code, r.err).toBe(0)
        const reports = results.map((r) => JSON.parse(r.out.trim().split("\n").pop()!) as ChildReport)
        const wins = reports.flatMap((r) => r.wins)
        const versions = wins.map((w) => w.version).sort((x, y) => x - y)
        expect(versions).toEqual(Array.from({ length: target - 1 }, (_, i) => i + 2))
        const positions = (yield* setup.store.readStream(id)).map((s) => s.position)
        expect(positions).toEqual(Array.from({ length: target }, (_, i) => i + 1))
        // Each win's position is the stream position of its version.
        for (const w of wins) expect(w.position).toBe(w.version)
      }),
    180_000
  )
})

describe.skipIf(!postgresAvailable())("optimistic concurrency on PostgreSQL", () => {
  it.scoped(
    "lets exactly one of two processes win each version of one execution in one database",
    () =>
      Effect.gen(function* () {
        const url = yield* Effect.promise(() => postgresDatabase("race"))
        const go = `${tempDir()}/go`
        const id = newId()
        const target = 120
        const setup = Context.get(yield* Layer.build(EventStore.layerPostgres({ url })), EventStore)
        yield* setup.startExecution(id, messageReceived())
        const args = [url, id, String(target), go]
        const results = yield* Effect.promise(() => runTogether("test/store/raceAppender.ts", [args, args], go))
        for (const r of results) expect(r.code, r.err).toBe(0)
        const reports = results.map((r) => JSON.parse(r.out.trim().split("\n").pop()!) as ChildReport)
        const wins = reports.flatMap((r) => r.wins)
        expect(wins.map((w) => w.version).sort((x, y) => x - y)).toEqual(
          Array.from({ length: target - 1 }, (_, i) => i + 2)
        )
        const positions = (yield* setup.readStream(id)).map((s) => s.position)
        // Positions are the global sequence's: increasing, one per version (a rolled-back insert would leave a gap).
        expect(positions).toHaveLength(target)
        expect([...positions].sort((x, y) => x - y)).toEqual(positions)
        expect(reports.every((r) => r.busy === 0)).toBe(true)
      }),
    180_000
  )
})
