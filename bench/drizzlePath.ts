/**
 * The store's Drizzle path against the raw driver, in the same run, on both dialects (issue 13:
 * target ≥ 0.9 of raw). Each row runs one of the store's own operations as the store runs it
 * (Drizzle's typed builder, prepared once: `@cratos/store/sql`, `@cratos/store/postgres`
 * `statements`) and the same statement as hand-written SQL on the raw driver (the store's code
 * before it went through Drizzle: better-sqlite3 `prepare().raw()`, node-postgres named configs).
 *
 * SQLite (a file, migrated by the store's Database layer, WAL, synchronous=NORMAL):
 *   A: append one event to each execution in its own BEGIN IMMEDIATE transaction (the head query,
 *      the version check, the insert: `appendToStream`), every execution once per run;
 *   R: one execution's stream (`readStream`), every execution;
 *   L: the whole log in pages of 1000 (`readLogPage`), every row;
 *   K: an idempotency key's record (`findIdempotencyKey`: `.get()` mapped to an object), every key.
 * PostgreSQL (a throwaway cluster, fsync on, synchronous_commit=off; one pooled connection, both sides):
 *   A: `cratos_append` of one event (one round trip), every execution;
 *   R: one execution's stream, every execution;
 *   L: the whole log in pages of 1000.
 *
 * The ReadModel (`--part read-model`, `rm` executions with their summaries, 200 users): each
 * row's raw side returns the same ExecutionRow objects the app gets (the driver's arrays named by
 * the same `rowOf`), so only the way to the rows differs.
 * SQLite (the raw side is the read model's hand-written SQL before it went through Drizzle,
 * better-sqlite3 `.raw()`):
 *   RM list(), list({ user }), get(id): the statement (`prepareReadModelStatements`: Drizzle's
 *   builder, `.prepare()`, `.values()`) + `rowOf`; and the service (`ReadModel.fromConnection`,
 *   `Effect.runSync`: the filter's validation, the Effect, the span) against the same service
 *   over the raw statements (`ReadModel.fromStatements`).
 * PostgreSQL (same pool, one connection, for both sides; the raw side is hand-written SQL as a
 *   named statement in array mode, rows through `rowOf`): RM list(), list({ user }), get(id) through
 *   the service (`ReadModel.layerPostgres`, `runPromise`) against the raw statement run the way the
 *   service runs one (an Effect per call in the same runtime: `runPromise`, `tryPromise`, a span),
 *   and against a bare `await` of the raw statement (what Effect's per-call scheduling costs too).
 *
 * Rows are calls/s (L: rows/s), median of `runs` [min–max], drizzle/raw of the medians, the
 * median of each run's drizzle/raw (the two sides of a run ran back to back, so this one is less
 * moved by the machine's load changing between runs), and the median of each run's drizzle/raw
 * per CPU second of this process (`process.cpuUsage`: on a shared machine the time waiting for a
 * core is not counted; on PostgreSQL the server's CPU is not counted either). Raw and drizzle
 * take turns first.
 *
 *   pnpm tsx bench/drizzlePath.ts [executions=300] [runs=5] [--only sqlite|postgres]
 *     [--part store|read-model] [--rm 2000]
 *
 * Reported, never asserted.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import {
  prepareReadModelStatements,
  ReadModel,
  type ReadModelStatements,
  type RowValues,
  rowOf
} from "@cratos/projector"
import { EventStore, instantKeySql } from "@cratos/store"
import { readModelSpan } from "../packages/projector/src/ReadModelQueries.js"
import { listQuery } from "../packages/projector/src/sql/readModelStatements.js"
import { instantKeyPgSql, PostgresDatabase, statements } from "@cratos/store/postgres"
import {
  drizzleOn,
  prepareAppendToStream,
  prepareFindIdempotencyKey,
  prepareReadLogPage,
  prepareReadStream
} from "@cratos/store/sql"
import type BetterSqlite3 from "better-sqlite3"
import { drizzle } from "drizzle-orm/node-postgres"
import { Effect, Layer, ManagedRuntime } from "effect"
import pg from "pg"
import { chunk, execution } from "./fixtures.js"
import { freshPath, openRaw, removeDb } from "./lib/db.js"
import { startCluster, stopCluster } from "./lib/postgresCluster.js"
import { appendParams, startExecutionParams } from "./workloads/postgresAppend.js"
import * as Raw from "./workloads/postgresRawSql.js"

const args = process.argv.slice(2)
const option = (name: string) => {
  const at = args.indexOf(name)
  return at === -1 ? undefined : args[at + 1]
}
const only = option("--only")
const part = option("--part")
const rmExecutions = Number(option("--rm") ?? 2000)
const positional = args.filter((a, i) => !a.startsWith("--") && !(args[i - 1] ?? "").startsWith("--"))
const executions = Number(positional[0] ?? 300)
const runs = Number(positional[1] ?? 5)
const xs = chunk(0, executions)
const PAGE = 1000

const median = (v: ReadonlyArray<number>) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
const fmt = (v: ReadonlyArray<number>) =>
  `${Math.round(median(v)).toLocaleString("en")} [${Math.round(Math.min(...v)).toLocaleString("en")}–${Math.round(Math.max(...v)).toLocaleString("en")}]`
const lines: Array<string> = []
interface Rate {
  /** calls per wall second */
  readonly wall: number
  /** calls per CPU second of this process (user + system) */
  readonly cpu: number
}
const report = (what: string, drizzle: Array<Rate>, raw: Array<Rate>) => {
  const d = drizzle.map((r) => r.wall)
  const r = raw.map((x) => x.wall)
  const pairs = d.map((x, i) => x / r[i]!)
  const cpuPairs = drizzle.map((x, i) => x.cpu / raw[i]!.cpu)
  const line = `${what.padEnd(52)} ${fmt(d).padEnd(28)} ${fmt(r).padEnd(28)} ${(median(d) / median(r)).toFixed(2).padEnd(11)} ${median(pairs).toFixed(2).padEnd(8)} ${median(cpuPairs).toFixed(2)}`
  lines.push(line)
  process.stderr.write(`${line}\n`)
}
const rate = async (calls: number, f: () => Promise<unknown> | unknown): Promise<Rate> => {
  const c = process.cpuUsage()
  const t = performance.now()
  await f()
  const wall = (performance.now() - t) / 1000
  const used = process.cpuUsage(c)
  return { wall: calls / wall, cpu: calls / ((used.user + used.system) / 1e6) }
}
/** `runs` pairs, alternating which side runs first; each side's `calls` per run. */
const pair = async (
  what: string,
  calls: () => number,
  drizzleSide: () => Promise<unknown> | unknown,
  rawSide: () => Promise<unknown> | unknown
) => {
  const d: Array<Rate> = []
  const r: Array<Rate> = []
  await drizzleSide() // warm both, untimed
  await rawSide()
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      r.push(await rate(calls(), rawSide))
      d.push(await rate(calls(), drizzleSide))
    } else {
      d.push(await rate(calls(), drizzleSide))
      r.push(await rate(calls(), rawSide))
    }
  }
  report(what, d, r)
}

