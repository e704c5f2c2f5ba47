import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import {
  decode,
  MIGRATION_COUNT,
  newId,
  SEED_DDL,
  SEED_GET_EVENTS,
  serdeCases,
  tempDbPath,
  toolInvoked
} from "./helpers.js"

const cases = serdeCases()
const RUST_TIMESTAMP = "2025-11-26T10:10:37.250+00:00"

/** A database as the Rust program leaves it: the seed's DDL, rows written by its insert_event. */
const seedDatabase = (file: string, executionId: string, texts: ReadonlyArray<string>) => {
  const db = new BetterSqlite3(file)
  db.exec(SEED_DDL)
  db.prepare(
    "INSERT INTO executions (id, user_id, channel, input_text, created_at) VALUES (?, 'user-1', 'cli', 'hi', ?)"
  ).run(executionId, RUST_TIMESTAMP)
  const insert = db.prepare(
    "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)"
  )
  for (const t of texts) insert.run(executionId, "user-1", (JSON.parse(t) as { type: string }).type, t, RUST_TIMESTAMP)
  db.close()
}

const schemaOf = (db: BetterSqlite3.Database, table: string) => ({
  columns: db.prepare(`SELECT * FROM pragma_table_info(?)`).all(table),
  foreignKeys: db.prepare(`SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)`).all(table),
  indexes: (
    db.prepare(`SELECT name FROM pragma_index_list(?) ORDER BY name`).pluck().all(table) as Array<string>
  ).filter((n) => !n.startsWith("sqlite_autoindex"))
})

const digest = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex")

const openFails = (file: string) => Effect.flip(Effect.provide(Effect.void, Database.layer({ path: file })))

describe("adopting a database created by the seed's DDL", () => {
  it.effect("reads the Rust program's rows, records the baseline, migrates, and appends", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      const id = newId()
      const texts = [cases[0]!.text, cases[1]!.text, cases[5]!.text]
      seedDatabase(file, id, texts)

      const result = yield* Effect.gen(function* () {
        const store = yield* EventStore
        const { connection } = yield* Database
        const events = yield* store.getEvents(id)
        const migrations = connection.prepare(`SELECT count(*) FROM "__drizzle_migrations"`).pluck().get()
        const appended = yield* store.append(id, [toolInvoked(1)], { expectedVersion: 3 })
        const tables = connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()
        const indexes = schemaOf(connection, "executions").indexes
        return { events, migrations, appended, tables, indexes }
      }).pipe(Effect.provide(EventStore.layer({ path: file })))

      expect(result.events).toEqual(texts.map(decode))
      expect(result.migrations).toBe(MIGRATION_COUNT)
      expect(result.indexes).toEqual(
        expect.arrayContaining(["idx_executions_created_key", "idx_executions_user_created_key"])
      )
      expect(result.appended).toMatchObject({ version: 4, positions: [4] })
      expect(result.tables).toEqual(
        expect.arrayContaining([
          "idempotency_keys",
          "projection_checkpoints",
          "execution_summaries",
          "tool_calls",
          "projector_dead_letters"
        ])
      )

      // The seed's own query still reads everything, and opening again is a no-op.
      const raw = new BetterSqlite3(file, { readonly: true })
      const seedRead = raw.prepare(SEED_GET_EVENTS).pluck().all(id) as Array<string>
      raw.close()
      expect(seedRead.slice(0, 3)).toEqual(texts)
      expect(seedRead).toHaveLength(4)
      // The seed's own insert still works on the indexed table (the key uses only built-in functions).
      const rust = new BetterSqlite3(file)
      rust
        .prepare(
          "INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, ?, ?)"
        )
        .run(newId(), "user-1", "cli", "hi", "pending", RUST_TIMESTAMP)
      rust.close()
      const again = yield* Effect.flatMap(EventStore, (s) => s.streamVersion(id)).pipe(
        Effect.provide(EventStore.layer({ path: file }))
      )
      expect(again).toBe(4)
    })
  )

  it.effect("adds a seed index the file lacks", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      seedDatabase(file, newId(), [])
      const raw = new BetterSqlite3(file)
      raw.exec("DROP INDEX idx_events_user_id")
      raw.close()
      const indexes = yield* Effect.map(
        Database,
        ({ connection }) => schemaOf(connection, "execution_events").indexes
      ).pipe(Effect.provide(Database.layer({ path: file })))
      expect(indexes).toContain("idx_events_user_id")
    })
  )

  it.effect("creates, on a new file, the seed's tables exactly as the seed's DDL does", () =>
    Effect.gen(function* () {
      const seed = new BetterSqlite3(":memory:")
      seed.exec(SEED_DDL)
      const migrated = yield* Effect.map(Database, ({ connection }) => ({
        executions: schemaOf(connection, "executions"),
        execution_events: schemaOf(connection, "execution_events")
      })).pipe(Effect.provide(Database.layer({ path: tempDbPath() })))
      // the seed's columns and keys exactly; one index more, for the rerun links (migration 0009)
      const seedEvents = schemaOf(seed, "execution_events")
      expect(migrated.execution_events).toEqual({
        ...seedEvents,
        indexes: [...seedEvents.indexes, "idx_events_message_thread_id"].sort()
      })
      expect(migrated.executions.columns).toEqual(schemaOf(seed, "executions").columns)
      expect(migrated.executions.indexes).toEqual(
        [
          ...schemaOf(seed, "executions").indexes,
          "idx_executions_created_key",
          "idx_executions_status",
          "idx_executions_status_created_key",
          "idx_executions_user_created_key"
        ].sort()
      )
      seed.close()
    })
  )
})

