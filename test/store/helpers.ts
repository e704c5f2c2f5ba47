/** Shared pieces of the store's integration tests: fixtures, events, temp files, backends. */
import { decodeEventJson, type ExecutionEvent, type MessageReceived, Timestamp, type ToolInvoked } from "@cratos/domain"
import { Database, EventStore, migrationsFolder, Retention } from "@cratos/store"
import { Context, Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url))
export const fixturesDir = path.join(repoRoot, "test/fixtures/serde")

export interface SerdeCase {
  readonly name: string
  readonly event_type: string
  readonly text: string
}

/** The 15 serde cases (text as the Rust program wrote it). */
export const serdeCases = (): ReadonlyArray<SerdeCase> =>
  fs
    .readFileSync(path.join(fixturesDir, "cases.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as SerdeCase)

export const decode = (text: string): ExecutionEvent =>
  Either.getOrThrowWith(decodeEventJson(text), (e) => new Error(e.message))

export const fixtureEvent = (name: string): ExecutionEvent =>
  decode(fs.readFileSync(path.join(fixturesDir, `${name}.json`), "utf8"))

/** A MessageReceived of user `userId` (the fixture's, with another user/text when given). */
export const messageReceived = (overrides: { userId?: string; text?: string; at?: string } = {}): MessageReceived => {
  const base = fixtureEvent("message_received_plain") as MessageReceived
  const at = overrides.at === undefined ? base.timestamp : Timestamp.unsafeMake(overrides.at)
  return {
    ...base,
    message: {
      ...base.message,
      user_id: overrides.userId ?? base.message.user_id,
      text: overrides.text ?? base.message.text,
      timestamp: at
    },
    timestamp: at
  }
}

/** A small ToolInvoked whose input says which one it is. */
export const toolInvoked = (n: number, input: unknown = { n }): ToolInvoked => ({
  type: "ToolInvoked",
  tool: "exec",
  input,
  input_masked: input,
  timestamp: Timestamp.unsafeMake("2025-11-26T10:10:37.250Z")
})

let counter = 0
/** A fresh execution id. */
export const newId = (): string => `00000000-0000-4000-8000-${String(++counter + process.pid * 1000).padStart(12, "0")}`

/** A fresh temp folder (removed at process exit). */
export const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-store-"))
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

export const tempDbPath = (): string => path.join(tempDir(), "cratos.db")

export { SEED_DDL } from "../support/seedDdl.js"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"

/** The seed's `get_events` query. */
export const SEED_GET_EVENTS = `SELECT event_data FROM execution_events
        WHERE execution_id = ?
        ORDER BY timestamp ASC`

export interface Backend {
  readonly name: string
  /** A fresh store (and its Database) on a new database of this kind. */
  readonly layer: () => Layer.Layer<EventStore | Database, unknown>
}

export const backends: ReadonlyArray<Backend> = [
  { name: "in-memory SQLite", layer: () => EventStore.layerMemory },
  { name: "a temp file", layer: () => EventStore.layer({ path: tempDbPath() }) }
]

/**
 * Plain SQL on a backend's database, for what a test checks or plants beside the store: `?`
 * placeholders on both dialects (numbered for PostgreSQL here); rows as objects.
 */
export class TestSql extends Context.Tag("test/TestSql")<
  TestSql,
  {
    readonly all: <R = Record<string, unknown>>(
      sql: string,
      ...params: Array<unknown>
    ) => Effect.Effect<Array<R>, unknown>
    /** Statements run in one transaction, committed; fails with what the database threw. */
    readonly transaction: (
      statements: ReadonlyArray<readonly [string, ...Array<unknown>]>
    ) => Effect.Effect<void, unknown>
  }
>() {}

export const sqliteTestSql = Layer.effect(
  TestSql,
  Effect.map(Database, ({ connection }) => ({
    all: <R>(sql: string, ...params: Array<unknown>) =>
      Effect.try({
        try: () => {
          const stmt = connection.prepare(sql)
          if (stmt.reader) return stmt.all(...params) as Array<R>
          stmt.run(...params)
          return [] as Array<R>
        },
        catch: (e) => e
      }),
    transaction: (statements: ReadonlyArray<readonly [string, ...Array<unknown>]>) =>
      Effect.try({
        try: () =>
          connection.transaction(() => {
            for (const [sql, ...params] of statements) connection.prepare(sql).run(...params)
          })(),
        catch: (e) => e
      })
  }))
)

/** `?` → `$1`, `$2`, … (the tests' SQL holds no `?` in literals). */
export const numbered = (sql: string): string => {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}

export interface AnyBackend {
  readonly name: string
  readonly dialect: "sqlite" | "postgres"
  /** A fresh store on a new database of this kind, and plain SQL on it. */
  readonly layer: () => Layer.Layer<EventStore | TestSql, unknown>
  /** The same with the Retention service. */
  readonly layerWithRetention: () => Layer.Layer<EventStore | TestSql | Retention, unknown>
}

/** TestSql on the PostgreSQL pool of `EventStore.layerPostgres` (loaded on first use). */
export const postgresTestSql = Layer.unwrapEffect(
  Effect.promise(async () => {
    const { PostgresDatabase } = await import("@cratos/store/postgres")
    return Layer.effect(
      TestSql,
      Effect.map(PostgresDatabase, ({ pool }) => ({
        all: <R>(text: string, ...params: Array<unknown>) =>
          Effect.tryPromise({
            try: async () => (await pool.query(numbered(text), params)).rows as Array<R>,
            catch: (e) => e
          }),
        transaction: (statements: ReadonlyArray<readonly [string, ...Array<unknown>]>) =>
          Effect.tryPromise({
            try: async () => {
              const client = await pool.connect()
              try {
                await client.query("BEGIN")
                try {
                  for (const [text, ...params] of statements) await client.query(numbered(text), params)
                  await client.query("COMMIT")
                } catch (e) {
                  await client.query("ROLLBACK")
                  throw e
                }
              } finally {
                client.release()
              }
            },
            catch: (e) => e
          })
      }))
    )
  })
) as Layer.Layer<TestSql, never, import("@cratos/store").PostgresDatabase>

/** A fresh database of the run's cluster with the store on it (its URL too). */
export const postgresStoreLayer = (url: string) =>
  postgresTestSql.pipe(Layer.provideMerge(EventStore.layerPostgres({ url })))

const postgresLayer = () =>
  Layer.unwrapEffect(Effect.promise(async () => postgresStoreLayer(await postgresDatabase("store"))))

const postgresBackend: AnyBackend = {
  name: "PostgreSQL",
  dialect: "postgres",
  layer: postgresLayer,
  layerWithRetention: () => Layer.provideMerge(Retention.layerPostgres, postgresLayer())
}

/** The SQLite backends and, where its binaries are installed, PostgreSQL (else one loud skip line). */
export const allBackends = (): ReadonlyArray<AnyBackend> => {
  const sqlite = backends.map(
    (b): AnyBackend => ({
      name: b.name,
      dialect: "sqlite",
      layer: () => sqliteTestSql.pipe(Layer.provideMerge(b.layer())),
      layerWithRetention: () => Layer.mergeAll(sqliteTestSql, Retention.layer).pipe(Layer.provideMerge(b.layer()))
    })
  )
  return postgresAvailable() ? [...sqlite, postgresBackend] : sqlite
}

/** The migrations drizzle-kit has written (its journal's entries): a branch may add some. */
export const MIGRATION_COUNT = (
  JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: ReadonlyArray<unknown>
  }
).entries.length