// ---- SQLite: the store's code before Drizzle, as the raw side ----------------------------------

const rawAppendToStream = (db: BetterSqlite3.Database) => {
  const head = db
    .prepare<[string], [string, number | null]>(
      `SELECT e.user_id, (SELECT max(id) FROM execution_events WHERE execution_id = e.id) FROM executions e WHERE e.id = ?`
    )
    .raw(true)
  const count = db.prepare<[string], number>(`SELECT count(*) FROM execution_events WHERE execution_id = ?`).pluck(true)
  const insert = db.prepare<[string, string, string, string, string]>(
    `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)`
  )
  const known = new Map<string, { lastPosition: number; version: number }>()
  return (executionId: string, eventType: string, eventData: string, timestamp: string) => {
    const row = head.get(executionId)
    if (row === undefined) throw new Error("not found")
    const [userId, lastPosition] = row
    const k = known.get(executionId)
    const version =
      lastPosition === null
        ? 0
        : k !== undefined && k.lastPosition === lastPosition
          ? k.version
          : (count.get(executionId) ?? 0)
    const position = Number(insert.run(executionId, userId, eventType, eventData, timestamp).lastInsertRowid)
    known.set(executionId, { lastPosition: position, version: version + 1 })
  }
}

const sqlite = async () => {
  const file = freshPath("drizzle")
  const { db, close } = await openRaw(file)
  const insertExecution = db.prepare(
    "INSERT INTO executions (id, user_id, channel, input_text, created_at) VALUES (?, ?, 'cli', 'x', ?)"
  )
  const insertEvent = db.prepare(
    "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)"
  )
  const insertKey = db.prepare(
    "INSERT INTO idempotency_keys (key, execution_id, request_hash, version, first_position, last_position, created_at) VALUES (?, ?, 'h', 1, 1, 1, 'x')"
  )
  db.transaction(() => {
    for (const x of xs) {
      insertExecution.run(x.id, x.first.message.user_id, x.first.timestamp)
      for (const ev of x.events)
        insertEvent.run(x.id, x.first.message.user_id, ev.type, JSON.stringify(ev), ev.timestamp)
      insertKey.run(`key-${x.id}`, x.id)
    }
  })()
  const data = xs.map((x) => JSON.stringify(x.events[9]))

  const appendD = prepareAppendToStream(db)
  const appendRaw = rawAppendToStream(db)
  const txD = db.transaction((i: number) => {
    const x = xs[i]!
    const out = appendD.append(
      x.id,
      [{ eventType: "ToolInvoked", eventData: data[i]!, timestamp: x.events[9]!.timestamp }],
      undefined
    )
    if (out._tag === "Appended") appendD.remember(x.id, out.positions[0]!, out.version)
  })
  const txRaw = db.transaction((i: number) => {
    const x = xs[i]!
    appendRaw(x.id, "ToolInvoked", data[i]!, x.events[9]!.timestamp)
  })
  await pair(
    "SQLite A: append one event (BEGIN IMMEDIATE … COMMIT)",
    () => executions,
    () => {
      for (let i = 0; i < xs.length; i++) txD.immediate(i)
    },
    () => {
      for (let i = 0; i < xs.length; i++) txRaw.immediate(i)
    }
  )

  const readD = prepareReadStream(db)
  const readRaw = db
    .prepare<[string], [number, string, string]>(
      `SELECT id, user_id, event_data FROM execution_events WHERE execution_id = ? ORDER BY id`
    )
    .raw(true)
  await pair(
    "SQLite R: read one stream",
    () => executions,
    () => {
      for (const x of xs) readD(x.id)
    },
    () => {
      for (const x of xs) readRaw.all(x.id)
    }
  )

  const pageD = prepareReadLogPage(db)
  const pageRaw = db
    .prepare<[number, number], [number, string, string, string]>(
      `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE id > ? ORDER BY id LIMIT ?`
    )
    .raw(true)
  const total = () => (db.prepare("SELECT count(*) FROM execution_events").pluck().get() as number) ?? 0
  const whole = (page: (after: number, limit: number) => ReadonlyArray<readonly [number, ...Array<unknown>]>) => {
    let after = 0
    for (;;) {
      const rows = page(after, PAGE)
      if (rows.length < PAGE) return
      after = rows[rows.length - 1]![0]
    }
  }
  await pair(
    "SQLite L: the log in pages of 1000 (rows/s)",
    total,
    () => whole(pageD),
    () => whole((after, limit) => pageRaw.all(after, limit))
  )

  const keyD = prepareFindIdempotencyKey(db)
  const keyRaw = db.prepare<[string], unknown>(
    `SELECT execution_id AS executionId, request_hash AS requestHash, version, first_position AS firstPosition, last_position AS lastPosition FROM idempotency_keys WHERE key = ?`
  )
  const keys = xs.map((x) => `key-${x.id}`)
  await pair(
    "SQLite K: an idempotency key's record (an object)",
    () => executions,
    () => {
      for (const k of keys) keyD(k)
    },
    () => {
      for (const k of keys) keyRaw.get(k)
    }
  )
  await close()
  removeDb(file)
}

