/**
 * A projection definition, Emmett style: `{ name, version, canHandle, handle, reset }`, one
 * checkpoint row each in `projection_checkpoints`. A new projection is a new file under
 * `projections/` (`defineProjection({ … })`) and one line in `projections/index.ts`.
 *
 * `Projection<T>` is generic over the event types it handles, as Emmett's `CanHandle`: `handle`
 * receives only `StoredEvent`s of those types (`canHandle: ["ToolCompleted"]` gives handlers a
 * `ToolCompleted` without a check of `event.type`); the batch applier filters by `canHandle`.
 *
 * `handle` and `reset` run inside the projector's write transaction (`BEGIN IMMEDIATE`) on the
 * shared better-sqlite3 connection, so they are synchronous: they read and write through
 * `ctx.statement(sql)` (prepared once per connection) and signal failure by throwing. The
 * projector turns a throw into a typed error at its boundary: a storage failure fails the run;
 * anything else makes the event it happened on a poison event (see Projector.ts).
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

/** Each event type's event (an indexed access, so `Projection<T>` is covariant in `T`). */
type EventByType = { readonly [K in EventType]: EventOf<K> }

export interface Projection<T extends EventType = EventType> {
  /** The checkpoint's key; never reused for a different read model. */
  readonly name: string
  /** Bump it when `handle` changes what it writes: the projection is then reset and rebuilt. */
  readonly version: number
  /** The event types `handle` is given; other events only move the checkpoint past them. */
  readonly canHandle: ReadonlyArray<T>
  /**
   * Applies a batch: events of `canHandle` types, by position, none applied before. Aggregate in
   * memory and write once per touched row. Throw to reject the batch.
   *
   * Method syntax on purpose: it makes a `Projection<"ToolCompleted">` a `Projection` (of every
   * type), so projections of different types sit in one list; the applier upholds the narrowing.
   */
  handle(events: ReadonlyArray<StoredEvent<EventByType[T]>>, ctx: ProjectionContext): void
  /** Empties what `handle` wrote, so that replaying from position 0 rebuilds it. */
  readonly reset: (ctx: ProjectionContext) => void
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
export const defineProjection = <const T extends EventType>(projection: Projection<T>): Projection<T> => projection

/** Every event type, for projections that look at all of them (the domain's list). */
export const ALL_EVENT_TYPES: ReadonlyArray<EventType> = EventType.literals
