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
 * Rows are calls/s (L: rows/s), median of `runs` [min–max], drizzle/raw of the medians, and the
 * median of each run's drizzle/raw (the two sides of a run ran back to back, so this one is less
 * moved by the machine's load changing between runs); raw and drizzle take turns first.
 *
 *   pnpm tsx bench/drizzlePath.ts [executions=300] [runs=5] [--only sqlite|postgres]
 *
 * Reported, never asserted.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { EventStore } from "@cratos/store"
import { statements } from "@cratos/store/postgres"
import {
  prepareAppendToStream,
  prepareFindIdempotencyKey,
  prepareReadLogPage,
  prepareReadStream
} from "@cratos/store/sql"
import type BetterSqlite3 from "better-sqlite3"
import { drizzle } from "drizzle-orm/node-postgres"
import { Effect, Layer } from "effect"
import pg from "pg"
import { chunk } from "./fixtures.js"
import { freshPath, openRaw, removeDb } from "./lib/db.js"
import { startCluster, stopCluster } from "./lib/postgresCluster.js"
import * as Raw from "./workloads/postgresRawSql.js"

const args = process.argv.slice(2)
const onlyAt = args.indexOf("--only")
const only = onlyAt === -1 ? undefined : args[onlyAt + 1]
const positional = args.filter((_, i) => onlyAt === -1 || (i !== onlyAt && i !== onlyAt + 1))
const executions = Number(positional[0] ?? 300)
const runs = Number(positional[1] ?? 5)
const xs = chunk(0, executions)
const PAGE = 1000

const median = (v: ReadonlyArray<number>) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
const fmt = (v: ReadonlyArray<number>) =>
  `${Math.round(median(v)).toLocaleString("en")} [${Math.round(Math.min(...v)).toLocaleString("en")}–${Math.round(Math.max(...v)).toLocaleString("en")}]`
const lines: Array<string> = []
const report = (what: string, drizzle: Array<number>, raw: Array<number>) => {
  const pairs = drizzle.map((d, i) => d / raw[i]!)
  const line = `${what.padEnd(52)} ${fmt(drizzle).padEnd(28)} ${fmt(raw).padEnd(28)} ${(median(drizzle) / median(raw)).toFixed(2).padEnd(11)} ${median(pairs).toFixed(2)}`
  lines.push(line)
  process.stderr.write(`${line}\n`)
}
const rate = async (calls: number, f: () => Promise<unknown> | unknown) => {
  const t = performance.now()
  await f()
  return calls / ((performance.now() - t) / 1000)
}
/** `runs` pairs, alternating which side runs first; each side's `calls` per run. */
const pair = async (
  what: string,
  calls: () => number,
  drizzleSide: () => Promise<unknown> | unknown,
  rawSide: () => Promise<unknown> | unknown
) => {
  const d: Array<number> = []
  const r: Array<number> = []
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
      const m = x.first.message
      await rawPool.query(
        Raw.START_EXECUTION([
          x.id,
          m.user_id,
          m.channel_type,
          m.text,
          x.first.timestamp,
          null,
          "",
          "MessageReceived",
          JSON.stringify(x.first),
          x.first.timestamp,
          now
        ])
      )
      const rest = x.events.slice(1)
      await rawPool.query(
        Raw.APPEND([
          x.id,
          null,
          "",
          null,
          rest.map((e) => e.type),
          rest.map((e) => JSON.stringify(e)),
          rest.map((e) => e.timestamp),
          now
        ])
      )
    }
    const data = xs.map((x) => JSON.stringify(x.events[9]))

    await pair(
      "PostgreSQL A: cratos_append of one event",
      () => executions,
      async () => {
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]!
          const r = await Q.APPEND.execute({
            executionId: x.id,
            key: null,
            hash: "",
            expected: null,
            types: ["ToolInvoked"],
            data: [data[i]],
            timestamps: [x.events[9]!.timestamp],
            now
          })
          if (r[0]?.outcome !== "appended") throw new Error(String(r[0]?.outcome))
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

const main = async () => {
  if (only !== "postgres") await sqlite()
  if (only !== "sqlite") await postgres()
  console.log(
    `The store's Drizzle path vs the raw driver, ${executions} executions, median of ${runs} runs (alternating order), ` +
      `calls/s [min–max]; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`
  )
  console.log(
    `${"operation".padEnd(52)} ${"drizzle .prepare()".padEnd(28)} ${"raw driver".padEnd(28)} ${"drizzle/raw".padEnd(11)} per run`
  )
  for (const l of lines) console.log(l)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
