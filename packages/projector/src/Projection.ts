/**
 * A projection definition, Emmett style: `{ name, version, canHandle, fold, sqlite, postgres }`,
 * one checkpoint row each in `projection_checkpoints`. A new projection is a new file under
 * `projections/` (`defineProjection({ … })`) and one line in `projections/index.ts`.
 *
 * `Projection<T>` is generic over the event types it handles, as Emmett's `CanHandle`: `fold`
 * receives only `StoredEvent`s of those types (`canHandle: ["ToolCompleted"]` gives it a
 * `ToolCompleted` without a check of `event.type`); the batch applier filters by `canHandle`.
 *
 * A batch is applied in three steps, the middle one pure and shared by both databases:
 *
 * 1. `load`: the rows the batch needs, by execution id (the dialect's own reads);
 * 2. `fold(events, rows)`: the events folded over those rows into the changes to write (no I/O;
 *    the loaded rows are the batch's own and may be updated in place; throws to reject an event:
 *    the applier then treats it as poison);
 * 3. `write(changes)`: the dialect's own writes.
 *
 * On SQLite (`sqlite`) load and write are synchronous statements of the shared better-sqlite3
 * connection (`ctx.statement(sql)`, prepared once per connection), inside the batch's `BEGIN
 * IMMEDIATE` transaction: no Effect or promise between the statements, so SQLite runs as fast as
 * when handlers wrote directly. On PostgreSQL (`postgres`) they are queries on the batch's pooled
 * client, inside its transaction: a batch's reads are one `= ANY($1)` query and its writes one
 * `unnest` statement per table, a few round trips per batch however many events.
 */
import { type EventOf, EventType } from "@cratos/domain"
import type { StoredEvent } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"

export interface ProjectionContext {
  readonly db: BetterSqlite3.Database
  /** A prepared statement for `sql`, cached per connection. */
  readonly statement: <P extends Array<unknown> = Array<unknown>, R = unknown>(
    sql: string
  ) => BetterSqlite3.Statement<P, R>
}

/** A statement for PostgreSQL: `name` makes node-postgres prepare it once per connection. */
export interface PgStatement {
  readonly name?: string
  readonly text: string
  readonly values?: ReadonlyArray<unknown>
}

/** What a projection's PostgreSQL side is given: the batch's client, in its transaction. */
export interface PgContext {
  readonly query: <R = Record<string, unknown>>(statement: PgStatement) => Promise<ReadonlyArray<R>>
}

/** Each event type's event (an indexed access, so `Projection<T>` is covariant in `T`). */
type EventByType = { readonly [K in EventType]: EventOf<K> }

/** A projection's reads and writes on SQLite: synchronous, inside the batch's transaction. */
export interface SqliteTables<Row, Changes> {
  /** The rows of these executions (absent ones are missing from the map). */
  load(ctx: ProjectionContext, executionIds: ReadonlyArray<string>): ReadonlyMap<string, Row>
  write(ctx: ProjectionContext, changes: Changes): void
  /** Empties what `write` wrote, so that replaying from position 0 rebuilds it. */
  reset(ctx: ProjectionContext): void
}

/** The same on PostgreSQL: queries on the batch's client, inside its transaction. */
export interface PostgresTables<Row, Changes> {
  load(ctx: PgContext, executionIds: ReadonlyArray<string>): Promise<ReadonlyMap<string, Row>>
  write(ctx: PgContext, changes: Changes): Promise<void>
  reset(ctx: PgContext): Promise<void>
}

export interface Projection<T extends EventType = EventType, Row = unknown, Changes = unknown> {
  /** The checkpoint's key; never reused for a different read model. */
  readonly name: string
  /** Bump it when `fold` changes what it writes: the projection is then reset and rebuilt. */
  readonly version: number
  /** The event types `fold` is given; other events only move the checkpoint past them. */
  readonly canHandle: ReadonlyArray<T>
  /**
   * Folds a batch (events of `canHandle` types, by position, none applied before) over the rows
   * loaded for its executions into the changes to write. No I/O (the loaded rows are this batch's
   * own: `load` builds them per batch, so they may be updated in place); throw to reject the batch. It
   * must give the same result for one batch as for the same events split in several.
   *
   * Method syntax on purpose: it makes a `Projection<"ToolCompleted", R, C>` a `Projection` (of
   * every type), so projections of different types sit in one list; the applier upholds the narrowing.
   */
  fold(events: ReadonlyArray<StoredEvent<EventByType[T]>>, rows: ReadonlyMap<string, Row>): Changes
  readonly sqlite: SqliteTables<Row, Changes>
  readonly postgres: PostgresTables<Row, Changes>
}

const NO_ROWS: ReadonlyMap<string, never> = new Map<string, never>()

/** A projection that reads no rows (`load` gives an empty map without a query). */
export const noRows = {
  sqlite: (): ReadonlyMap<string, never> => NO_ROWS,
  postgres: (): Promise<ReadonlyMap<string, never>> => Promise.resolve(NO_ROWS)
}

/** The distinct execution ids of a batch, in order of first appearance. */
export const executionIdsOf = (events: ReadonlyArray<StoredEvent>): ReadonlyArray<string> => {
  const ids = new Set<string>()
  for (const e of events) ids.add(e.executionId)
  return [...ids]
}

/** Applies events to a projection on SQLite (synchronous, inside the caller's transaction). */
export const applySqlite = (projection: Projection, events: ReadonlyArray<StoredEvent>, ctx: ProjectionContext) => {
  const rows = projection.sqlite.load(ctx, executionIdsOf(events))
  projection.sqlite.write(ctx, projection.fold(events, rows))
}

/** Applies events to a projection on PostgreSQL (inside the caller's transaction). */
export const applyPostgres = async (projection: Projection, events: ReadonlyArray<StoredEvent>, ctx: PgContext) => {
  const rows = await projection.postgres.load(ctx, executionIdsOf(events))
  await projection.postgres.write(ctx, projection.fold(events, rows))
}

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>()

/** The context of a connection; statements are shared by every projection using it. */
export const contextOf = (db: BetterSqlite3.Database): ProjectionContext => {
  let cache = statements.get(db)
  if (cache === undefined) {
    cache = new Map()
    statements.set(db, cache)
  }
  const own = cache
  return {
    db,
    statement: <P extends Array<unknown>, R>(sql: string) => {
      let stmt = own.get(sql)
      if (stmt === undefined) {
        stmt = db.prepare(sql)
        own.set(sql, stmt)
      }
      return stmt as unknown as BetterSqlite3.Statement<P, R>
    }
  }
}

/** A projection, its handled types inferred from `canHandle` (`as const` not needed). */
export const defineProjection = <const T extends EventType, Row, Changes>(
  projection: Projection<T, Row, Changes>
): Projection<T, Row, Changes> => projection

/** Every event type, for projections that look at all of them (the domain's list). */
export const ALL_EVENT_TYPES: ReadonlyArray<EventType> = EventType.literals