// ---- PostgreSQL --------------------------------------------------------------------------------

const postgres = async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-drizzle-"))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, { durable: true, synchronousCommit: "off" })
  try {
    // Migrated by the store itself (tables, triggers, the append functions).
    await Effect.runPromise(Effect.scoped(Layer.build(EventStore.layerPostgres({ url: cluster.url }))))
    const rawPool = new pg.Pool({ connectionString: cluster.url, max: 1 })
    // One connection for both sides: the same server backend answers both (two backends were
    // scheduled differently enough on the shared machine to move a row by ±30%).
    const drizzlePool = rawPool
    const Q = statements.preparePoolStatements(drizzle({ client: drizzlePool }), drizzlePool)
    const now = new Date().toISOString()
    for (const x of xs) {
      await rawPool.query(Raw.START_EXECUTION(startExecutionParams(x, now)))
      await rawPool.query(Raw.APPEND(appendParams(x, 1, x.events.length, null, now)))
    }
    const data = xs.map((x) => JSON.stringify(x.events[9]))

    await pair(
      "PostgreSQL A: cratos_append of one event",
      () => executions,
      async () => {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!
          const r = await Q.APPEND({
            executionId: x.id,
            key: null,
            hash: "",
            expected: null,
            types: ["ToolInvoked"],
            data: [data[i]],
            timestamps: [x.events[9]!.timestamp],
            now
          })
          if (r[0]?.[0] !== "appended") throw new Error(String(r[0]?.[0]))
        }
      },
      async () => {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!
          const r = await rawPool.query<{ outcome: string }>(
            Raw.APPEND([x.id, null, "", null, ["ToolInvoked"], [data[i]], [x.events[9]!.timestamp], now])
          )
          if (r.rows[0]?.outcome !== "appended") throw new Error(String(r.rows[0]?.outcome))
        }
      }
    )

    await pair(
      "PostgreSQL R: read one stream",
      () => executions,
      async () => {
        for (const x of xs) await Q.READ_STREAM({ executionId: x.id })
      },
      async () => {
        for (const x of xs) await rawPool.query({ ...Raw.READ_STREAM([x.id]), rowMode: "array" })
      }
    )

    const total = Number((await rawPool.query("SELECT count(*) AS n FROM execution_events")).rows[0].n)
    await pair(
      "PostgreSQL L: the log in pages of 1000 (rows/s)",
      () => total,
      async () => {
        let after = 0
        for (;;) {
          const rows = await Q.READ_LOG_PAGE({ after, limit: PAGE })
          if (rows.length < PAGE) return
          after = rows[rows.length - 1]![0]
        }
      },
      async () => {
        let after = 0
        for (;;) {
          const rows = (
            await rawPool.query<[string, string, string, string]>({
              ...Raw.READ_LOG_PAGE([after, PAGE]),
              rowMode: "array"
            })
          ).rows
          if (rows.length < PAGE) return
          after = Number(rows[rows.length - 1]![0])
        }
      }
    )
    await rawPool.end()
  } finally {
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
  }
}