describe("opening a file that is not a Cratos database", () => {
  const notCratos: ReadonlyArray<readonly [string, (file: string) => void, RegExp]> = [
    ["a text file", (f) => fs.writeFileSync(f, "hello, I am notes\n".repeat(100)), /not a SQLite database/],
    ["random bytes", (f) => fs.writeFileSync(f, Buffer.alloc(8192, 7)), /not a SQLite database/],
    [
      "executions with other columns",
      (f) => {
        const db = new BetterSqlite3(f)
        db.exec("CREATE TABLE executions (id TEXT PRIMARY KEY, name TEXT); CREATE TABLE execution_events (id INTEGER)")
        db.close()
      },
      /executions has no column user_id/
    ],
    [
      "another program's tables",
      (f) => {
        const db = new BetterSqlite3(f)
        db.exec("CREATE TABLE memories (id INTEGER PRIMARY KEY, text TEXT)")
        db.close()
      },
      /not a Cratos database.*memories/
    ],
    [
      "the seed's tables beside a foreign tool_calls, without migration history",
      (f) => {
        const db = new BetterSqlite3(f)
        db.exec(SEED_DDL)
        db.exec("CREATE TABLE tool_calls (x TEXT)")
        db.close()
      },
      /already holds table tool_calls/
    ]
  ]

  for (const [name, create, reason] of notCratos) {
    it.effect(`fails with DatabaseOpenError naming the file and writes nothing: ${name}`, () =>
      Effect.gen(function* () {
        const file = tempDbPath()
        create(file)
        const before = digest(file)
        const err = yield* openFails(file)
        expect(err._tag).toBe("DatabaseOpenError")
        expect(err.path).toBe(file)
        expect(err.message).toContain(file)
        expect(err.reason).toMatch(reason)
        expect(digest(file)).toBe(before)
        expect(fs.readdirSync(path.dirname(file))).toEqual(["cratos.db"])
      })
    )
  }
})

describe("opening a seed database read-only", () => {
  it.effect("reads it without adopting or changing it", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      const id = newId()
      seedDatabase(file, id, [cases[0]!.text, cases[6]!.text])
      const before = digest(file)
      const result = yield* Effect.gen(function* () {
        const store = yield* EventStore
        const events = yield* store.getEvents(id)
        const write = yield* Effect.flip(store.append(id, [toolInvoked(1)]))
        return { events, write }
      }).pipe(Effect.provide(EventStore.layer({ path: file, readonly: true })))
      expect(result.events).toHaveLength(2)
      expect(result.write._tag).toBe("StorageError")
      expect(digest(file)).toBe(before)
    })
  )
})
