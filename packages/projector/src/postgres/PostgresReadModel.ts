/**
 * The ReadModel on PostgreSQL: the same service and answers as on SQLite (ReadModel.ts), its
 * queries built with Drizzle's typed query builder over the pg-core schema (`@cratos/store`'s
 * `pgSchema`) and prepared by name (`.prepare(name)`: node-postgres prepares each once per
 * connection; values are placeholders). A renamed column fails to compile.
 *
 * A list's statement depends on which filters are set (one per combination, named by it). The
 * reads of ExecutionRows (`list`, `get`) are built the same way and run by node-postgres as named
 * statements in array mode (the store's `statements.arrayRead`, as its stream and log reads), named
 * by our positional mapper (`rowOf`): drizzle's `.execute()` maps every row of 20 columns through
 * its generic mapper (bench/drizzlePath.ts, rows RM). Where
 * the builder cannot say it, a `sql` fragment inside the builder, each with why:
 * - the instant key of `created_at` (`instantKeyPgSql`, the expression the migration indexes:
 *   the index is used only for the same expression);
 * - window functions and `CASE` for the per-tool percentiles and failures (the builder has no window API);
 * - `sum(...)` of a bigint, read back as a number.
 *
 * Differences from SQLite, both on ties and case only: executions created at the same instant
 * are ordered by id (PostgreSQL has no rowid, SQLite orders them by insertion); `search` is
 * ILIKE (case-insensitive for every letter; SQLite's LIKE folds ASCII only).
 *
 * `search` matches masked text only, as on SQLite: the stored text's ILIKE pre-filters, the store's
 * `maskedText` decides in JavaScript, rows read in keyset chunks until the page is full
 * (MaskedSearchPage.ts).
 */
import { ExecutionNotFound, type PostgresDatabaseShape, type StorageError } from "@cratos/store"
import { instantKeyPgSql, PostgresDatabase, pgSchema, pgStorageError, statements } from "@cratos/store/postgres"
import { and, asc, count, desc, eq, gt, gte, ilike, inArray, isNotNull, lte, type SQL, sql } from "drizzle-orm"
import { drizzle } from "drizzle-orm/node-postgres"
import { Effect } from "effect"
import { lagOf } from "../ProjectionLag.js"
import { chunkSize, matchesMasked, pageOfMatches } from "./MaskedSearchPage.js"
import { type ProjectionInfo, projectionCatalog } from "../projections/index.js"
import {
  boundKey,
  escapeLike,
  type ListQueryParts,
  listQueryParts,
  readModelSpan,
  type RowValues,
  rowOf,
  STATUSES
} from "../ReadModelQueries.js"
import type { ReadModelShape } from "../ReadModelShape.js"
import { foldStatusSeries } from "../StatusSeries.js"
import type { ExecutionStatus } from "@cratos/domain"

const E = pgSchema.executions
const S = pgSchema.executionSummaries
const T = pgSchema.toolCalls
const L = pgSchema.executionEvents
const C = pgSchema.projectionCheckpoints

/** `instantKeyPgSql` of a column, as the migration's index has it. */
const keyOf = (table: string, column: string): SQL => sql.raw(instantKeyPgSql(`"${table}"."${column}"`))
const CREATED_KEY = keyOf("executions", "created_at")
const COMPLETED_KEY = keyOf("tool_calls", "completed_at")

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
/** How many columns ROW has (a search row's instant key follows them). */
const ROW_COLUMNS = Object.keys(ROW).length

export interface PostgresReadModelOptions {
  readonly projections?: ReadonlyArray<ProjectionInfo>
}