// ---- The ReadModel -----------------------------------------------------------------------------

/** An execution's `executions` and `execution_summaries` values, as the projector would leave them. */
const rmRow = (i: number) => {
  const x = execution(i)
  const m = x.first.message
  const last = x.events[x.events.length - 1]!
  return {
    id: x.id,
    user: m.user_id,
    channel: m.channel_type,
    text: m.text,
    status: i % 10 === 0 ? "failed" : "completed",
    createdAt: x.first.timestamp,
    completedAt: last.timestamp,
    eventCount: x.events.length,
    goal: `answer ${i}`,
    stepCount: 3,
    toolsUsed: JSON.stringify(["http_request", "shell", "file_read"].slice(0, 1 + (i % 3))),
    toolCalls: 3,
    toolFailures: 1,
    toolTimeMs: 1200 + (i % 500),
    tokensUsed: 1500 + i,
    modelUsed: "claude-sonnet-4",
    approvalPending: 0,
    errorCount: 1,
    firstEventAt: x.first.timestamp,
    lastEventAt: last.timestamp,
    lastPosition: i * 10 + 10
  }
}
const LIMIT = 50

const readModelSqlite = async () => {
  const file = freshPath("read-model")
  const { db, close } = await openRaw(file)
  const insertExecution = db.prepare(
    "INSERT INTO executions (id, user_id, channel, input_text, status, created_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
  )
  const insertSummary = db.prepare(
    `INSERT INTO execution_summaries (execution_id, event_count, goal, step_count, tools_used, tool_calls, tool_failures,
       tool_time_ms, tokens_used, model_used, approval_pending, error_count, first_event_at, last_event_at, last_position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const rows = Array.from({ length: rmExecutions }, (_, i) => rmRow(i))
  db.transaction(() => {
    for (const r of rows) {
      insertExecution.run(r.id, r.user, r.channel, r.text, r.status, r.createdAt, r.completedAt)
      insertSummary.run(
        r.id,
        r.eventCount,
        r.goal,
        r.stepCount,
        r.toolsUsed,
        r.toolCalls,
        r.toolFailures,
        r.toolTimeMs,
        r.tokensUsed,
        r.modelUsed,
        r.approvalPending,
        r.errorCount,
        r.firstEventAt,
        r.lastEventAt,
        r.lastPosition
      )
    }
  })()
  db.exec("ANALYZE")

  // The raw side: the read model's SQL before it went through Drizzle (ReadModelQueries.ts at 3671052).
  const KEY = instantKeySql("e.created_at")
  const COLUMNS = `e.id, e.user_id, e.channel, e.status, e.created_at, e.completed_at, e.input_text,
    s.event_count, s.goal, s.step_count, s.tools_used, s.tool_calls, s.tool_failures, s.tool_time_ms,
    s.tokens_used, s.model_used, s.approval_pending, s.error_count, s.first_event_at, s.last_event_at`
  const FROM = "FROM executions e LEFT JOIN execution_summaries s ON s.execution_id = e.id"
  const rawList = db.prepare(`SELECT ${COLUMNS} ${FROM} ORDER BY ${KEY} DESC, e.rowid DESC LIMIT ? OFFSET ?`).raw(true)
  const rawUser = db
    .prepare(`SELECT ${COLUMNS} ${FROM} WHERE e.user_id = ? ORDER BY ${KEY} DESC, e.rowid DESC LIMIT ? OFFSET ?`)
    .raw(true)
  const rawGet = db.prepare(`SELECT ${COLUMNS} ${FROM} WHERE e.id = ?`).raw(true)

  const q = prepareReadModelStatements(db)
  const rm = ReadModel.fromConnection(db)
  // The same service (validation, Effect, span, rowOf) over the raw statements: what the app would
  // run without Drizzle.
  const rawRm = ReadModel.fromStatements(
    {
      list: (set: { user: boolean }, v: { user?: string; limit: number; offset: number }) =>
        set.user ? rawUser.all(v.user, v.limit, v.offset) : rawList.all(v.limit, v.offset),
      get: (id: string) => rawGet.get(id)
    } as unknown as ReadModelStatements,
    file
  )
  const none = {
    user: false,
    status: false,
    channel: false,
    since: false,
    until: false,
    search: false,
    hasFailures: false
  }
  const byUser = { ...none, user: true }
  const users = rows.map((r) => r.user)
  const ids = rows.map((r) => r.id)
  const n = (calls: number) => () => calls
  const check = (a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("the two sides differ")
  }
  // Both sides give the same rows.
  check(q.list(none, { limit: LIMIT, offset: 0 }).map(rowOf), (rawList.all(LIMIT, 0) as Array<RowValues>).map(rowOf))
  check(Effect.runSync(rm.list({ user: users[3]! })), (rawUser.all(users[3], LIMIT, 0) as Array<RowValues>).map(rowOf))
  check(Effect.runSync(rm.get(ids[7]!)), rowOf(rawGet.get(ids[7]) as RowValues))
  check(Effect.runSync(rm.list({ user: users[5]! })), Effect.runSync(rawRm.list({ user: users[5]! })))

  const LISTS = 400
  const GETS = 4000
  const rawListSide = () => {
    for (let i = 0; i < LISTS; i++) (rawList.all(LIMIT, 0) as Array<RowValues>).map(rowOf)
  }
  const rawUserSide = () => {
    for (let i = 0; i < LISTS; i++) (rawUser.all(users[i % users.length], LIMIT, 0) as Array<RowValues>).map(rowOf)
  }
  const rawGetSide = () => {
    for (let i = 0; i < GETS; i++) rowOf(rawGet.get(ids[i % ids.length]) as RowValues)
  }
  await pair(
    "SQLite RM list(): statement + rowOf",
    n(LISTS),
    () => {
      for (let i = 0; i < LISTS; i++) q.list(none, { limit: LIMIT, offset: 0 }).map(rowOf)
    },
    rawListSide
  )
  // Where the Drizzle path lost before `.values()`: drizzle's `.all()` names each row with its
  // generic mapper (`mapResultRow`: 20 columns, a decoder call and checks per column), then the
  // object is turned into an ExecutionRow the same way.
  const viaAll = listQuery(drizzleOn(db), none).prepare()
  const fromObject = (r: Record<string, unknown>) =>
    rowOf([
      r["id"],
      r["user_id"],
      r["channel"],
      r["status"],
      r["created_at"],
      r["completed_at"],
      r["input_text"],
      r["event_count"],
      r["goal"],
      r["step_count"],
      r["tools_used"],
      r["tool_calls"],
      r["tool_failures"],
      r["tool_time_ms"],
      r["tokens_used"],
      r["model_used"],
      r["approval_pending"],
      r["error_count"],
      r["first_event_at"],
      r["last_event_at"]
    ] as unknown as RowValues)
  check(viaAll.all({ limit: LIMIT, offset: 0 }).map(fromObject), (rawList.all(LIMIT, 0) as Array<RowValues>).map(rowOf))
  await pair(
    "SQLite RM list(): drizzle .all() (its mapper), not used",
    n(LISTS),
    () => {
      for (let i = 0; i < LISTS; i++) viaAll.all({ limit: LIMIT, offset: 0 }).map(fromObject)
    },
    rawListSide
  )
  await pair(
    "SQLite RM list(): the service (Effect.runSync)",
    n(LISTS),
    () => {
      for (let i = 0; i < LISTS; i++) Effect.runSync(rm.list())
    },
    () => {
      for (let i = 0; i < LISTS; i++) Effect.runSync(rawRm.list())
    }
  )
  await pair(
    "SQLite RM list({ user }): statement + rowOf",
    n(LISTS),
    () => {
      for (let i = 0; i < LISTS; i++)
        q.list(byUser, { user: users[i % users.length], limit: LIMIT, offset: 0 }).map(rowOf)
    },
    rawUserSide
  )
  await pair(
    "SQLite RM list({ user }): the service",
    n(LISTS),
    () => {
      for (let i = 0; i < LISTS; i++) Effect.runSync(rm.list({ user: users[i % users.length] }))
    },
    () => {
      for (let i = 0; i < LISTS; i++) Effect.runSync(rawRm.list({ user: users[i % users.length] }))
    }
  )
  await pair(
    "SQLite RM get(id): statement + rowOf",
    n(GETS),
    () => {
      for (let i = 0; i < GETS; i++) rowOf(q.get(ids[i % ids.length]!)!)
    },
    rawGetSide
  )
  await pair(
    "SQLite RM get(id): the service",
    n(GETS),
    () => {
      for (let i = 0; i < GETS; i++) Effect.runSync(rm.get(ids[i % ids.length]!))
    },
    () => {
      for (let i = 0; i < GETS; i++) Effect.runSync(rawRm.get(ids[i % ids.length]!))
    }
  )
  await close()
  removeDb(file)
}

const readModelPostgres = async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-drizzle-rm-"))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, { durable: true, synchronousCommit: "off" })
  try {
    const rt = ManagedRuntime.make(
      ReadModel.layerPostgres.pipe(
        Layer.provideMerge(EventStore.layerPostgres({ url: cluster.url, maxConnections: 1 }))
      )
    )
    const rm = await rt.runPromise(ReadModel)
    const { pool } = await rt.runPromise(PostgresDatabase)
    const rows = Array.from({ length: rmExecutions }, (_, i) => rmRow(i))
    const col = <K extends keyof ReturnType<typeof rmRow>>(k: K) => rows.map((r) => r[k])
    await pool.query(
      `INSERT INTO executions (id, user_id, channel, input_text, status, created_at, completed_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [col("id"), col("user"), col("channel"), col("text"), col("status"), col("createdAt"), col("completedAt")]
    )
    await pool.query(
      `INSERT INTO execution_summaries (execution_id, event_count, goal, step_count, tools_used, tool_calls, tool_failures,
         tool_time_ms, tokens_used, model_used, approval_pending, error_count, first_event_at, last_event_at, last_position)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[], $8::bigint[],
         $9::bigint[], $10::text[], $11::int[], $12::int[], $13::text[], $14::text[], $15::bigint[])`,
      [
        col("id"),
        col("eventCount"),
        col("goal"),
        col("stepCount"),
        col("toolsUsed"),
        col("toolCalls"),
        col("toolFailures"),
        col("toolTimeMs"),
        col("tokensUsed"),
        col("modelUsed"),
        col("approvalPending"),
        col("errorCount"),
        col("firstEventAt"),
        col("lastEventAt"),
        col("lastPosition")
      ]
    )
    await pool.query("ANALYZE")
    const KEY = instantKeyPgSql("e.created_at")
    const COLUMNS = `e.id, e.user_id, e.channel, e.status, e.created_at, e.completed_at, e.input_text,
      s.event_count, s.goal, s.step_count, s.tools_used, s.tool_calls, s.tool_failures, s.tool_time_ms,
      s.tokens_used, s.model_used, s.approval_pending, s.error_count, s.first_event_at, s.last_event_at`
    const FROM = "FROM executions e LEFT JOIN execution_summaries s ON s.execution_id = e.id"
    const raw = async (name: string, text: string, values: Array<unknown>) =>
      (await pool.query<Array<unknown>>({ name, text, values, rowMode: "array" })).rows as unknown as Array<RowValues>
    const LIST = `SELECT ${COLUMNS} ${FROM} ORDER BY ${KEY} DESC, e.id DESC LIMIT $1 OFFSET $2`
    const USER = `SELECT ${COLUMNS} ${FROM} WHERE e.user_id = $1 ORDER BY ${KEY} DESC, e.id DESC LIMIT $2 OFFSET $3`
    const GET = `SELECT ${COLUMNS} ${FROM} WHERE e.id = $1`
    const users = rows.map((r) => r.user)
    const ids = rows.map((r) => r.id)
    const check = (a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("the two sides differ")
    }
    check(await rt.runPromise(rm.list()), (await raw("bench_rm_list", LIST, [LIMIT, 0])).map(rowOf))
    check(
      await rt.runPromise(rm.list({ user: users[3] })),
      (await raw("bench_rm_user", USER, [users[3], LIMIT, 0])).map(rowOf)
    )
    check(await rt.runPromise(rm.get(ids[7]!)), (await raw("bench_rm_get", GET, [ids[7]])).map(rowOf)[0])
    const CALLS = 300
    const n = () => CALLS
    /** The raw statement as the service runs one: in the same runtime, an Effect per call. */
    const inRuntime = <A>(f: () => Promise<A>) =>
      rt.runPromise(Effect.tryPromise({ try: f, catch: (e) => e }).pipe(readModelSpan("raw")))
    const rawList = () => raw("bench_rm_list", LIST, [LIMIT, 0])
    const rawUser = (i: number) => raw("bench_rm_user", USER, [users[i % users.length], LIMIT, 0])
    const rawGet = (i: number) => raw("bench_rm_get", GET, [ids[i % ids.length]])
    const cases: Array<[string, (i: number) => Promise<unknown>, (i: number) => Promise<unknown>]> = [
      ["list()", () => rt.runPromise(rm.list()), async () => (await rawList()).map(rowOf)],
      [
        "list({ user })",
        (i) => rt.runPromise(rm.list({ user: users[i % users.length] })),
        async (i) => (await rawUser(i)).map(rowOf)
      ],
      ["get(id)", (i) => rt.runPromise(rm.get(ids[i % ids.length]!)), async (i) => rowOf((await rawGet(i))[0]!)]
    ]
    for (const [name, service, bare] of cases) {
      await pair(
        `PostgreSQL RM ${name}: service vs raw in the runtime`,
        n,
        async () => {
          for (let i = 0; i < CALLS; i++) await service(i)
        },
        async () => {
          for (let i = 0; i < CALLS; i++) await inRuntime(() => bare(i))
        }
      )
      await pair(
        `PostgreSQL RM ${name}: service vs bare raw await`,
        n,
        async () => {
          for (let i = 0; i < CALLS; i++) await service(i)
        },
        async () => {
          for (let i = 0; i < CALLS; i++) await bare(i)
        }
      )
    }
    await rt.dispose()
  } finally {
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
  }
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")

const main = async () => {
  const before = loadAverage()
  if (only !== "postgres" && part !== "read-model") await sqlite()
  if (only !== "postgres" && part !== "store") await readModelSqlite()
  if (only !== "sqlite" && part !== "read-model") await postgres()
  if (only !== "sqlite" && part !== "store") await readModelPostgres()
  console.log(
    `The Drizzle path vs the raw driver: store ${executions} executions, read model ${rmExecutions} executions; ` +
      `median of ${runs} runs (alternating order), calls/s [min–max]; load average ${before} at the start, ${loadAverage()} at the end ` +
      `(1, 5, 15 min; ${os.cpus().length} CPUs)`
  )
  console.log(
    `${"operation".padEnd(52)} ${"drizzle .prepare()".padEnd(28)} ${"raw driver".padEnd(28)} ${"drizzle/raw".padEnd(11)} ${"per run".padEnd(8)} per CPU s`
  )
  for (const l of lines) console.log(l)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
