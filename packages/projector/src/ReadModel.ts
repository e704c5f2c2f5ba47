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
import { type ProjectionInfo, projectionCatalog } from "./projections/index.js"
import { boundKey, listQueryParts, readModelSpan, rowOf, STATUSES } from "./ReadModelQueries.js"
import type { ReadModelShape } from "./ReadModelShape.js"
import { prepareReadModelStatements, type ReadModelStatements } from "./sql/readModelStatements.js"
import { foldStatusSeries } from "./StatusSeries.js"
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
 * The service over a connection. Its statements (sql/readModelStatements.ts: Drizzle's builder)
 * are prepared once, on first use (a list's statement depends on which filters are set: one per
 * combination).
 */
export const fromConnection = (db: BetterSqlite3.Database, options: ReadModelOptions = {}): ReadModelShape =>
  fromStatements(prepareReadModelStatements(db), options.path ?? db.name, options)

/**
 * The service over statements of that shape: the app's are `prepareReadModelStatements`; the
 * benchmark runs the same service over the raw driver's (bench/drizzlePath.ts).
 */
export const fromStatements = (
  q: ReadModelStatements,
  path: string,
  options: Pick<ReadModelOptions, "projections"> = {}
): ReadModelShape => {
  const known = options.projections ?? projectionCatalog
  const run = <A>(operation: string, f: () => A) => trySqlite(operation, path, f)

  const list: ReadModelShape["list"] = (filter = {}) =>
    Effect.flatMap(listQueryParts(filter), ({ set, values }) =>
      run("ReadModel.list", () => q.list(set, values).map(rowOf))
    ).pipe(readModelSpan("ReadModel.list"))

  const get: ReadModelShape["get"] = (id) =>
    run("ReadModel.get", () => q.get(id)).pipe(
      Effect.flatMap((row) =>
        row === undefined ? Effect.fail(new ExecutionNotFound({ executionId: id })) : Effect.succeed(rowOf(row))
      ),
      readModelSpan("ReadModel.get", { id })
    )

  const latestId: ReadModelShape["latestId"] = (user) =>
    run("ReadModel.latestId", () => q.latestId(user) ?? null).pipe(readModelSpan("ReadModel.latestId"))

  const stats: ReadModelShape["stats"] = (opts = {}) =>
    Effect.gen(function* () {
      const since = opts.since === undefined ? undefined : yield* boundKey("since", opts.since)
      return yield* run("ReadModel.stats", () => {
        const rows = q.stats(since, opts.user)
        const byStatus: Record<ExecutionStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0 }
        for (const r of rows.status) {
          if ((STATUSES as ReadonlyArray<string>).includes(r.status)) byStatus[r.status as ExecutionStatus] = r.n
        }
        return { executions_by_status: byStatus, tools: rows.tools, tokens_by_model: rows.tokens }
      })
    }).pipe(readModelSpan("ReadModel.stats"))

  const idsStartingWith: ReadModelShape["idsStartingWith"] = (prefix, limit) =>
    run("ReadModel.idsStartingWith", () => q.idsStartingWith(prefix, limit))

  const statusSeries: ReadModelShape["statusSeries"] = (opts) =>
    Effect.gen(function* () {
      const since = opts.since === undefined ? undefined : yield* boundKey("since", opts.since)
      const until = opts.until === undefined ? undefined : yield* boundKey("until", opts.until)
      return yield* run("ReadModel.statusSeries", () =>
        foldStatusSeries(opts.bucket, q.series(opts.bucket === "hour", since, until, opts.user))
      )
    }).pipe(readModelSpan("ReadModel.statusSeries"))

  const rerunLinks: ReadModelShape["rerunLinks"] = (id) =>
    run("ReadModel.rerunLinks", () => ({ rerunOf: q.rerunOf(id) ?? null, reruns: q.reruns(id) }))

  const status: ReadModelShape["status"] = () =>
    run("ReadModel.status", () => q.lag(known)).pipe(readModelSpan("ReadModel.status"))

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
  /** The service over statements of that shape (the benchmark's raw-driver side). */
  static readonly fromStatements = fromStatements
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
