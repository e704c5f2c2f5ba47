/**
 * The raw `pg` ceiling of the PostgreSQL store's appends, on one client, no Effect, no domain
 * codec (events through JSON.stringify):
 *
 * - `functions` (the ceiling): the store's own statements, `cratos_start_execution` and
 *   `cratos_append` (migration 0002), one round trip per write;
 * - `steps`: the same work from the client, one statement per step as the store did before
 *   0002 (BEGIN, lock the row, count, lock the log, insert, COMMIT): what the round trips cost;
 * - `steps-nolock`: `steps` without the log's advisory lock: what the lock costs.
 */
import * as Q from "./postgresRawSql.js"
import type pg from "pg"
import type { Execution } from "../fixtures.js"

export type RawMode = "functions" | "steps" | "steps-nolock"

const INSERT_EXECUTION = (values: Array<unknown>): pg.QueryConfig => ({
  name: "bench_insert_execution",
  text: `INSERT INTO executions (id, user_id, channel, input_text, status, created_at)
VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
  values
})

/** `cratos_start_execution`'s parameters for `x`'s first event (no idempotency key). */
export const startExecutionParams = (x: Execution, now: string) => {
  const m = x.first.message
  return [
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
  ]
}

/** `cratos_append`'s parameters for events [from, to) of `x` (no idempotency key; `expected` null: any version). */
export const appendParams = (x: Execution, from: number, to: number, expected: number | null, now: string) => {
  const evs = x.events.slice(from, to)
  return [
    x.id,
    null,
    "",
    expected,
    evs.map((e) => e.type),
    evs.map((e) => JSON.stringify(e)),
    evs.map((e) => e.timestamp),
    now
  ]
}

export const rawStatements = (client: pg.Client, mode: RawMode = "functions") => {
  const now = new Date().toISOString()
  const tx = async <A>(f: () => Promise<A>): Promise<A> => {
    await client.query("BEGIN")
    const out = await f()
    await client.query("COMMIT")
    return out
  }
  const insert = async (x: Execution, userId: string, from: number, to: number) => {
    if (mode === "steps") await client.query(Q.LOCK_LOG([]))
    const evs = x.events.slice(from, to)
    await client.query(
      Q.INSERT_EVENTS([
        x.id,
        userId,
        evs.map((e) => e.type),
        evs.map((e) => JSON.stringify(e)),
        evs.map((e) => e.timestamp)
      ])
    )
  }
  /** tx 1: the execution row and its first event. */
  const start = async (x: Execution): Promise<void> => {
    const m = x.first.message
    if (mode === "functions") {
      const r = await client.query<{ outcome: string }>(Q.START_EXECUTION(startExecutionParams(x, now)))
      if (r.rows[0]?.outcome !== "started") throw new Error(String(r.rows[0]?.outcome))
      return
    }
    await tx(async () => {
      const r = await client.query(INSERT_EXECUTION([x.id, m.user_id, m.channel_type, m.text, x.first.timestamp]))
      if (r.rowCount === 0) throw new Error("exists")
      await insert(x, m.user_id, 0, 1)
    })
  }
  /** One transaction: the row lock, the version check, events [from, to). */
  const append = async (x: Execution, from: number, to: number, expected: number): Promise<void> => {
    if (mode === "functions") {
      const r = await client.query<{ outcome: string }>(Q.APPEND(appendParams(x, from, to, expected, now)))
      if (r.rows[0]?.outcome !== "appended") throw new Error(String(r.rows[0]?.outcome))
      return
    }
    await tx(async () => {
      const head = await client.query<{ user_id: string }>(Q.LOCK_EXECUTION([x.id]))
      const userId = head.rows[0]?.user_id
      if (userId === undefined) throw new Error("not found")
      const version = (await client.query<{ n: string | number }>(Q.STREAM_VERSION([x.id]))).rows[0]?.n
      if (Number(version) !== expected) throw new Error("conflict")
      await insert(x, userId, from, to)
    })
  }
  return { start, append }
}
