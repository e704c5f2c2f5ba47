/**
 * What a database file holds, and whether it is a Cratos database: the seed's two tables with
 * the seed's columns (CONTRACT.md section 3), a migration history, or nothing yet.
 * `classify` is pure; `inspectSchema` only reads.
 */
import type BetterSqlite3 from "better-sqlite3"
import { Either } from "effect"

export const MIGRATIONS_TABLE = "__drizzle_migrations"

export interface SchemaObject {
  readonly type: string
  readonly name: string
  readonly sql: string | null
}

export interface ColumnInfo {
  readonly name: string
  readonly type: string
  readonly notnull: number
  readonly dflt_value: string | null
  readonly pk: number
}

export interface ForeignKeyInfo {
  readonly table: string
  readonly from: string
  readonly to: string | null
}

export interface Inspection {
  readonly objects: ReadonlyArray<SchemaObject>
  readonly columns: Readonly<Record<string, ReadonlyArray<ColumnInfo>>>
  readonly foreignKeys: Readonly<Record<string, ReadonlyArray<ForeignKeyInfo>>>
}

/**
 * - `Empty`: no tables: a new file; the migrations create everything.
 * - `Managed`: has a migration history; pending migrations are applied.
 * - `Seed`: the seed's tables without a migration history (written by the Rust program):
 *   adopted by recording the baseline migration as applied.
 */
export type Classification = "Empty" | "Managed" | "Seed"

interface ExpectedColumn {
  readonly name: string
  readonly type: "TEXT" | "INTEGER"
  readonly notnull: 0 | 1
  readonly dflt: string | null
  readonly pk: 0 | 1
}

const col = (name: string, type: "TEXT" | "INTEGER", notnull: 0 | 1, dflt: string | null = null, pk: 0 | 1 = 0) =>
  ({ name, type, notnull, dflt, pk }) satisfies ExpectedColumn

/** The seed's columns, as `PRAGMA table_info` reports them for its DDL. */
export const SEED_COLUMNS: Readonly<Record<"executions" | "execution_events", ReadonlyArray<ExpectedColumn>>> = {
  executions: [
    col("id", "TEXT", 0, null, 1),
    col("user_id", "TEXT", 1),
    col("channel", "TEXT", 1),
    col("input_text", "TEXT", 1),
    col("status", "TEXT", 1, "'pending'"),
    col("created_at", "TEXT", 1),
    col("completed_at", "TEXT", 0)
  ],
  execution_events: [
    col("id", "INTEGER", 0, null, 1),
    col("execution_id", "TEXT", 1),
    col("user_id", "TEXT", 1),
    col("event_type", "TEXT", 1),
    col("event_data", "TEXT", 1),
    col("timestamp", "TEXT", 1),
    col("created_at", "TEXT", 1, "datetime('now')")
  ]
}

const SEED_TABLES = ["executions", "execution_events"] as const

const normalizeDefault = (d: string | null): string | null => {
  if (d === null) return null
  let s = d.replace(/\s+/g, "").toLowerCase()
  while (s.startsWith("(") && s.endsWith(")")) s = s.slice(1, -1)
  return s
}

const isUserTable = (o: SchemaObject) => o.type === "table" && !o.name.startsWith("sqlite_")

