/**
 * `f` in one transaction on one pooled connection: BEGIN, `f`, COMMIT; ROLLBACK when `f` throws
 * (its error is rethrown). A connection whose ROLLBACK failed too is in an unknown state, so it is
 * released as broken (the pool closes it) instead of going back to the pool for the next caller.
 * Every PostgreSQL transaction of the store, the projector and the content keys runs through it;
 * retries and error mapping stay with each caller.
 */
import type pg from "pg"

export const inTransaction = async <A>(pool: pg.Pool, f: (client: pg.PoolClient) => Promise<A>): Promise<A> => {
  const client = await pool.connect()
  let broken = false
  try {
    await client.query("BEGIN")
    try {
      const out = await f(client)
      await client.query("COMMIT")
      return out
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {
        broken = true
      })
      throw e
    }
  } finally {
    client.release(broken)
  }
}
