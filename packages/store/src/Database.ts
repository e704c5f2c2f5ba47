/**
 * The SQLite connection, as a service: opened (and migrated) once, shared by the event store,
 * the projector and the CLI, closed when its scope ends.
 *
 * Opening a file:
 * 1. the folder (and missing parents, one level at a time: see DatabaseFolder) is created with
 *    mode 0700 and the file with 0600 (chmod after create, so the umask does not matter); an
 *    existing file readable by group or others gives a warning;
 * 2. the file is inspected without writing: a file that is not SQLite, or a SQLite database
 *    that is not Cratos's (see DatabaseSchema.classify), fails with DatabaseOpenError;
 * 3. WAL, synchronous, foreign_keys; a seed-DDL database is adopted; pending migrations run.
 */
import BetterSqlite3 from "better-sqlite3"
import * as fs from "node:fs"
import * as path from "node:path"
import { Context, Effect, Either, Layer } from "effect"
import { createFolders } from "./DatabaseFolder.js"
import { databasePath, MEMORY } from "./DatabasePath.js"
import { isPostgresUrl, maskUrl } from "./DatabaseUrl.js"
import { classify, inspectSchema } from "./DatabaseSchema.js"
import { registerMaskedText } from "./encryption/MaskedSearch.js"
import { DatabaseOpenError } from "./errors.js"
import { adoptSeedDatabase, applyMigrations, laterObjectNames, migrationState, retryWhileBusy } from "./Migrations.js"

export type Synchronous = "OFF" | "NORMAL" | "FULL" | "EXTRA"

export interface DatabaseOptions {
  /** The file; default from `CRATOS_DB`, `CRATOS_HOME`, then `~/.cratos/cratos.db`. `:memory:` works. */
  readonly path?: string
  /** How long a write waits for another connection's lock before SQLITE_BUSY (default 5000 ms). */
  readonly busyTimeoutMs?: number
  /** `PRAGMA synchronous` (default NORMAL: durable in WAL up to a power loss of the last commits). */
  readonly synchronous?: Synchronous
  /** Open for reading only: no file is created, nothing is migrated. */
  readonly readonly?: boolean
}

export interface DatabaseShape {
  /** The better-sqlite3 connection. Writes go through `transaction(fn).immediate()`. */
  readonly connection: BetterSqlite3.Database
  /** The absolute path of the file, or `:memory:`. */
  readonly path: string
  readonly readonly: boolean
  /** Things a person should know about the file (its mode), also logged at open. */
  readonly warnings: ReadonlyArray<string>
}

const fail = (file: string, reason: string) => new DatabaseOpenError({ path: file, reason })

const reasonOf = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code
  const message = e instanceof Error ? e.message : String(e)
  if (code === "SQLITE_NOTADB") return "not a SQLite database (file is not a database)"
  return typeof code === "string" ? `${message} (${code})` : message
}

/** Creates the folder (0700) and the file (0600) when missing; returns warnings about an existing file. */
const prepareLocation = (file: string, readonly: boolean): ReadonlyArray<string> => {
  if (file === MEMORY) return []
  const warnings: Array<string> = []
  if (!readonly) {
    createFolders(path.dirname(file), 0o700)
    try {
      fs.closeSync(fs.openSync(file, "wx", 0o600))
      fs.chmodSync(file, 0o600)
      return warnings
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
    }
  }
  const stat = fs.statSync(file)
  if (!stat.isFile()) throw new Error("not a regular file")
  if ((stat.mode & 0o077) !== 0) {
    warnings.push(
      `${file} is accessible by group or others (mode ${(stat.mode & 0o777).toString(8)}); ` +
        `it holds execution history: chmod 600 it`
    )
  }
  return warnings
}

const SYNCHRONOUS: ReadonlyArray<Synchronous> = ["OFF", "NORMAL", "FULL", "EXTRA"]