export const fromPool = (database: PostgresDatabaseShape, options: PostgresReadModelOptions = {}): ReadModelShape => {
  const { pool, location } = database
  const known = options.projections ?? projectionCatalog
  const db = drizzle({ client: pool })
  const run = <A>(operation: string, f: () => Promise<A>): Effect.Effect<A, StorageError> =>
    Effect.tryPromise({ try: f, catch: (e) => pgStorageError(operation, location, e) })

  const placeholder = (name: string) => sql.placeholder(name)

  /** Array-mode rows, read as `RowValues`. */
  type Values = Array<unknown>
  type ListStatement = (values: Record<string, unknown>) => Promise<Array<RowValues>>
  const listStatements = new Map<string, ListStatement>()
  const whereOf = (set: ListQueryParts["set"]): Array<SQL | undefined> => {
    const where: Array<SQL | undefined> = []
    if (set.user) where.push(eq(E.userId, placeholder("user")))
    if (set.status) where.push(eq(E.status, placeholder("status")))
    if (set.channel) where.push(eq(E.channel, placeholder("channel")))
    if (set.since) where.push(gte(CREATED_KEY, placeholder("since")))
    if (set.until) where.push(lte(CREATED_KEY, placeholder("until")))
    // With a search, the stored text's ILIKE is the pre-filter of MaskedSearchPage.ts.
    if (set.search) where.push(ilike(E.inputText, placeholder("search")))
    if (set.hasFailures) where.push(and(eq(E.status, "completed"), gt(S.toolFailures, 0)))
    return where
  }
  const setKey = (set: ListQueryParts["set"]) =>
    Object.entries(set)
      .map(([k, v]) => (v ? k : ""))
      .join(",")
  const listStatement = (set: ListQueryParts["set"]): ListStatement => {
    const key = setKey(set)
    let stmt = listStatements.get(key)
    if (stmt === undefined) {
      stmt = statements.arrayRead<Values>(
        pool,
        `cratos_rm_list_${listStatements.size}`,
        db
          .select(ROW)
          .from(E)
          .leftJoin(S, eq(S.executionId, E.id))
          .where(and(...whereOf(set)))
          .orderBy(desc(CREATED_KEY), desc(E.id))
          .limit(placeholder("limit"))
          .offset(placeholder("offset"))
      ) as unknown as ListStatement
      listStatements.set(key, stmt)
    }
    return stmt
  }

  /**
   * A search's chunks (MaskedSearchPage.ts): the list's rows with their instant key last, `limit`
   * at a time, after the row (`afterKey`, `afterId`) when `keyset`. The row comparison is a `sql`
   * fragment (the builder has none); it follows the list's order, key then id, both descending.
   */
  type SearchRow = readonly [...RowValues, string]
  type SearchStatement = (values: Record<string, unknown>) => Promise<Array<SearchRow>>
  const searchStatements = new Map<string, SearchStatement>()
  const searchStatement = (set: ListQueryParts["set"], keyset: boolean): SearchStatement => {
    const key = `${setKey(set)}|${keyset}`
    let stmt = searchStatements.get(key)
    if (stmt === undefined) {
      const where = whereOf(set)
      if (keyset) where.push(sql`(${CREATED_KEY}, ${E.id}) < (${placeholder("afterKey")}, ${placeholder("afterId")})`)
      stmt = statements.arrayRead<Values>(
        pool,
        `cratos_rm_search_${searchStatements.size}`,
        db
          .select({ ...ROW, created_key: sql<string>`${CREATED_KEY}` })
          .from(E)
          .leftJoin(S, eq(S.executionId, E.id))
          .where(and(...where))
          .orderBy(desc(CREATED_KEY), desc(E.id))
          .limit(placeholder("limit"))
      ) as unknown as SearchStatement
      searchStatements.set(key, stmt)
    }
    return stmt
  }
  const searchPage = async (parts: ListQueryParts, search: string): Promise<Array<SearchRow>> => {
    const { set, values } = parts
    const first = searchStatement(set, false)
    const next = searchStatement(set, true)
    const masked = matchesMasked(search)
    return pageOfMatches<SearchRow>({
      limit: values.limit,
      offset: values.offset,
      chunk: chunkSize(values.limit, values.offset),
      fetch: (after, size) =>
        after === undefined
          ? first({ ...values, limit: size })
          : next({ ...values, limit: size, afterKey: after[ROW_COLUMNS], afterId: after[0] }),
      matches: (row) => masked(row[6])
    })
  }

  const getStatement = statements.arrayRead<Values>(
    pool,
    "cratos_rm_get",
    db
      .select(ROW)
      .from(E)
      .leftJoin(S, eq(S.executionId, E.id))
      .where(eq(E.id, placeholder("id")))
  ) as unknown as ListStatement

  const latestAll = db
    .select({ id: E.id })
    .from(E)
    .orderBy(desc(CREATED_KEY), desc(E.id))
    .limit(1)
    .prepare("cratos_rm_latest")
  const latestOfUser = db
    .select({ id: E.id })
    .from(E)
    .where(eq(E.userId, placeholder("user")))
    .orderBy(desc(CREATED_KEY), desc(E.id))
    .limit(1)
    .prepare("cratos_rm_latest_user")

  /** The statements' names: `since` and `user` filters each when asked. */
  const named = (base: string, since: boolean, user: boolean) => `${base}${since ? "_since" : ""}${user ? "_user" : ""}`
  const statusCounts = (since: boolean, user: boolean) =>
    db
      .select({ status: E.status, n: count() })
      .from(E)
      .where(
        and(
          since ? gte(CREATED_KEY, placeholder("since")) : undefined,
          user ? eq(E.userId, placeholder("user")) : undefined
        )
      )
      .groupBy(E.status)
      .prepare(named("cratos_rm_status", since, user))

  const toolStats = (since: boolean, user: boolean) => {
    const ranked = db.$with("ranked").as(
      db
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
            since ? gte(COMPLETED_KEY, placeholder("since")) : undefined,
            user
              ? inArray(
                  T.executionId,
                  db
                    .select({ id: E.id })
                    .from(E)
                    .where(eq(E.userId, placeholder("user")))
                )
              : undefined
          )
        )
    )
    const calls = count()
    return db
      .with(ranked)
      .select({
        tool: ranked.tool,
        calls,
        failures: sql<number>`count(CASE WHEN ${ranked.success} = 0 THEN 1 END)`.mapWith(Number),
        p50_ms:
          sql<number>`max(CASE WHEN ${ranked.rn} = (50 * ${ranked.n} + 99) / 100 THEN ${ranked.duration_ms} END)`.mapWith(
            Number
          ),
        p95_ms:
          sql<number>`max(CASE WHEN ${ranked.rn} = (95 * ${ranked.n} + 99) / 100 THEN ${ranked.duration_ms} END)`.mapWith(
            Number
          )
      })
      .from(ranked)
      .groupBy(ranked.tool)
      .orderBy(desc(calls), asc(ranked.tool))
      .prepare(named("cratos_rm_tools", since, user))
  }

  const tokens = (since: boolean, user: boolean) => {
    const total = sql<number>`sum(${S.tokensUsed})`.mapWith(Number)
    return db
      .select({ model: sql<string>`${S.modelUsed}`, tokens: total, executions: count() })
      .from(S)
      .innerJoin(E, eq(E.id, S.executionId))
      .where(
        and(
          isNotNull(S.modelUsed),
          since ? gte(CREATED_KEY, placeholder("since")) : undefined,
          user ? eq(E.userId, placeholder("user")) : undefined
        )
      )
      .groupBy(S.modelUsed)
      .orderBy(desc(total), asc(S.modelUsed))
      .prepare(named("cratos_rm_tokens", since, user))
  }
  const statsSet = (since: boolean, user: boolean) => ({
    status: statusCounts(since, user),
    tools: toolStats(since, user),
    tokens: tokens(since, user)
  })
  const statsStatements = {
    all: statsSet(false, false),
    since: statsSet(true, false),
    user: statsSet(false, true),
    sinceUser: statsSet(true, true)
  }

  const lastPosition = db
    .select({ n: sql<number>`COALESCE(max(${L.id}), 0)`.mapWith(Number) })
    .from(L)
    .prepare("cratos_rm_last_position")
  const checkpoints = db
    .select({ name: C.name, version: C.version, position: C.position })
    .from(C)
    .orderBy(asc(C.name))
    .prepare("cratos_rm_checkpoints")

  const list: ReadModelShape["list"] = (filter = {}) =>
    Effect.flatMap(listQueryParts(filter), (parts) =>
      run("ReadModel.list", async () =>
        parts.set.search && filter.search !== undefined
          ? (await searchPage(parts, filter.search)).map((r) => rowOf(r as unknown as RowValues))
          : (await listStatement(parts.set)(parts.values)).map(rowOf)
      )
    ).pipe(readModelSpan("ReadModel.list"))

  const get: ReadModelShape["get"] = (id) =>
    run("ReadModel.get", () => getStatement({ id })).pipe(
      Effect.flatMap(([row]) =>
        row === undefined ? Effect.fail(new ExecutionNotFound({ executionId: id })) : Effect.succeed(rowOf(row))
      ),
      readModelSpan("ReadModel.get", { id })
    )

  const latestId: ReadModelShape["latestId"] = (user) =>
    run("ReadModel.latestId", async () => {
      const rows = user === undefined ? await latestAll.execute() : await latestOfUser.execute({ user })
      return rows[0]?.id ?? null
    }).pipe(readModelSpan("ReadModel.latestId"))

  const stats: ReadModelShape["stats"] = (opts = {}) =>
    Effect.gen(function* () {
      const since = opts.since === undefined ? undefined : yield* boundKey("since", opts.since)
      const user = opts.user
      const chosen =
        since === undefined
          ? user === undefined
            ? statsStatements.all
            : statsStatements.user
          : user === undefined
            ? statsStatements.since
            : statsStatements.sinceUser
      const values = { ...(since === undefined ? {} : { since }), ...(user === undefined ? {} : { user }) }
      return yield* run("ReadModel.stats", async () => {
        const byStatus: Record<ExecutionStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0 }
        for (const r of await chosen.status.execute(values)) {
          if ((STATUSES as ReadonlyArray<string>).includes(r.status)) byStatus[r.status as ExecutionStatus] = r.n
        }
        const tools = await chosen.tools.execute(values)
        const tokensByModel = await chosen.tokens.execute(values)
        return { executions_by_status: byStatus, tools, tokens_by_model: tokensByModel }
      })
    }).pipe(readModelSpan("ReadModel.stats"))

  const byPrefix = db
    .select({ id: E.id })
    .from(E)
    .where(eq(sql`left(${E.id}, ${placeholder("length")})`, placeholder("prefix")))
    .orderBy(asc(E.id))
    .limit(placeholder("limit"))
    .prepare("cratos_rm_ids_by_prefix")
  const idsStartingWith: ReadModelShape["idsStartingWith"] = (prefix, limit) =>
    run("ReadModel.idsStartingWith", async () =>
      (await byPrefix.execute({ length: prefix.length, prefix, limit })).map((r) => r.id)
    )

  /** Status series (see ../StatusSeries.ts): one prepared statement per bucket and bounds. */
  const seriesStatements = new Map<string, ReturnType<typeof seriesStatement>>()
  const seriesStatement = (hour: boolean, since: boolean, until: boolean, user: boolean) => {
    const bucket = hour
      ? sql<string>`substr(${E.createdAt}, 1, 10) || 'T' || substr(${E.createdAt}, 12, 2)`
      : sql<string>`substr(${E.createdAt}, 1, 10)`
    return db
      .select({ bucket: bucket.as("bucket"), status: E.status, n: count() })
      .from(E)
      .where(
        and(
          since ? gte(CREATED_KEY, placeholder("since")) : undefined,
          until ? lte(CREATED_KEY, placeholder("until")) : undefined,
          user ? eq(E.userId, placeholder("user")) : undefined
        )
      )
      .groupBy(sql`1`, E.status)
      .orderBy(sql`1`)
      .prepare(`cratos_rm_series_${hour ? "h" : "d"}${since ? "s" : ""}${until ? "u" : ""}${user ? "r" : ""}`)
  }
  const statusSeries: ReadModelShape["statusSeries"] = (opts) =>
    Effect.gen(function* () {
      const since = opts.since === undefined ? undefined : yield* boundKey("since", opts.since)
      const until = opts.until === undefined ? undefined : yield* boundKey("until", opts.until)
      const user = opts.user
      const name = `${opts.bucket}${since === undefined ? "" : "s"}${until === undefined ? "" : "u"}${user === undefined ? "" : "r"}`
      let statement = seriesStatements.get(name)
      if (statement === undefined) {
        statement = seriesStatement(
          opts.bucket === "hour",
          since !== undefined,
          until !== undefined,
          user !== undefined
        )
        seriesStatements.set(name, statement)
      }
      const prepared = statement
      const values = {
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(user === undefined ? {} : { user })
      }
      return yield* run("ReadModel.statusSeries", async () =>
        foldStatusSeries(opts.bucket, await prepared.execute(values))
      )
    }).pipe(readModelSpan("ReadModel.statusSeries"))

  /** See ../RerunLinks.ts: `thread_id` read from the stored text (not a sealed field). */
  const threadId = sql`(${pgSchema.executionEvents.eventData}::json -> 'message' ->> 'thread_id')`
  const rerunLinks: ReadModelShape["rerunLinks"] = (id) =>
    run("ReadModel.rerunLinks", async () => {
      const ev = pgSchema.executionEvents
      const rerunOf = await db
        .select({ id: E.id, user_id: E.userId, status: E.status, created_at: E.createdAt })
        .from(ev)
        .innerJoin(E, eq(E.id, threadId))
        .where(and(eq(ev.executionId, id), eq(ev.eventType, "MessageReceived"), sql`${E.id} <> ${ev.executionId}`))
        .limit(1)
      const reruns = await db
        .select({ id: E.id, user_id: E.userId, status: E.status, created_at: E.createdAt })
        .from(ev)
        .innerJoin(E, eq(E.id, ev.executionId))
        .where(and(eq(threadId, id), eq(ev.eventType, "MessageReceived"), sql`${E.id} <> ${id}`))
        .orderBy(asc(ev.id))
      return { rerunOf: rerunOf[0] ?? null, reruns }
    })

  const status: ReadModelShape["status"] = () =>
    run("ReadModel.status", async () => {
      const [last] = await lastPosition.execute()
      return lagOf(last?.n ?? 0, await checkpoints.execute(), known)
    }).pipe(readModelSpan("ReadModel.status"))

  return { list, get, latestId, stats, statusSeries, status, idsStartingWith, rerunLinks }
}

/** The service on the store's PostgreSQL pool. */
export const make: Effect.Effect<ReadModelShape, never, PostgresDatabase> = Effect.map(PostgresDatabase, (database) =>
  fromPool(database)
)

export { escapeLike }
