/**
 * The PostgreSQL read model's queries use the indexes SQLite's migrations 0008 and 0009 have
 * equivalents of on PostgreSQL: `list({ status })` reads `idx_executions_status_created_key`
 * (status, instant key of created_at) newest first instead of sorting the status's rows, and
 * `rerunLinks` finds an execution's reruns through the partial index on the MessageReceived's
 * `message.thread_id` instead of reading every message. The statements are the ones the ReadModel
 * sends (captured off the pool), EXPLAINed with their values on a database of 20,000 executions
 * after ANALYZE. The pool has one connection, so a BEGIN … DROP INDEX … ROLLBACK sent through it
 * holds for the ReadModel's statements in between (the controls without each index).
 */
import { ReadModel } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import { PostgresDatabase } from "@cratos/store/postgres"
import { describe, expect, it } from "@effect/vitest"
import { Layer, ManagedRuntime } from "effect"
import type pg from "pg"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"

const EXECUTIONS = 20_000

interface Sent {
  readonly text: string
  readonly values: ReadonlyArray<unknown>
}

const messageOf = (id: string, thread: string | null) =>
  JSON.stringify({
    type: "MessageReceived",
    message: {
      id: "5f0e0000-0000-4000-8000-000000000001",
      channel_type: "cli",
      channel_id: "tty",
      user_id: "u1",
      user_name: null,
      thread_id: thread,
      message_id: id,
      text: "hello",
      attachments: [],
      timestamp: "2025-01-01T00:00:00Z",
      is_command: false,
      command_name: null,
      command_args: null,
      reply_to: null
    },
    timestamp: "2025-01-01T00:00:00Z"
  })