/** Opens, checks and migrates a connection; synchronous, throws DatabaseOpenError. */
const openConnection = (file: string, options: DatabaseOptions): DatabaseShape => {
  const readonly = options.readonly === true
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000
  const synchronous = options.synchronous ?? "NORMAL"
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0)
    throw fail(file, `invalid busyTimeoutMs ${busyTimeoutMs}`)
  if (!SYNCHRONOUS.includes(synchronous)) throw fail(file, `invalid synchronous ${String(synchronous)}`)
  if (readonly && file === MEMORY) throw fail(file, "an in-memory database cannot be opened read-only")

  let warnings: ReadonlyArray<string>
  try {
    warnings = prepareLocation(file, readonly)
  } catch (e) {
    throw fail(file, reasonOf(e))
  }
  let db: BetterSqlite3.Database
  try {
    db = new BetterSqlite3(file, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs })
  } catch (e) {
    throw fail(file, reasonOf(e))
  }
  registerMaskedText(db)
  try {
    // Read before anything is written: a file that is not ours stays untouched.
    const state = classify(
      retryWhileBusy(() => inspectSchema(db), busyTimeoutMs),
      laterObjectNames()
    )
    if (Either.isLeft(state)) throw fail(file, state.left)
    if (readonly) {
      if (state.right === "Empty") throw fail(file, "empty database opened read-only")
      db.pragma("foreign_keys = ON")
      return { connection: db, path: file, readonly, warnings }
    }
    if (file !== MEMORY) retryWhileBusy(() => db.pragma("journal_mode = WAL"), busyTimeoutMs)
    db.pragma(`synchronous = ${synchronous}`)
    db.pragma("foreign_keys = ON")
    if (state.right === "Seed") retryWhileBusy(() => adoptSeedDatabase(db), busyTimeoutMs)
    applyMigrations(db, busyTimeoutMs)
    const after = retryWhileBusy(() => migrationState(db), busyTimeoutMs)
    const allWarnings = after.newer
      ? [...warnings, `${file} was migrated by a newer Cratos Core; some of its tables may be unknown to this one`]
      : warnings
    return { connection: db, path: file, readonly, warnings: allWarnings }
  } catch (e) {
    db.close()
    throw e instanceof DatabaseOpenError ? e : fail(file, reasonOf(e))
  }
}

/** Opens the database (see the module comment); the connection is closed when the scope closes. */
export const make = (options: DatabaseOptions = {}) =>
  Effect.gen(function* () {
    const file = yield* databasePath(options.path).pipe(
      Effect.mapError((e) => fail(options.path ?? "(default path)", `configuration: ${e.message}`))
    )
    if (isPostgresUrl(file)) {
      // Never a SQLite file named after a URL (it used to create a folder `postgres:`).
      return yield* fail(
        maskUrl(file),
        "this is the SQLite opener; a PostgreSQL URL is opened by storageFor / EventStore.layerPostgres"
      )
    }
    const shape = yield* Effect.acquireRelease(
      Effect.try({
        try: () => openConnection(file, options),
        catch: (e) => (e instanceof DatabaseOpenError ? e : fail(file, reasonOf(e)))
      }),
      (s) => Effect.sync(() => s.connection.close())
    )
    for (const w of shape.warnings) yield* Effect.logWarning(w)
    return shape
  }).pipe(Effect.withSpan("Database.open"))

export class Database extends Context.Tag("@cratos/store/Database")<Database, DatabaseShape>() {
  /** Opens the connection for `options` in the current scope (see the module comment). */
  static readonly make = make
  /** The connection for `options` (path default from the environment). */
  static readonly layer = (options: DatabaseOptions = {}): Layer.Layer<Database, DatabaseOpenError> =>
    Layer.scoped(Database, make(options))
  /** A fresh, private in-memory database. */
  static readonly layerMemory: Layer.Layer<Database, DatabaseOpenError> = Layer.scoped(Database, make({ path: MEMORY }))
}
