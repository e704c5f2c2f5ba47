/**
 * ReadModel.statusSeries against real SQLite: executions by status per UTC hour or day of their
 * start, counted in SQL over every row in the range. Checked on hand-picked edges (spellings of
 * the same instant, bucket edges, inclusive bounds) and, as a property, against the same count
 * done in JavaScript over the inserted rows.
 */
import { ReadModel, type StatusPoint } from "@cratos/projector"
import { Database } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import type BetterSqlite3 from "better-sqlite3"
import { Effect, Layer } from "effect"
import fc from "fast-check"

const layer = ReadModel.layer.pipe(Layer.provideMerge(Database.layerMemory))
const STATUSES = ["pending", "running", "completed", "failed"] as const
type Status = (typeof STATUSES)[number]

const insert = (db: BetterSqlite3.Database, rows: ReadonlyArray<{ at: string; status: string }>) => {
  const stmt = db.prepare(
    "INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, 'u1', 'cli', 'hi', ?, ?)"
  )
  db.transaction(() => rows.forEach((r, i) => stmt.run(`e${i}`, r.status, r.at)))()
}

const point = (start: string, counts: Partial<Record<Status, number>>): StatusPoint => ({
  start,
  pending: 0,
  running: 0,
  completed: 0,
  failed: 0,
  ...counts
})

describe("ReadModel.statusSeries", () => {
  it.effect("counts executions per UTC hour and status, oldest first, listing only buckets that have one", () =>
    Effect.gen(function* () {
      const { connection } = yield* Database
      insert(connection, [
        { at: "2026-03-01T10:00:00Z", status: "completed" },
        { at: "2026-03-01T10:59:59.999999999Z", status: "failed" },
        { at: "2026-03-01T10:30:00.5+00:00", status: "completed" },
        { at: "2026-03-01T11:00:00Z", status: "running" },
        { at: "2026-03-01T13:15:00.250Z", status: "pending" },
        { at: "2026-03-02T00:00:00Z", status: "completed" }
      ])
      const rm = yield* ReadModel
      expect(yield* rm.statusSeries({ bucket: "hour" })).toEqual([
        point("2026-03-01T10:00:00Z", { completed: 2, failed: 1 }),
        point("2026-03-01T11:00:00Z", { running: 1 }),
        point("2026-03-01T13:00:00Z", { pending: 1 }),
        point("2026-03-02T00:00:00Z", { completed: 1 })
      ])
      expect(yield* rm.statusSeries({ bucket: "day" })).toEqual([
        point("2026-03-01T00:00:00Z", { completed: 2, failed: 1, running: 1, pending: 1 }),
        point("2026-03-02T00:00:00Z", { completed: 1 })
      ])
      // bounds are inclusive and compare instants, not text (".5+00:00" is after "10:30:00Z")
      expect(
        yield* rm.statusSeries({ bucket: "hour", since: "2026-03-01T10:30:00Z", until: "2026-03-01T11:00:00Z" })
      ).toEqual([
        point("2026-03-01T10:00:00Z", { completed: 1, failed: 1 }),
        point("2026-03-01T11:00:00Z", { running: 1 })
      ])
      expect(yield* rm.statusSeries({ bucket: "day", since: "2026-04-01T00:00:00Z" })).toEqual([])
    }).pipe(Effect.provide(layer))
  )

  it.effect("a bound that is not an instant is an InvalidQuery naming it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip((yield* ReadModel).statusSeries({ bucket: "day", until: "yesterday" }))
      expect(error._tag).toBe("InvalidQuery")
      expect(error).toMatchObject({ field: "until" })
    }).pipe(Effect.provide(layer))
  )

  it("equals the count done in JavaScript over the same rows, for any rows and range", () => {
    const t0 = Date.UTC(2026, 0, 1)
    const row = fc.record({
      ms: fc.integer({ min: 0, max: 5 * 86_400_000 }),
      status: fc.constantFrom(...STATUSES),
      spelling: fc.constantFrom("iso", "offset", "seconds")
    })
    const spell = (ms: number, spelling: string) => {
      const iso = new Date(t0 + ms).toISOString()
      return spelling === "offset" ? iso.replace("Z", "+00:00") : spelling === "seconds" ? `${iso.slice(0, 19)}Z` : iso
    }
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 60 }),
        fc.option(fc.integer({ min: 0, max: 5 * 86_400_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 5 * 86_400_000 }), { nil: undefined }),
        fc.constantFrom("hour" as const, "day" as const),
        (rows, since, until, bucket) => {
          const stored = rows.map((r) => ({ at: spell(r.ms, r.spelling), status: r.status }))
          const sinceAt = since === undefined ? undefined : new Date(t0 + since).toISOString()
          const untilAt = until === undefined ? undefined : new Date(t0 + until).toISOString()
          const actual = Effect.runSync(
            Effect.gen(function* () {
              insert((yield* Database).connection, stored)
              return yield* (yield* ReadModel).statusSeries({ bucket, since: sinceAt, until: untilAt })
            }).pipe(Effect.provide(layer))
          )
          // the instant each row names (its spelling's precision), bucketed by its UTC start
          const expected = new Map<string, StatusPoint>()
          for (const r of stored) {
            const at = Date.parse(r.at)
            if (sinceAt !== undefined && at < Date.parse(sinceAt)) continue
            if (untilAt !== undefined && at > Date.parse(untilAt)) continue
            const iso = new Date(at).toISOString()
            const start = bucket === "hour" ? `${iso.slice(0, 13)}:00:00Z` : `${iso.slice(0, 10)}T00:00:00Z`
            const p = expected.get(start) ?? point(start, {})
            expected.set(start, { ...p, [r.status]: p[r.status as Status] + 1 })
          }
          expect(actual).toEqual([...expected.values()].sort((a, b) => (a.start < b.start ? -1 : 1)))
          expect(actual.reduce((n, p) => n + p.pending + p.running + p.completed + p.failed, 0)).toBe(
            [...expected.values()].reduce((n, p) => n + p.pending + p.running + p.completed + p.failed, 0)
          )
        }
      ),
      { numRuns: 150 }
    )
  })
})