/** Why a seed table differs from the seed's DDL, or undefined when it matches. */
export const seedTableMismatch = (
  table: "executions" | "execution_events",
  inspection: Inspection
): string | undefined => {
  const actual = inspection.columns[table]
  if (actual === undefined || actual.length === 0) return `table ${table} is missing`
  for (const expected of SEED_COLUMNS[table]) {
    const c = actual.find((a) => a.name === expected.name)
    if (c === undefined) return `table ${table} has no column ${expected.name}`
    if (c.type.toUpperCase() !== expected.type)
      return `column ${table}.${c.name} is ${c.type || "untyped"}, not ${expected.type}`
    if (c.pk !== expected.pk) return `column ${table}.${c.name} ${expected.pk ? "is not" : "is"} the primary key`
    if (c.notnull !== expected.notnull) {
      return `column ${table}.${c.name} is ${c.notnull ? "NOT NULL" : "nullable"}, unlike the seed's`
    }
    if (normalizeDefault(c.dflt_value) !== normalizeDefault(expected.dflt)) {
      return `column ${table}.${c.name} has default ${c.dflt_value ?? "none"}, not ${expected.dflt ?? "none"}`
    }
  }
  for (const c of actual) {
    const known = SEED_COLUMNS[table].some((e) => e.name === c.name)
    // An added column is fine as long as the seed's INSERTs (which omit it) still work.
    if (!known && c.notnull && c.dflt_value === null)
      return `table ${table} has a NOT NULL column ${c.name} without default`
  }
  if (table === "execution_events") {
    const sql = inspection.objects.find((o) => o.type === "table" && o.name === table)?.sql ?? ""
    if (!/AUTOINCREMENT/i.test(sql)) return "execution_events.id is not AUTOINCREMENT (positions could be reused)"
    const fks = inspection.foreignKeys[table] ?? []
    if (
      !fks.some((fk) => fk.table === "executions" && fk.from === "execution_id" && (fk.to === "id" || fk.to === null))
    ) {
      return "execution_events.execution_id does not reference executions(id)"
    }
  }
  return undefined
}

/**
 * Whether the inspected file is a Cratos database and in which state; the Left says why not.
 * `laterObjects` are the names of the tables, indexes and triggers the migrations after the
 * baseline create: a seed database holding one of them was not written by the seed alone.
 */
export const classify = (
  inspection: Inspection,
  laterObjects: ReadonlySet<string>
): Either.Either<Classification, string> => {
  const tables = inspection.objects.filter(isUserTable).map((o) => o.name)
  // Only drizzle's history table: another process is migrating the new file (the migrator creates
  // that table before its transaction), or one was killed right after: the migrations run (again).
  if (tables.length === 0 || (tables.length === 1 && tables[0] === MIGRATIONS_TABLE)) return Either.right("Empty")
  const hasSeedTable = SEED_TABLES.some((t) => tables.includes(t))
  const managed = tables.includes(MIGRATIONS_TABLE)
  if (!hasSeedTable) {
    const listed = tables.slice(0, 5).join(", ") + (tables.length > 5 ? ", …" : "")
    return Either.left(`not a Cratos database: it has tables (${listed}) but not executions/execution_events`)
  }
  for (const t of SEED_TABLES) {
    const mismatch = seedTableMismatch(t, inspection)
    if (mismatch !== undefined) return Either.left(`not a Cratos database: ${mismatch}`)
  }
  if (managed) return Either.right("Managed")
  const foreign = inspection.objects.find((o) => laterObjects.has(o.name))
  if (foreign !== undefined) {
    return Either.left(
      `not a Cratos database: it has no migration history but already holds ${foreign.type} ${foreign.name}`
    )
  }
  return Either.right("Seed")
}

/** Reads the schema of a connection (no writes). Throws what SQLite throws (e.g. SQLITE_NOTADB). */
export const inspectSchema = (db: BetterSqlite3.Database): Inspection => {
  const objects = db.prepare("SELECT type, name, sql FROM sqlite_master").all() as Array<SchemaObject>
  const columns: Record<string, ReadonlyArray<ColumnInfo>> = {}
  const foreignKeys: Record<string, ReadonlyArray<ForeignKeyInfo>> = {}
  for (const t of SEED_TABLES) {
    if (!objects.some((o) => o.type === "table" && o.name === t)) continue
    columns[t] = db
      .prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`)
      .all(t) as Array<ColumnInfo>
    foreignKeys[t] = db
      .prepare(`SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)`)
      .all(t) as Array<ForeignKeyInfo>
  }
  return { objects, columns, foreignKeys }
}
