/**
 * The SQLite ReadModel's statements (issue 13): Drizzle's typed query builder over the store's
 * schema (`@cratos/store`'s `schema`), each prepared once per connection on first use
 * (`.prepare()`, every value a `sql.placeholder`), so a renamed column or table fails to compile.
 * The PostgreSQL read model says the same over the pg-core schema (`../postgres/PostgresReadModel.ts`).
 *
 * Rows of many columns are read with `.values()` (the driver's arrays) and named by our own
 * positional mapper (`rowOf`, ReadModelQueries.ts): drizzle's `.all()` maps every row through its generic mapper.
 *
 * `sql` fragments inside the builder, where it has no word, each with why:
 * - the instant key of `created_at` / `completed_at` (`instantKeySql`): SQLite uses the migrations'
 *   expression indexes only for the same expression;
 * - `rowid`, the tie-break of "newest first" (not a column of the schema);
 * - `LIKE … ESCAPE '\'`: the builder's `like` has no ESCAPE clause;
 * - window functions and `sum(success = 0)` for the per-tool percentiles (no window API);
 * - `json_extract(event_data, '$.message.thread_id')` and the constant `'MessageReceived'` of the
 *   rerun links: the partial index of migration 0009 is used only for that expression and a
 *   literal constant (a bound parameter cannot prove the index's WHERE);
 * - `substr(…)` of the ids' prefix and of the series' bucket; `coalesce(max(id), 0)`.
 */
import { instantKeySql, schema } from "@cratos/store"
import { drizzleOn } from "@cratos/store/sql"
import type BetterSqlite3 from "better-sqlite3"
import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, lte, ne, type SQL, sql } from "drizzle-orm"
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3"
import { alias } from "drizzle-orm/sqlite-core"
import { lagOf, type ProjectorStatus } from "../ProjectionLag.js"
import type { ProjectionInfo } from "../projections/index.js"
import type { ListQueryParts, RowValues } from "../ReadModelQueries.js"

const E = schema.executions
const S = schema.executionSummaries
const T = schema.toolCalls
const L = schema.executionEvents
const C = schema.projectionCheckpoints
const p = sql.placeholder

/** `instantKeySql` of a qualified column: the expression the migrations index. */
const keyOf = (table: string, column: string): SQL => sql.raw(instantKeySql(`"${table}"."${column}"`))
const CREATED_KEY = keyOf("executions", "created_at")
const COMPLETED_KEY = keyOf("tool_calls", "completed_at")
/** Executions created at the same instant: the later insert first. */
const ROWID = sql`${E}.rowid`

/** The columns of an ExecutionRow, in the order of `RowValues` (ReadModelQueries.ts). */
const ROW = {
  id: E.id,
  user_id: E.userId,
  channel: E.channel,
  status: E.status,
  created_at: E.createdAt,
  completed_at: E.completedAt,
  input_text: E.inputText,
  event_count: S.eventCount,
  goal: S.goal,
  step_count: S.stepCount,
  tools_used: S.toolsUsed,
  tool_calls: S.toolCalls,
  tool_failures: S.toolFailures,
  tool_time_ms: S.toolTimeMs,
  tokens_used: S.tokensUsed,
  model_used: S.modelUsed,
  approval_pending: S.approvalPending,
  error_count: S.errorCount,
  first_event_at: S.firstEventAt,
  last_event_at: S.lastEventAt
}

type Db = BetterSQLite3Database

/** A list's query for the filters that are set; placeholders `user`, `status`, `channel`, `since`, `until`, `search`, `limit`, `offset`. */
export const listQuery = (d: Db, set: ListQueryParts["set"]) =>
  d
    .select(ROW)
    .from(E)
    .leftJoin(S, eq(S.executionId, E.id))
    .where(
      and(
        set.user ? eq(E.userId, p("user")) : undefined,
        set.status ? eq(E.status, p("status")) : undefined,
        set.channel ? eq(E.channel, p("channel")) : undefined,
        set.since ? gte(CREATED_KEY, p("since")) : undefined,
        set.until ? lte(CREATED_KEY, p("until")) : undefined,
        // over masked text only (a row from before encryption, or written with it off, holds plaintext):
        // cratos_masked is the store's maskedText, registered on every connection; the plain LIKE
        // first keeps it to the candidates
        set.search
          ? sql`${E.inputText} LIKE ${p("search")} ESCAPE '\\' AND cratos_masked(${E.inputText}) LIKE ${p("search")} ESCAPE '\\'`
          : undefined,
        set.hasFailures ? and(eq(E.status, "completed"), gt(S.toolFailures, 0)) : undefined
      )
    )
    .orderBy(desc(CREATED_KEY), desc(ROWID))
    .limit(p("limit"))
    .offset(p("offset"))

/** The newest execution's id, of one user (placeholder `user`) or of all. */
export const latestIdQuery = (d: Db, byUser: boolean) =>
  d
    .select({ id: E.id })
    .from(E)
    .where(byUser ? eq(E.userId, p("user")) : undefined)
    .orderBy(desc(CREATED_KEY), desc(ROWID))
    .limit(1)

