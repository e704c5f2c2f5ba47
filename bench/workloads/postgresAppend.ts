/**
 * The raw `pg` ceiling of the PostgreSQL store's appends: the store's own SQL (its statement
 * constants, so both run the same queries) on one client, no Effect, no domain codec (events
 * through JSON.stringify). `lock: false` drops the log's advisory lock: what the lock costs.
 */
import { statements as Q } from "@cratos/store/postgres"
import type pg from "pg"
import type { Execution } from "../fixtures.js"

export const rawStatements = (client: pg.Client, lock = true) => {
  const tx = async <A>(f: () => Promise<A>): Promise<A> => {
    await client.query("BEGIN")
    const out = await f()
    await client.query("COMMIT")
    return out
  }
  const insert = async (x: Execution, userId: string, from: number, to: number) => {
    if (lock) await client.query(Q.LOCK_LOG([]))
    const evs = x.events.slice(from, to)
    await client.query(
      Q.INSERT_EVENTS([x.id, userId, evs.map((e) => e.type), evs.map((e) => JSON.stringify(e)), evs.map((e) => e.timestamp)])
    )
  }
  /** tx 1: the execution row and its first event. */
  const start = (x: Execution) =>
    tx(async () => {
      const m = x.first.message
      const r = await client.query(Q.INSERT_EXECUTION([x.id, m.user_id, m.channel_type, m.text, x.first.timestamp]))
      if (r.rowCount === 0) throw new Error("exists")
      await insert(x, m.user_id, 0, 1)
    })
  /** One transaction: the row lock, the version check, events [from, to). */
  const append = (x: Execution, from: number, to: number, expected: number) =>
    tx(async () => {
      const head = await client.query<{ user_id: string }>(Q.LOCK_EXECUTION([x.id]))
      const userId = head.rows[0]?.user_id
      if (userId === undefined) throw new Error("not found")
      const version = (await client.query<{ n: string | number }>(Q.STREAM_VERSION([x.id]))).rows[0]?.n
      if (Number(version) !== expected) throw new Error("conflict")
      await insert(x, userId, from, to)
    })
  return { start, append }
}
