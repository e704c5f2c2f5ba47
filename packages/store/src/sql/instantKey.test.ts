/**
 * The sortable key of stored timestamps: computed in SQL from any spelling the database holds,
 * it equals the key of the canonical timestamp, and keys sort as the instants do; and the indexes
 * of migration 0003 are on exactly that expression.
 */
import { Timestamp } from "@cratos/domain"
import { describe, expect, it } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { Arbitrary, Effect, Either, FastCheck as fc } from "effect"
import { Database } from "../Database.js"
import { instantKey, instantKeySql } from "./instantKey.js"

const db = new BetterSqlite3(":memory:")
const keyInSql = db.prepare(`WITH t(x) AS (SELECT ?) SELECT ${instantKeySql("x")} FROM t`).pluck(true)
const sqlKey = (text: string) => keyInSql.get(text) as string

const timestamp = Arbitrary.make(Timestamp.Timestamp)

/** The spellings other writers use for the same instant. */
const spellings = (t: Timestamp.Timestamp): Array<string> => {
  const body = t.slice(0, -1)
  const out = [t, `${body}+00:00`]
  // chrono's to_rfc3339 writes 9 fraction digits when there is a fraction; SQLite writes a space.
  const dot = body.indexOf(".")
  if (dot !== -1) out.push(`${body.slice(0, dot)}.${body.slice(dot + 1).padEnd(9, "0")}+00:00`)
  else out.push(`${body.replace("T", " ")}`)
  return out
}

describe("instantKey", () => {
  it("is the same in SQL for every spelling of an instant", () => {
    fc.assert(
      fc.property(timestamp, (t) => {
        for (const s of spellings(t)) expect(sqlKey(s)).toBe(instantKey(t))
      }),
      { numRuns: 500 }
    )
  })

  it("orders as the instants, where the text does not", () => {
    fc.assert(
      fc.property(timestamp, timestamp, (a, b) => {
        const ka = instantKey(a)
        const kb = instantKey(b)
        expect(ka < kb ? -1 : ka > kb ? 1 : 0).toBe(Timestamp.compare(a, b))
      }),
      { numRuns: 1000 }
    )
    const a = Either.getOrThrow(Timestamp.parseTimestamp("2025-11-26T10:10:37Z"))
    const b = Either.getOrThrow(Timestamp.parseTimestamp("2025-11-26T10:10:37.250Z"))
    expect(a > b).toBe(true) // as text
    expect(instantKey(a) < instantKey(b)).toBe(true)
  })
})

describe("the executions indexes on the key (migrations 0003 and 0008)", () => {
  it.effect('are on instantKeySql("created_at") exactly, so queries built with it can use them', () =>
    Effect.gen(function* () {
      const { connection } = yield* Database
      const indexSql = (name: string) =>
        connection.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(name)
      const key = instantKeySql("created_at")
      expect(indexSql("idx_executions_created_key")).toBe(
        `CREATE INDEX idx_executions_created_key ON executions (${key})`
      )
      expect(indexSql("idx_executions_user_created_key")).toBe(
        `CREATE INDEX idx_executions_user_created_key ON executions (user_id, ${key})`
      )
      expect(indexSql("idx_executions_status_created_key")).toBe(
        `CREATE INDEX idx_executions_status_created_key ON executions (status, ${key})`
      )
    }).pipe(Effect.provide(Database.layerMemory))
  )
})
