/**
 * The ReadModel's "newest first" queries use the store's indexes on `instantKeySql("created_at")`
 * (migrations 0003 and 0008, the latter for a status filter): SQLite reads the newest rows off the index instead of scanning and sorting
 * the whole table. Checked by EXPLAIN QUERY PLAN on a fresh file and after ANALYZE.
 */
import { latestIdSql, listQuery } from "../../packages/projector/src/ReadModelQueries.js"
import { Database } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import type BetterSqlite3 from "better-sqlite3"
import { Effect, Either } from "effect"

const plan = (db: BetterSqlite3.Database, sql: string, params: ReadonlyArray<unknown>): Array<string> =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail)

const listSql = (filter: Parameters<typeof listQuery>[0]) => Either.getOrThrow(listQuery(filter))

const queries = [
  { name: "list()", ...listSql({}), index: "idx_executions_created_key" },
  { name: "list({ user })", ...listSql({ user: "u3" }), index: "idx_executions_user_created_key" },
  { name: "list({ status })", ...listSql({ status: "completed" }), index: "idx_executions_status_created_key" },
  {
    name: "list({ status, until })",
    ...listSql({ status: "failed", until: "2025-01-01T12:00:00Z" }),
    index: "idx_executions_status_created_key"
  },
  { name: "list({ since })", ...listSql({ since: "2025-01-01T00:00:00Z" }), index: "idx_executions_created_key" },
  { name: "latestId()", sql: latestIdSql(false), params: [], index: "idx_executions_created_key" },
  { name: "latestId(user)", sql: latestIdSql(true), params: ["u3"], index: "idx_executions_user_created_key" }
]

const expectIndexed = (db: BetterSqlite3.Database) => {
  for (const q of queries) {
    const steps = plan(db, q.sql, q.params)
    const executions = steps.find((s) => / e\b/.test(s))
    expect(executions, `${q.name}: ${steps.join(" | ")}`).toMatch(
      new RegExp(`^(SCAN|SEARCH) e USING INDEX ${q.index}\\b`)
    )
    expect(steps.join(" | "), q.name).not.toMatch(/TEMP B-TREE/)
  }
}

describe("ReadModel query plans", () => {
  it.effect(
    "list, list({ user }), list({ status }) and latestId read the instant-key indexes, without a sort or a table scan",
    () =>
      Effect.gen(function* () {
        const { connection: db } = yield* Database
        expectIndexed(db)

        const insert = db.prepare(
          "INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, ?, ?)"
        )
        db.transaction(() => {
          for (let i = 0; i < 2000; i++) {
            const t = new Date(Date.UTC(2025, 0, 1) + i * 61_000 + (i % 997)).toISOString()
            insert.run(
              `e${i}`,
              `u${i % 20}`,
              "cli",
              "hello",
              i % 2 === 0 ? "completed" : "failed",
              i % 3 === 0 ? t.replace("Z", "+00:00") : t
            )
          }
        })()
        db.exec("ANALYZE")
        expectIndexed(db)
      }).pipe(Effect.provide(Database.layerMemory))
  )
})