const getQuery = (d: Db) =>
  d
    .select(ROW)
    .from(E)
    .leftJoin(S, eq(S.executionId, E.id))
    .where(eq(E.id, p("id")))

const statusQuery = (d: Db, since: boolean, user: boolean) =>
  d
    .select({ status: E.status, n: count() })
    .from(E)
    .where(and(since ? gte(CREATED_KEY, p("since")) : undefined, user ? eq(E.userId, p("user")) : undefined))
    .groupBy(E.status)

/** Nearest-rank percentiles per tool, computed in SQL (memory bounded by the number of tools). */
const toolStatsQuery = (d: Db, since: boolean, user: boolean) => {
  const ranked = d.$with("ranked").as(
    d
      .select({
        tool: T.tool,
        success: T.success,
        duration_ms: T.durationMs,
        rn: sql<number>`row_number() OVER (PARTITION BY ${T.tool} ORDER BY ${T.durationMs})`.as("rn"),
        n: sql<number>`count(*) OVER (PARTITION BY ${T.tool})`.as("n")
      })
      .from(T)
      .where(
        and(
          since ? gte(COMPLETED_KEY, p("since")) : undefined,
          user
            ? inArray(
                T.executionId,
                d
                  .select({ id: E.id })
                  .from(E)
                  .where(eq(E.userId, p("user")))
              )
            : undefined
        )
      )
  )
  const calls = count()
  return d
    .with(ranked)
    .select({
      tool: ranked.tool,
      calls,
      failures: sql<number>`sum(${ranked.success} = 0)`,
      p50_ms: sql<number>`max(CASE WHEN ${ranked.rn} = (50 * ${ranked.n} + 99) / 100 THEN ${ranked.duration_ms} END)`,
      p95_ms: sql<number>`max(CASE WHEN ${ranked.rn} = (95 * ${ranked.n} + 99) / 100 THEN ${ranked.duration_ms} END)`
    })
    .from(ranked)
    .groupBy(ranked.tool)
    .orderBy(desc(calls), asc(ranked.tool))
}

const tokensQuery = (d: Db, since: boolean, user: boolean) => {
  const total = sql<number>`sum(${S.tokensUsed})`
  return d
    .select({ model: sql<string>`${S.modelUsed}`, tokens: total, executions: count() })
    .from(S)
    .innerJoin(E, eq(E.id, S.executionId))
    .where(
      and(
        isNotNull(S.modelUsed),
        since ? gte(CREATED_KEY, p("since")) : undefined,
        user ? eq(E.userId, p("user")) : undefined
      )
    )
    .groupBy(S.modelUsed)
    .orderBy(desc(total), asc(S.modelUsed))
}

/** Executions per UTC hour or day of their start (the bucket is the instant key's first characters) and status. */
const seriesQuery = (d: Db, hour: boolean, since: boolean, until: boolean, user: boolean) => {
  const bucket = hour
    ? sql<string>`substr(${E.createdAt}, 1, 10) || 'T' || substr(${E.createdAt}, 12, 2)`
    : sql<string>`substr(${E.createdAt}, 1, 10)`
  return d
    .select({ bucket: bucket.as("bucket"), status: E.status, n: count() })
    .from(E)
    .where(
      and(
        since ? gte(CREATED_KEY, p("since")) : undefined,
        until ? lte(CREATED_KEY, p("until")) : undefined,
        user ? eq(E.userId, p("user")) : undefined
      )
    )
    .groupBy(sql`1`, E.status)
    .orderBy(sql`1`)
}

const ev = alias(L, "ev")
const linked = alias(E, "linked")
const threadId = sql`json_extract(${ev.eventData}, '$.message.thread_id')`
const MESSAGE_RECEIVED = sql`'MessageReceived'`
const LINKED_ROW = { id: linked.id, user_id: linked.userId, status: linked.status, created_at: linked.createdAt }

/** The execution `id` re-ran: its MessageReceived's thread_id, when that names an execution (placeholder `id`). */
export const rerunOfQuery = (d: Db) =>
  d
    .select(LINKED_ROW)
    .from(ev)
    .innerJoin(linked, eq(linked.id, threadId))
    .where(and(eq(ev.executionId, p("id")), eq(ev.eventType, MESSAGE_RECEIVED), ne(linked.id, ev.executionId)))
    .limit(1)

/** The reruns of `id`, through the partial index on the same expression and constant (placeholder `id`). */
export const rerunsQuery = (d: Db) =>
  d
    .select(LINKED_ROW)
    .from(ev)
    .innerJoin(linked, eq(linked.id, ev.executionId))
    .where(and(eq(threadId, p("id")), eq(ev.eventType, MESSAGE_RECEIVED), ne(linked.id, p("id"))))
    .orderBy(asc(ev.id))

const idsByPrefixQuery = (d: Db) =>
  d
    .select({ id: E.id })
    .from(E)
    .where(eq(sql`substr(${E.id}, 1, ${p("length")})`, p("prefix")))
    .orderBy(asc(E.id))
    .limit(p("limit"))

