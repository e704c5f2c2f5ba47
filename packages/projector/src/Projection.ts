/**
 * A projection definition, Emmett style: `{ name, version, canHandle, handle, reset }`, one
 * checkpoint row each in `projection_checkpoints`. A new projection is a new file under
 * `projections/` and one line in `projections/index.ts`.
 *
 * `handle` and `reset` run inside the projector's write transaction (`BEGIN IMMEDIATE`) on the
 * shared better-sqlite3 connection, so they are synchronous: they read and write through
 * `ctx.statement(sql)` (prepared once per connection) and signal failure by throwing. The
 * projector turns a throw into a typed error at its boundary: a storage failure fails the run;
 * anything else makes the event it happened on a poison event (see Projector.ts).
 */
import { EventType } from "@cratos/domain"
import type { StoredEvent } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"

export interface ProjectionContext {
  readonly db: BetterSqlite3.Database
  /** A prepared statement for `sql`, cached per connection. */
  readonly statement: <P extends Array<unknown> = Array<unknown>, R = unknown>(sql: string) => BetterSqlite3.Statement<P, R>
}

export interface Projection {
  /** The checkpoint's key; never reused for a different read model. */
  readonly name: string
  /** Bump it when `handle` changes what it writes: the projection is then reset and rebuilt. */
  readonly version: number
  /** The event types `handle` is given; other events only move the checkpoint past them. */
  readonly canHandle: ReadonlyArray<EventType>
  /**
   * Applies a batch: events of `canHandle` types, by position, none applied before. Aggregate in
   * memory and write once per touched row. Throw to reject the batch.
   */
  readonly handle: (events: ReadonlyArray<StoredEvent>, ctx: ProjectionContext) => void
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

/** Every event type, for projections that look at all of them (the domain's list). */
export const ALL_EVENT_TYPES: ReadonlyArray<EventType> = EventType.literals
