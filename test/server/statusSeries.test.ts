/**
 * `GET /api/v1/stats/series` on the real server over a real SQLite file: executions by status
 * per UTC hour or day, counted over the read model, agreeing with `/stats`' totals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { append, create, json, plan, response, startTestServer, type TestServer, toolInvoked } from "./support.js"

let s: TestServer
let admin: string
let reader: string

beforeAll(async () => {
  s = await startTestServer()
  admin = await s.token("read,ingest")
  reader = await s.token("read")
  // five executions, all started in 2026-01-01T00 UTC (support's clock): 2 completed, 1 running, 2 pending
  for (let i = 0; i < 5; i++) {
    const id = await create(s, admin, `user-${i}`)
    if (i < 3) await append(s, admin, id, [plan(), toolInvoked()])
    if (i < 2) await append(s, admin, id, [response()])
  }
}, 60_000)

afterAll(async () => {
  await s?.close()
})

interface Series {
  since: string | null
  until: string | null
  bucket: string
  points: Array<{ start: string; pending: number; running: number; completed: number; failed: number }>
}

const series = async (query: string, token = reader) => {
  const r = await fetch(`${s.url}/api/v1/stats/series${query}`, json(token))
  return { status: r.status, body: (await r.json()) as Series & { detail?: string } }
}

describe("GET /api/v1/stats/series", () => {
  it("counts every execution per UTC hour and status, and its sums are /stats' totals", async () => {
    const hour = await series("?bucket=hour")
    expect(hour.status).toBe(200)
    expect(hour.body).toEqual({
      since: null,
      until: null,
      bucket: "hour",
      points: [{ start: "2026-01-01T00:00:00Z", pending: 2, running: 1, completed: 2, failed: 0 }]
    })
    const totals = (await (await fetch(`${s.url}/api/v1/stats`, json(reader))).json()) as {
      executions_by_status: Record<string, number>
    }
    const summed = { pending: 0, running: 0, completed: 0, failed: 0 }
    for (const p of (await series("")).body.points)
      for (const k of Object.keys(summed) as Array<keyof typeof summed>) summed[k] += p[k]
    expect(summed).toEqual(totals.executions_by_status)
  })

  it("defaults to days and keeps its range (inclusive bounds; none outside it)", async () => {
    const day = await series("")
    expect(day.body.bucket).toBe("day")
    expect(day.body.points.map((p) => p.start)).toEqual(["2026-01-01T00:00:00Z"])
    const later = await series("?since=2026-01-02T00:00:00Z&until=2026-01-03T00:00:00Z")
    expect(later.body).toMatchObject({ since: "2026-01-02T00:00:00Z", until: "2026-01-03T00:00:00Z", points: [] })
  })

  it("a token restricted to a user counts that user's executions only", async () => {
    const one = await series("?bucket=hour", await s.token("read", "user-1"))
    expect(one.status).toBe(200)
    expect(one.body.points).toEqual([
      { start: "2026-01-01T00:00:00Z", pending: 0, running: 0, completed: 1, failed: 0 }
    ])
    const four = await series("", await s.token("read", "user-4"))
    expect(four.body.points).toEqual([
      { start: "2026-01-01T00:00:00Z", pending: 1, running: 0, completed: 0, failed: 0 }
    ])
    expect((await series("", await s.token("read", "nobody"))).body.points).toEqual([])
  })

  it("a bad bucket or bound is a 400 problem naming it; no token is 401", async () => {
    const bucket = await series("?bucket=week")
    expect(bucket.status).toBe(400)
    expect(bucket.body.detail).toContain("bucket")
    expect((await series("?until=yesterday")).status).toBe(400)
    expect((await fetch(`${s.url}/api/v1/stats/series`)).status).toBe(401)
  })

  it("is declared in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${s.url}/api/v1/openapi.json`, json(reader))).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(doc.paths)).toContain("/api/v1/stats/series")
  })
})
