/**
 * The PostgreSQL connection pool, as a service: opened (and migrated) once, shared by the event
 * store, closed when its scope ends. Loaded only when the database URL is a `postgres://` one.
 *
 * Opening:
 * 1. a pool (`max` connections, default 10) with a statement timeout (default 30 s) and an
 *    application name; bigint columns (positions, counts) read as numbers (they stay below 2^53);
 * 2. one round trip checks the server: down, a refused password, a missing database each fail
 *    with one `DatabaseOpenError` line naming the URL without its password;
 * 3. pending migrations (`packages/store/drizzle-pg`) run with drizzle's node-postgres migrator
 *    under a session advisory lock, so processes opening a new database at once migrate it once.
 */
import { migrate } from "drizzle-orm/node-postgres/migrator"
import { drizzle } from "drizzle-orm/node-postgres"
import { fileURLToPath } from "node:url"
import pg from "pg"
import { Context, Effect, Layer } from "effect"
import { maskUrl } from "../DatabaseUrl.js"
import { DatabaseOpenError } from "../errors.js"
import type { PostgresOptions } from "./PostgresOptions.js"
import { sqlState } from "./PostgresFailure.js"

export const pgMigrationsFolder = fileURLToPath(new URL("../../drizzle-pg", import.meta.url))

/** Any 64-bit key, the same in every process: serializes migrations. */
const MIGRATION_LOCK = 7_303_841_001

export interface PostgresDatabaseShape {
  readonly pool: pg.Pool
  /** The URL without its password: for every message. */
  readonly location: string
}

const INT8_OID = 20
/** The pool's type parsers: bigint (int8) columns as numbers (positions and versions stay below 2^53). */
export const poolTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser
}

/** One line a person can act on, for what connecting threw. */
export const openFailureReason = (thrown: unknown): string => {
  // drizzle wraps a failed migration statement ("Failed query: <the SQL>…"): the server's error is its cause.
  const cause =
    thrown instanceof Error && thrown.cause !== undefined && sqlState(thrown) === undefined ? thrown.cause : thrown
  const state = sqlState(cause)
  // One line: a message of the server may span several.
  const message = (cause instanceof Error ? cause.message : String(cause)).split("\n")[0]!.slice(0, 300)
  switch (state) {
    case "28P01":
    case "28000":
      return `the server refused the credentials (${message})`
    case "3D000":
      return `the database does not exist (${message})`
    case "57P03":
      return `the server is starting up or shutting down (${message})`
  }
  const code = (cause as { readonly code?: unknown } | null)?.code
  if (code === "ECONNREFUSED") return "no server is listening there (connection refused)"
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name does not resolve"
  if (code === "ETIMEDOUT" || /timeout/i.test(message)) return "the server did not answer in time"
  return state !== undefined ? `${message} (SQLSTATE ${state})` : message
}

const connectAndMigrate = async (pool: pg.Pool): Promise<void> => {
  const client = await pool.connect()
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK])
    try {
      await migrate(drizzle({ client }), { migrationsFolder: pgMigrationsFolder })
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK])
    }
  } finally {
    client.release()
  }
}

export const make = (options: PostgresOptions) =>
  Effect.gen(function* () {
    const location = maskUrl(options.url)
    const fail = (reason: string) => new DatabaseOpenError({ path: location, reason })
    const pool = yield* Effect.acquireRelease(
      Effect.try({
        try: () =>
          new pg.Pool({
            connectionString: options.url,
            max: options.maxConnections ?? 10,
            statement_timeout: options.statementTimeoutMs ?? 30_000,
            connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
            application_name: "cratos",
            types: poolTypes
          }),
        catch: (e) => fail(openFailureReason(e))
      }),
      (p) => Effect.promise(() => p.end().catch(() => undefined))
    )
    // An idle client's error (the server restarted) must not crash the process: the next query fails instead.
    pool.on("error", () => undefined)
    yield* Effect.tryPromise({
      try: () => connectAndMigrate(pool),
      catch: (e) => fail(openFailureReason(e))
    })
    return { pool, location } satisfies PostgresDatabaseShape
  }).pipe(Effect.withSpan("PostgresDatabase.open"))

export class PostgresDatabase extends Context.Tag("@cratos/store/PostgresDatabase")<
  PostgresDatabase,
  PostgresDatabaseShape
>() {
  static readonly make = make
  static readonly layer = (options: PostgresOptions): Layer.Layer<PostgresDatabase, DatabaseOpenError> =>
    Layer.scoped(PostgresDatabase, make(options))
}
