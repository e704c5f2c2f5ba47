/**
 * `GET /api/v1/executions/{id}/reruns` on the real server over a real SQLite file: the link a
 * rerun's MessageReceived records (`message.thread_id` = the original's id), both ways; a
 * thread_id naming no execution is no link; a user's token sees links to its own executions only;
 * and the reruns are found through the partial index of migration 0009.
 */
import { Database } from "@cratos/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { rerunOfQuery, rerunsQuery } from "@cratos/projector"
import { drizzleOn } from "@cratos/store/sql"
import { fillPlaceholders } from "drizzle-orm"
import { json, message, startTestServer, type TestServer } from "./support.js"

let s: TestServer
let writer: string
let reader: string

/** Starts an execution whose message carries `thread` as its thread_id. */
const start = async (user: string, thread: string | null) => {
  const event = message(user, "read notes.txt")
  const body = { user_id: user, event: { ...event, message: { ...event.message, thread_id: thread } } }
  const r = await fetch(`${s.url}/api/v1/executions`, json(writer, body))
  if (r.status !== 201) throw new Error(`create: ${r.status} ${await r.text()}`)
  return ((await r.json()) as { execution_id: string }).execution_id
}

const links = async (id: string, token = reader) => {
  const r = await fetch(`${s.url}/api/v1/executions/${id}/reruns`, json(token))
  return { status: r.status, body: (await r.json()) as Record<string, any> }
}

const ids = { original: "", first: "", second: "", thread: "", other: "", othersRerun: "" }

beforeAll(async () => {
  s = await startTestServer()
  writer = await s.token("read,ingest")
  reader = await s.token("read")
  ids.original = await start("ann", null)
  ids.first = await start("ann", ids.original)
  ids.second = await start("ann", ids.original)
  ids.thread = await start("ann", "1700000000.000100") // a chat thread, not an execution
  ids.other = await start("bob", null)
  ids.othersRerun = await start("ann", ids.other) // ann re-ran bob's execution
}, 60_000)

afterAll(async () => {
  await s?.close()
})

describe("GET /api/v1/executions/{id}/reruns", () => {
  it("links an original to its reruns, oldest first, and each rerun back to its original", async () => {
    const original = await links(ids.original)
    expect(original.status).toBe(200)
    expect(original.body["execution_id"]).toBe(ids.original)
    expect(original.body["rerun_of"]).toBeNull()
    expect(original.body["reruns"].map((r: { id: string }) => r.id)).toEqual([ids.first, ids.second])
    expect(original.body["reruns"][0]).toMatchObject({ status: "pending", created_at: expect.any(String) })
    const rerun = await links(ids.second)
    expect(rerun.body["rerun_of"]).toMatchObject({ id: ids.original, status: "pending" })
    expect(rerun.body["reruns"]).toEqual([])
  })

  it("a thread_id that names no execution is no link", async () => {
    expect((await links(ids.thread)).body).toEqual({ execution_id: ids.thread, rerun_of: null, reruns: [] })
  })

  it("a token of one user sees links to that user's executions only; another's execution is 404", async () => {
    const ann = await s.token("read", "ann")
    expect((await links(ids.othersRerun, ann)).body["rerun_of"]).toBeNull()
    expect((await links(ids.othersRerun)).body["rerun_of"]).toMatchObject({ id: ids.other })
    expect((await links(ids.other, ann)).status).toBe(404)
    expect((await links("00000000-0000-4000-8000-00000000dead")).status).toBe(404)
    expect((await fetch(`${s.url}/api/v1/executions/${ids.original}/reruns`)).status).toBe(401)
  })

  it("finds reruns through the thread_id index and the original through the execution's events", async () => {
    const plans = await Effect.runPromise(
      Effect.map(Database, ({ connection }) =>
        [rerunsQuery(drizzleOn(connection)).toSQL(), rerunOfQuery(drizzleOn(connection)).toSQL()].map(
          ({ sql, params }) =>
            (
              connection
                .prepare(`EXPLAIN QUERY PLAN ${sql}`)
                .all(...fillPlaceholders(params, { id: "x" }))
                .slice(0, 2) as Array<{ detail: string }>
            )
              .map((r) => r.detail)
              .join(" | ")
        )
      ).pipe(Effect.provide(Database.layer({ path: s.db })))
    )
    expect(plans[0]).toMatch(/SEARCH ev USING INDEX idx_events_message_thread_id/)
    expect(plans[1]).toMatch(/SEARCH ev USING INDEX idx_events_execution_id/)
  })
})
