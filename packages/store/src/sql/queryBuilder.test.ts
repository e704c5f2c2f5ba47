/**
 * The store's and the read model's queries are Drizzle's typed builder (issue 13): no operation
 * file hands SQL text to the driver. A statement written as a string again (`db.prepare("SELECT …")`,
 * `client.query("DELETE …")`) fails here; `sql` templates (where the builder has no word) and
 * transaction control (`BEGIN`/`COMMIT`/`ROLLBACK`) are allowed.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"

const src = path.resolve(import.meta.dirname, "..")
const files = [
  ...fs
    .readdirSync(path.join(src, "sql"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "instantKey.ts")
    .map((f) => path.join("sql", f)),
  "postgres/statements.ts",
  "postgres/PostgresEventStore.ts",
  "postgres/PostgresRetention.ts",
  "SqliteEventStore.ts",
  "Retention.ts"
]

/** The read model's files (`@cratos/projector`), on both dialects. */
const projector = path.resolve(src, "../../projector/src")
const readModelFiles = [
  "ReadModel.ts",
  "ReadModelQueries.ts",
  "RerunLinks.ts",
  "StatusSeries.ts",
  "ProjectionLag.ts",
  "sql/readModelStatements.ts",
  "postgres/PostgresReadModel.ts"
]

/** Code without comments, with every `sql` template's text blanked. */
const code = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1")
    .replace(/sql(<[^>]*>)?`(?:[^`\\]|\\.)*`/g, "sql``")

const HAND_WRITTEN = /["'`]\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\s+[\w"(*]/i

describe("the store's queries", () => {
  it("are built with Drizzle in every operation file: no SQL text given to the driver", () => {
    expect(files.length).toBeGreaterThan(12)
    const offenders = files.filter((f) => HAND_WRITTEN.test(code(fs.readFileSync(path.join(src, f), "utf8"))))
    expect(offenders).toEqual([])
  })

  it("are built with Drizzle in the read model's files too (SQLite and PostgreSQL)", () => {
    const offenders = readModelFiles.filter((f) =>
      HAND_WRITTEN.test(code(fs.readFileSync(path.join(projector, f), "utf8")))
    )
    expect(offenders).toEqual([])
  })

  it("would catch one: a driver statement as a string is found", () => {
    expect(HAND_WRITTEN.test(code(`const s = db.prepare("SELECT 1 FROM executions WHERE id = ?")`))).toBe(true)
    expect(HAND_WRITTEN.test(code("await client.query(`delete from prune_marks`)"))).toBe(true)
    expect(HAND_WRITTEN.test(code("tx.execute(sql`SELECT pg_advisory_xact_lock(1)`)"))).toBe(false)
  })
})
