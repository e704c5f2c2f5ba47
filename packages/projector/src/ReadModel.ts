/**
 * The read side's query service: what the CLI lists, shows and counts, on SQLite (here) or
 * PostgreSQL (`postgres/PostgresReadModel.ts`, the same answers). It reads only the tables
 * the projections keep (`executions`, `execution_summaries`, `tool_calls`,
 * `projection_checkpoints`); the SQL is built in ReadModelQueries.ts (every value a bound
 * parameter), the shapes are in ReadModelShape.ts.
 */
import type { ExecutionStatus } from "@cratos/domain"
import { Database, ExecutionNotFound, type PostgresDatabase } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"
import { Context, Effect, Layer } from "effect"
import { readLag } from "./ProjectionLag.js"
import { type ProjectionInfo, projectionCatalog } from "./projections/index.js"
import {
  boundKey,
  FROM,
  latestIdSql,
  listQuery,
  type RawRow,
  ROW_COLUMNS,
  STATUS_SQL,
  STATUSES,
  TOKENS_SQL,
  TOOL_STATS_SQL,
  toRow
} from "./ReadModelQueries.js"
import { type LinkedRow, RERUN_OF_SQL, RERUNS_SQL } from "./RerunLinks.js"
import type { ModelTokens, ReadModelShape, ToolStats } from "./ReadModelShape.js"
import { foldStatusSeries, statusSeriesQuery } from "./StatusSeries.js"
import { trySqlite } from "./sql/trySqlite.js"

export type {
  ExecutionRow,
  InstantInput,
  ListFilter,
  ModelTokens,
  ReadModelShape,
  Stats,
  ToolStats
} from "./ReadModelShape.js"
export { DEFAULT_LIMIT, MAX_LIMIT } from "./ReadModelQueries.js"

export interface ReadModelOptions {
  /** The file named in errors (default: the connection's). */
  readonly path?: string
  /** The projections whose lag `status` reports (default: the registered ones). */
  readonly projections?: ReadonlyArray<ProjectionInfo>
}

/**
 * The service over a connection. Statements are prepared once, on first use (a list's statement
 * depends on which filters are set: one per combination, cached).
 */
export const fromConnection = (db: BetterSqlite3.Database, options: ReadModelOptions = {}): ReadModelShape => {
  const path = options.path ?? db.name
  const known = options.projections ?? projectionCatalog
  const cache = new Map<string, BetterSqlite3.Statement>()
  const prepared = (sql: string): BetterSqlite3.Statement => {
    let stmt = cache.get(sql)
    if (stmt === undefined) {
      stmt = db.prepare(sql)
      cache.set(sql, stmt)
    }
    return stmt
  }
  const run = <A>(operation: string, f: () => A) => trySqlite(operation, path, f)

  const list: ReadModelShape["list"] = (filter = {}) =>
    Effect.flatMap(listQuery(filter), ({ sql, params }) =>
      run("ReadModel.list", () => (prepared(sql).all(...params) as Array<RawRow>).map(toRow))
    ).pipe(Effect.withSpan("ReadModel.list"))

  const get: ReadModelShape["get"] = (id) =>
    run(
      "ReadModel.get",
      () => prepared(`SELECT ${ROW_COLUMNS} ${FROM} WHERE e.id = ?`).get(id) as RawRow | undefined
    ).pipe(
      Effect.flatMap((row) =>
        row === undefined ? Effect.fail(new ExecutionNotFound({ executionId: id })) : Effect.succeed(toRow(row))
      ),
      Effect.withSpan("ReadModel.get", { attributes: { id } })
    )

  const latestId: ReadModelShape["latestId"] = (user) =>
    run("ReadModel.latestId", () => {
      const stmt = prepared(latestIdSql(user !== undefined)).pluck(true)
      const id = (user === undefined ? stmt.get() : stmt.get(user)) as string | undefined
      return id ?? null
    }).pipe(Effect.withSpan("ReadModel.latestId"))

  const stats: ReadModelShape["stats"] = (opts = {}) =>
    Effect.gen(function* () {
      const since = opts.since === undefined ? undefined : yield* boundKey("since", opts.since)
      const user = opts.user
      const params = [...(since === undefined ? [] : [since]), ...(user === undefined ? [] : [user])]
      const bySince = since !== undefined
      const byUser = user !== undefined
      return yield* run("ReadModel.stats", () => {
        const byStatus: Record<ExecutionStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0 }
        for (const r of prepared(STATUS_SQL(bySince, byUser)).all(...params) as Array<{
          status: string
          n: number
        }>) {
          if ((STATUSES as ReadonlyArray<string>).includes(r.status)) byStatus[r.status as ExecutionStatus] = r.n
        }
        const tools = prepared(TOOL_STATS_SQL(bySince, byUser)).all(...params) as Array<ToolStats>
        const tokens = prepared(TOKENS_SQL(bySince, byUser)).all(...params) as Array<ModelTokens>
        return { executions_by_status: byStatus, tools, tokens_by_model: tokens }
      })
    }).pipe(Effect.withSpan("ReadModel.stats"))

  const idsStartingWith: ReadModelShape["idsStartingWith"] = (prefix, limit) =>
    run(
      "ReadModel.idsStartingWith",
      () =>
        prepared("SELECT id FROM executions WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ?").all(
          prefix.length,
          prefix,
          limit
        ) as Array<{ id: string }>
    ).pipe(Effect.map((rows) => rows.map((r) => r.id)))

  const statusSeries: ReadModelShape["statusSeries"] = (opts) =>
    Effect.flatMap(statusSeriesQuery(opts), ({ sql, params }) =>
      run("ReadModel.statusSeries", () =>
        foldStatusSeries(
          opts.bucket,
          prepared(sql).all(...params) as Array<{ bucket: string; status: string; n: number }>
        )
      )
    ).pipe(Effect.withSpan("ReadModel.statusSeries"))

  const rerunLinks: ReadModelShape["rerunLinks"] = (id) =>
    run("ReadModel.rerunLinks", () => ({
      rerunOf: (prepared(RERUN_OF_SQL).get(id) as LinkedRow | undefined) ?? null,
      reruns: prepared(RERUNS_SQL).all(id, id) as Array<LinkedRow>
    }))

  const status: ReadModelShape["status"] = () =>
    run("ReadModel.status", () => readLag(db, known)).pipe(Effect.withSpan("ReadModel.status"))

  return { list, get, latestId, stats, statusSeries, status, idsStartingWith, rerunLinks }
}

/** The service on the shared connection of the store's `Database`. */
export const make: Effect.Effect<ReadModelShape, never, Database> = Effect.map(Database, (database) =>
  fromConnection(database.connection, { path: database.path })
)

export class ReadModel extends Context.Tag("@cratos/projector/ReadModel")<ReadModel, ReadModelShape>() {
  /** The service on the shared connection of the store's `Database`. */
  static readonly make = make
  /** The service on a connection given directly (benchmarks, tests). */
  static readonly fromConnection = fromConnection
  static readonly layer: Layer.Layer<ReadModel, never, Database> = Layer.effect(ReadModel, make)
  /**
   * The service on the store's PostgreSQL pool (`EventStore.layerPostgres`); its module (Drizzle's
   * node-postgres driver) is loaded on first use, never on the SQLite path.
   */
  static readonly layerPostgres: Layer.Layer<ReadModel, never, PostgresDatabase> = Layer.effect(
    ReadModel,
    Effect.flatMap(
      Effect.promise(() => import("./postgres/PostgresReadModel.js")),
      (m) => m.make
    )
  )
}