describe.skipIf(!postgresAvailable())("the PostgreSQL read model's query plans", () => {
  it("list({ status }) reads the (status, created key) index without a sort; reruns are found through the thread_id index", async () => {
    const url = await postgresDatabase("rm_plan")
    const runtime = ManagedRuntime.make(
      ReadModel.layerPostgres.pipe(Layer.provideMerge(EventStore.layerPostgres({ url, maxConnections: 1 })))
    )
    try {
      const { pool } = await runtime.runPromise(PostgresDatabase)
      await pool.query(
        `INSERT INTO executions (id, user_id, channel, input_text, status, created_at)
         SELECT 'e' || i, 'u' || (i % 20), 'cli', 'hello', CASE WHEN i % 100 = 0 THEN 'pending' WHEN i % 100 < 3 THEN 'running' WHEN i % 100 < 10 THEN 'failed' ELSE 'completed' END,
           to_char(timestamp '2025-01-01' + i * interval '61 seconds', 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN i % 3 = 0 THEN '+00:00' ELSE 'Z' END
         FROM generate_series(1, ${EXECUTIONS}) AS i`
      )
      // Each execution's MessageReceived (e2's names e1 as its original) and one more event.
      await pool.query(
        `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
         SELECT 'e' || i, 'u' || (i % 20), 'MessageReceived', CASE WHEN i = 2 THEN $2 ELSE $1 END, '2025-01-01T00:00:00Z'
         FROM generate_series(1, ${EXECUTIONS}) AS i`,
        [messageOf("m", null), messageOf("m", "e1")]
      )
      await pool.query(
        `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
         SELECT 'e' || i, 'u1', 'PlanGenerated', '{"type":"PlanGenerated"}', '2025-01-01T00:00:00Z' FROM generate_series(1, ${EXECUTIONS}) AS i`
      )
      await pool.query(`ANALYZE`)

      // What the ReadModel sends, captured off the pool (drizzle runs its statements through pool.query).
      const rm = await runtime.runPromise(ReadModel)
      const sent: Array<Sent> = []
      const target = pool as unknown as { query: (config: unknown, values?: unknown) => unknown }
      const original = target.query.bind(pool)
      target.query = (config, values) => {
        const c = config as pg.QueryConfig | string
        const text = typeof c === "string" ? c : c.text
        sent.push({ text, values: (values ?? (typeof c === "string" ? [] : c.values) ?? []) as ReadonlyArray<unknown> })
        return original(config, values)
      }
      /** The plans of the statements `f` sent (EXPLAIN with their values, past the capture). */
      const captured = async (f: () => Promise<unknown>) => {
        sent.length = 0
        await f()
        const statements = sent.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK)/.test(q.text))
        const plans: Array<string> = []
        for (const q of statements) {
          const r = (await original({ text: `EXPLAIN ${q.text}`, values: [...q.values] })) as pg.QueryResult<{
            "QUERY PLAN": string
          }>
          plans.push(r.rows.map((row) => row["QUERY PLAN"]).join("\n"))
        }
        return plans
      }

      // As statuses are spread in a history: 90% completed, 7% failed, 2% running, 1% pending.
      for (const status of ["running", "failed", "pending"] as const) {
        expect(await runtime.runPromise(rm.list({ status }))).not.toHaveLength(0)
        const [list] = await captured(() => runtime.runPromise(rm.list({ status })))
        // Read off the index from the newest row of that status on: at most the ties of one
        // instant sorted by id (an Incremental Sort, the key presorted), never a full sort or a
        // filter throwing the other statuses' rows away.
        expect(list, list).toMatch(/Index Scan Backward using idx_executions_status_created_key on executions/)
        expect(list, list).toMatch(new RegExp(`Index Cond: \\(status = '${status}'::text\\)`))
        expect(list, list).not.toMatch(/^\s*(->\s+)?Sort\s+\(|Seq Scan on executions|Filter: \(status/m)
      }
      // The common status: either instant-key index, read in order (no full sort, no table scan).
      const [common] = await captured(() => runtime.runPromise(rm.list({ status: "completed" })))
      expect(common, common).toMatch(/Index Scan Backward using idx_executions_(status_)?created_key on executions/)
      expect(common, common).not.toMatch(/^\s*(->\s+)?Sort\s+\(|Seq Scan on executions/m)

      // What the index saves, in rows (deterministic, unlike time): list({ status: "running" })
      // with and without it (dropped inside a transaction rolled back).
      sent.length = 0
      await runtime.runPromise(rm.list({ status: "running" }))
      const q = sent.find((x) => /limit/i.test(x.text))!
      const removed = async () => {
        const r = (await original({
          text: `EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ${q.text}`,
          values: [...q.values]
        })) as pg.QueryResult<Record<string, string>>
        const plan = r.rows.map((x) => x["QUERY PLAN"]).join("\n")
        return Number(/Rows Removed by Filter: (\d+)/.exec(plan)?.[1] ?? 0)
      }
      const withIndex = await removed()
      await original("BEGIN")
      await original("DROP INDEX idx_executions_status_created_key")
      const without = await removed()
      await original("ROLLBACK")
      process.stderr.write(
        `list({ status: "running" }) on ${EXECUTIONS} executions: rows read and thrown away ${without} without the index, ${withIndex} with it\n`
      )
      expect(withIndex).toBe(0)
      expect(without).toBeGreaterThan(1_000)

      const links = await runtime.runPromise(rm.rerunLinks("e1"))
      expect(links.reruns.map((r) => r.id)).toEqual(["e2"])
      const plans = await captured(() => runtime.runPromise(rm.rerunLinks("e1")))
      const reruns =
        plans.find((p) => /idx_events_message_thread_id|Seq Scan on execution_events/.test(p)) ?? plans.join("\n---\n")
      expect(reruns, plans.join("\n---\n")).toMatch(
        /Index Scan using idx_events_message_thread_id|Bitmap Index Scan on idx_events_message_thread_id/
      )
      expect(plans.join("\n"), plans.join("\n---\n")).not.toMatch(/Seq Scan on execution_events/)
      // Without it, the reruns query reads every event (the control: the index is what is used).
      await original("BEGIN")
      await original("DROP INDEX idx_events_message_thread_id")
      const withoutIndex = await captured(() => runtime.runPromise(rm.rerunLinks("e1")))
      await original("ROLLBACK")
      expect(withoutIndex.join("\n")).toMatch(/Seq Scan on execution_events/)
    } finally {
      await runtime.dispose()
    }
  }, 120_000)
})
