/**
 * The ReadModel's "newest first" queries use the store's indexes on `instantKeySql("created_at")`
 * (migrations 0003 and 0008, the latter for a status filter): SQLite reads the newest rows off the index instead of scanning and sorting
 * the whole table. Checked by EXPLAIN QUERY PLAN on a fresh file and after ANALYZE.
 */
import { latestIdQuery, listQuery } from "../../packages/projector/src/sql/readModelStatements.js"
import { listQueryParts } from "../../packages/projector/src/ReadModelQueries.js"
import type { ListFilter } from "@cratos/projector"
import { Database } from "@cratos/store"
import { drizzleOn } from "@cratos/store/sql"
import { describe, expect, it } from "@effect/vitest"
import type BetterSqlite3 from "better-sqlite3"
import { fillPlaceholders } from "drizzle-orm"
import { Effect, Either } from "effect"

/** The plan of the statement the ReadModel prepares (Drizzle's text), with its placeholders filled. */
const plan = (
  db: BetterSqlite3.Database,
  query: { toSQL(): { sql: string; params: Array<unknown> } },
  values: Record<string, unknown>
): Array<string> => {
  const { sql, params } = query.toSQL()
  return (
    db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...fillPlaceholders(params, values)) as Array<{ detail: string }>
  ).map((r) => r.detail)
}

const listOf = (filter: ListFilter) => {
  const { set, values } = Either.getOrThrow(listQueryParts(filter))
  return { query: (db: BetterSqlite3.Database) => listQuery(drizzleOn(db), set), values }
}

const queries = [
  { name: "list()", ...listOf({}), index: "idx_executions_created_key" },
  { name: "list({ user })", ...listOf({ user: "u3" }), index: "idx_executions_user_created_key" },
  { name: "list({ status })", ...listOf({ status: "completed" }), index: "idx_executions_status_created_key" },
  {
    name: "list({ status, until })",
    ...listOf({ status: "failed", until: "2025-01-01T12:00:00Z" }),
    index: "idx_executions_status_created_key"
  },
  { name: "list({ since })", ...listOf({ since: "2025-01-01T00:00:00Z" }), index: "idx_executions_created_key" },
  {
    name: "latestId()",
    query: (db: BetterSqlite3.Database) => latestIdQuery(drizzleOn(db), false),
    values: {},
    index: "idx_executions_created_key"
  },
  {
    name: "latestId(user)",
    query: (db: BetterSqlite3.Database) => latestIdQuery(drizzleOn(db), true),
    values: { user: "u3" },
    index: "idx_executions_user_created_key"
  }
]

const expectIndexed = (db: BetterSqlite3.Database) => {
  for (const q of queries) {
    const steps = plan(db, q.query(db), q.values)
    const executions = steps.find((s) => / executions\b/.test(s))
    expect(executions, `${q.name}: ${steps.join(" | ")}`).toMatch(
      new RegExp(`^(SCAN|SEARCH) executions USING INDEX ${q.index}\\b`)
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
