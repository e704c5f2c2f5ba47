import { describe, expect, it } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { Either } from "effect"
import { classify, inspectSchema } from "./DatabaseSchema.js"

const SEED = `
CREATE TABLE executions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, channel TEXT NOT NULL, input_text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', created_at TEXT NOT NULL, completed_at TEXT);
CREATE TABLE execution_events (id INTEGER PRIMARY KEY AUTOINCREMENT, execution_id TEXT NOT NULL, user_id TEXT NOT NULL,
  event_type TEXT NOT NULL, event_data TEXT NOT NULL, timestamp TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now')), FOREIGN KEY (execution_id) REFERENCES executions(id));`

const classified = (ddl: string, later: ReadonlyArray<string> = []) => {
  const db = new BetterSqlite3(":memory:")
  db.exec(ddl)
  const result = classify(inspectSchema(db), new Set(later))
  db.close()
  return result
}

describe("classify", () => {
  it("calls a file without tables Empty", () => {
    expect(classified("")).toEqual(Either.right("Empty"))
  })
  it("calls a file with only drizzle's history table Empty: another process is migrating it (openRace)", () => {
    expect(
      classified("CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric);")
    ).toEqual(Either.right("Empty"))
  })
  it("calls the seed's tables without history Seed, and with history Managed", () => {
    expect(classified(SEED)).toEqual(Either.right("Seed"))
    expect(
      classified(
        SEED + "CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric);"
      )
    ).toEqual(Either.right("Managed"))
  })
  it("accepts a nullable or defaulted added column, and lowercase types", () => {
    expect(
      classified(SEED.replace("completed_at TEXT)", "completed_at TEXT, note TEXT, n INTEGER NOT NULL DEFAULT 0)"))
    ).toEqual(Either.right("Seed"))
    expect(classified(SEED.replaceAll("TEXT", "text"))).toEqual(Either.right("Seed"))
  })
  it("says what differs from the seed", () => {
    const reason = (ddl: string) => Either.match(classified(ddl), { onLeft: (r) => r, onRight: () => "Right" })
    expect(
      reason(SEED.replace("status TEXT NOT NULL DEFAULT 'pending'", "status TEXT NOT NULL DEFAULT 'new'"))
    ).toMatch(/default 'new'/)
    expect(reason(SEED.replace("input_text TEXT NOT NULL", "input_text TEXT"))).toMatch(/input_text is nullable/)
    expect(reason(SEED.replace("AUTOINCREMENT", ""))).toMatch(/AUTOINCREMENT/)
    expect(reason(SEED.replace(", FOREIGN KEY (execution_id) REFERENCES executions(id)", ""))).toMatch(/reference/)
    expect(reason(SEED.replace("completed_at TEXT)", "completed_at TEXT, must TEXT NOT NULL)"))).toMatch(
      /must without default/
    )
    expect(reason("CREATE TABLE executions (id TEXT PRIMARY KEY)")).toMatch(/no column user_id/)
    expect(reason("CREATE TABLE skills (id TEXT)")).toMatch(/not executions\/execution_events/)
    expect(reason(SEED + "CREATE INDEX idx_other ON executions(channel);")).toBe("Right")
  })
  it("refuses a seed database already holding an object of a later migration", () => {
    expect(Either.isLeft(classified(SEED + "CREATE TABLE tool_calls (x TEXT);", ["tool_calls"]))).toBe(true)
  })
})
