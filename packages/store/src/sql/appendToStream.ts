/**
 * Appending to one execution's stream with an optional expected version. Runs inside the
 * caller's BEGIN IMMEDIATE transaction, so the version read and the inserts see one state for
 * every process writing the file.
 *
 * The version is the number of events of the execution. It is remembered per connection with
 * the stream's last position; the head query reads that position (the max of the stream's ids,
 * a seek on idx_events_execution_id), and when it is unchanged the remembered version is still
 * right: ids only grow (AUTOINCREMENT) and events are deleted only with their whole execution.
 * Otherwise (first append, another writer appended) the stream is counted once.
 *
 * Drizzle's builder, prepared once (`drizzleOn`); rows through `.values()` (no generic mapping on
 * the append path). One `sql` template: the head's last position is
 * a correlated scalar subquery in the select list, which the builder cannot place there (a
 * `.as()` subquery is a FROM item); its columns are still the schema's.
 */
import type BetterSqlite3 from "better-sqlite3"
import { count, eq, max, sql } from "drizzle-orm"
import { executionEvents } from "../schema/executionEvents.js"
import { executions } from "../schema/executions.js"
import { drizzleOn } from "./drizzleOn.js"
import { type EncodedEvent, prepareInsertEventRow, runInsertEventRow } from "./EncodedEvent.js"

export type AppendOutcome =
  | { readonly _tag: "Appended"; readonly version: number; readonly positions: ReadonlyArray<number> }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "Conflict"; readonly actual: number }

type Execution = typeof executions.$inferSelect
/** [user_id, the stream's last position or null] */
type HeadRow = [Execution["userId"], number | null]

const NOT_FOUND: AppendOutcome = { _tag: "NotFound" }
const MAX_REMEMBERED = 10_000

export interface AppendToStream {
  /** Inside a write transaction: checks and inserts. */
  readonly append: (
    executionId: string,
    events: ReadonlyArray<EncodedEvent>,
    expectedVersion: number | undefined
  ) => AppendOutcome
  /** After the commit: remembers the stream's version at its last position. */
  readonly remember: (executionId: string, lastPosition: number, version: number) => void
}

export const prepareAppendToStream = (db: BetterSqlite3.Database): AppendToStream => {
  const d = drizzleOn(db)
  const lastId = d
    .select({ last: max(executionEvents.id) })
    .from(executionEvents)
    .where(eq(executionEvents.executionId, executions.id))
  const head = d
    .select({ userId: executions.userId, lastPosition: sql<number | null>`(${lastId})` })
    .from(executions)
    .where(eq(executions.id, sql.placeholder("executionId")))
    .prepare()
  const streamCount = d
    .select({ n: count() })
    .from(executionEvents)
    .where(eq(executionEvents.executionId, sql.placeholder("executionId")))
    .prepare()
  const insert = prepareInsertEventRow(d)
  const known = new Map<string, { readonly lastPosition: number; readonly version: number }>()

  const append = (
    executionId: string,
    events: ReadonlyArray<EncodedEvent>,
    expectedVersion: number | undefined
  ): AppendOutcome => {
    const row = head.values({ executionId })[0] as HeadRow | undefined
    if (row === undefined) return NOT_FOUND
    const [userId, lastPosition] = row
    let version = 0
    if (lastPosition !== null) {
      const k = known.get(executionId)
      version =
        k !== undefined && k.lastPosition === lastPosition
          ? k.version
          : ((streamCount.values({ executionId })[0]?.[0] as number | undefined) ?? 0)
    }
    if (expectedVersion !== undefined && expectedVersion !== version) return { _tag: "Conflict", actual: version }
    const positions = new Array<number>(events.length)
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!
      positions[i] = runInsertEventRow(insert, executionId, userId, e)
    }
    return { _tag: "Appended", version: version + events.length, positions }
  }

  const remember = (executionId: string, lastPosition: number, version: number) => {
    if (known.size >= MAX_REMEMBERED && !known.has(executionId)) known.clear()
    known.set(executionId, { lastPosition, version })
  }

  return { append, remember }
}