const lastPositionQuery = (d: Db) => d.select({ n: sql<number>`coalesce(max(${L.id}), 0)` }).from(L)
const checkpointsQuery = (d: Db) =>
  d.select({ name: C.name, version: C.version, position: C.position }).from(C).orderBy(asc(C.name))

const lagByConnection = new WeakMap<BetterSqlite3.Database, (known: ReadonlyArray<ProjectionInfo>) => ProjectorStatus>()
const lagStatements = (db: BetterSqlite3.Database) => {
  let f = lagByConnection.get(db)
  if (f === undefined) {
    const d = drizzleOn(db)
    const last = lastPositionQuery(d).prepare()
    const rows = checkpointsQuery(d).prepare()
    f = (known) => lagOf(last.get()?.n ?? 0, rows.all(), known)
    lagByConnection.set(db, f)
  }
  return f
}

/** How far each of the `known` projections is behind the log (`ReadModel.status`, `Projector.lag`). */
export const readLag = (db: BetterSqlite3.Database, known: ReadonlyArray<ProjectionInfo>): ProjectorStatus =>
  lagStatements(db)(known)

/** A value computed on first use. */
const once = <A>(f: () => A): (() => A) => {
  let value: A | undefined
  return () => {
    if (value === undefined) value = f()
    return value
  }
}

/** One per combination of flags, prepared on first use. */
const byFlags = <K extends string, A>(f: (key: K) => A): ((key: K) => A) => {
  const cache = new Map<K, A>()
  return (key) => {
    let value = cache.get(key)
    if (value === undefined) {
      value = f(key)
      cache.set(key, value)
    }
    return value
  }
}

const flagsKey = (set: ListQueryParts["set"]): string =>
  `${+set.user}${+set.status}${+set.channel}${+set.since}${+set.until}${+set.search}${+set.hasFailures}`

export interface ToolStatsRow {
  readonly tool: string
  readonly calls: number
  readonly failures: number
  readonly p50_ms: number
  readonly p95_ms: number
}

/**
 * The statements of one connection, each prepared once on first use (a list's statement depends
 * on which filters are set: one per combination).
 */
export const prepareReadModelStatements = (db: BetterSqlite3.Database) => {
  const d = drizzleOn(db)
  const lists = new Map<string, ReturnType<ReturnType<typeof listQuery>["prepare"]>>()
  const get = once(() => getQuery(d).prepare())
  const latest = byFlags((byUser: "user" | "all") => latestIdQuery(d, byUser === "user").prepare())
  const stats = byFlags((key: `${0 | 1}${0 | 1}`) => {
    const since = key[0] === "1"
    const user = key[1] === "1"
    return {
      status: statusQuery(d, since, user).prepare(),
      tools: toolStatsQuery(d, since, user).prepare(),
      tokens: tokensQuery(d, since, user).prepare()
    }
  })
  const series = byFlags((key: `${"h" | "d"}${0 | 1}${0 | 1}${0 | 1}`) =>
    seriesQuery(d, key[0] === "h", key[1] === "1", key[2] === "1", key[3] === "1").prepare()
  )
  const rerunOf = once(() => rerunOfQuery(d).prepare())
  const reruns = once(() => rerunsQuery(d).prepare())
  const byPrefix = once(() => idsByPrefixQuery(d).prepare())
  const lag = lagStatements(db)
  return {
    list: (set: ListQueryParts["set"], values: Record<string, unknown>): Array<RowValues> => {
      const key = flagsKey(set)
      let stmt = lists.get(key)
      if (stmt === undefined) {
        stmt = listQuery(d, set).prepare()
        lists.set(key, stmt)
      }
      return stmt.values(values) as unknown as Array<RowValues>
    },
    get: (id: string): RowValues | undefined => (get().values({ id }) as unknown as Array<RowValues>)[0],
    latestId: (user: string | undefined): string | undefined =>
      ((user === undefined ? latest("all").values() : latest("user").values({ user })) as Array<[string]>)[0]?.[0],
    stats: (since: string | undefined, user: string | undefined) => {
      const chosen = stats(`${since === undefined ? 0 : 1}${user === undefined ? 0 : 1}`)
      const values = { since, user }
      return {
        status: chosen.status.all(values),
        tools: chosen.tools.all(values) as Array<ToolStatsRow>,
        tokens: chosen.tokens.all(values)
      }
    },
    series: (hour: boolean, since: string | undefined, until: string | undefined, user: string | undefined) =>
      series(
        `${hour ? "h" : "d"}${since === undefined ? 0 : 1}${until === undefined ? 0 : 1}${user === undefined ? 0 : 1}`
      ).all({ since, until, user }),
    rerunOf: (id: string) => rerunOf().get({ id }),
    reruns: (id: string) => reruns().all({ id }),
    idsStartingWith: (prefix: string, limit: number): Array<string> =>
      (byPrefix().values({ length: prefix.length, prefix, limit }) as Array<[string]>).map((r) => r[0]),
    lag: (known: ReadonlyArray<ProjectionInfo>): ProjectorStatus => lag(known)
  }
}

export type ReadModelStatements = ReturnType<typeof prepareReadModelStatements>
