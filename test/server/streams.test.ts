/**
 * SSE, races and load against a real server on 127.0.0.1:0: live delivery (latency printed, the
 * assertion is delivery and order), Last-Event-ID resume after a cut, `event: end`, the stream cap;
 * 8 clients racing one expected version (16 clients × 500 appends: test/faults/server, slow).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  append,
  create,
  json,
  plan,
  recoverable,
  response,
  startTestServer,
  type TestServer,
  toolInvoked
} from "./support.js"
import { openSse } from "./sse.js"

let s: TestServer
let admin: string

beforeAll(async () => {
  s = await startTestServer({ maxStreamsPerToken: 3, pollMs: 50 })
  admin = await s.token("read,ingest,approve")
})
afterAll(() => s.close())

const auth = (t: string) => ({ authorization: `Bearer ${t}` })

describe("SSE of one execution", () => {
  it("sends stored events, then appended ones as they come, then event: end after the response", async () => {
    const id = await create(s, admin)
    await append(s, admin, id, [plan()])
    const sse = await openSse(`${s.url}/api/v1/executions/${id}/events`, auth(admin))
    expect(sse.status).toBe(200)
    await sse.next((f) => f.event === "PlanGenerated")
    const latencies: number[] = []
    for (let i = 0; i < 5; i++) {
      const r = await append(s, admin, id, [recoverable(`e${i}`)])
      const answered = performance.now()
      const { positions } = (await r.json()) as { positions: number[] }
      const f = await sse.next((f) => f.id === String(positions[0]))
      expect(f.event).toBe("ErrorOccurred")
      expect(JSON.parse(f.data)).toMatchObject({ type: "ErrorOccurred", error: `e${i}` })
      latencies.push(Math.max(0, f.at - answered))
    }
    console.log(`SSE delivery after the append's answer: ${latencies.map((l) => l.toFixed(1)).join(", ")} ms`)
    await append(s, admin, id, [response()])
    await sse.next((f) => f.event === "end")
    await sse.closed
    const ids = sse.frames.filter((f) => f.id !== null).map((f) => Number(f.id))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(sse.frames.map((f) => f.event)).toEqual([
      "MessageReceived",
      "PlanGenerated",
      ...Array(5).fill("ErrorOccurred"),
      "ResponseSent",
      "end"
    ])
  })

  it("resumes after Last-Event-ID once its connection was cut", async () => {
    const id = await create(s, admin)
    const first = await openSse(`${s.url}/api/v1/executions/${id}/events`, auth(admin))
    const received = await first.next((f) => f.event === "MessageReceived")
    first.cut()
    await first.closed
    await append(s, admin, id, [plan(), toolInvoked()])
    const second = await openSse(`${s.url}/api/v1/executions/${id}/events`, {
      ...auth(admin),
      "last-event-id": received.id!
    })
    await second.next((f) => f.event === "ToolInvoked")
    expect(second.frames.map((f) => f.event)).toEqual(["PlanGenerated", "ToolInvoked"])
    second.cut()
  })

  it("caps open streams per token (429 past the cap) and gives the slot back when one closes", async () => {
    const t = await s.token("read")
    const id = await create(s, admin)
    const open = await Promise.all([1, 2, 3].map(() => openSse(`${s.url}/api/v1/executions/${id}/events`, auth(t))))
    expect(open.map((o) => o.status)).toEqual([200, 200, 200])
    const over = await fetch(`${s.url}/api/v1/executions/${id}/events`, json(t))
    expect(over.status).toBe(429)
    expect(over.headers.get("retry-after")).toBe("5")
    open[0]!.cut()
    await open[0]!.closed
    let again = 0
    for (let i = 0; i < 50 && again !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20))
      const r = await openSse(`${s.url}/api/v1/executions/${id}/events`, auth(t))
      again = r.status
      r.cut()
    }
    expect(again).toBe(200)
    for (const o of open) o.cut()
  })
})

describe("SSE of the whole log", () => {
  it("sends every event of every execution in position order, resuming after Last-Event-ID", async () => {
    const sse = await openSse(`${s.url}/api/v1/events`, auth(admin))
    const a = await create(s, admin)
    const b = await create(s, admin)
    const r = await append(s, admin, a, [plan()])
    const { positions } = (await r.json()) as { positions: number[] }
    await sse.next((f) => f.id === String(positions[0]))
    const ids = sse.frames.map((f) => Number(f.id))
    expect(ids).toEqual([...ids].sort((x, y) => x - y))
    const mid = sse.frames.find((f) => JSON.parse(f.data).type === "MessageReceived" && f.data.includes(b) === false)
    expect(mid).toBeDefined()
    sse.cut()
    const resumed = await openSse(`${s.url}/api/v1/events`, {
      ...auth(admin),
      "last-event-id": String(positions[0]! - 1)
    })
    const f = await resumed.next(() => true)
    expect(f.id).toBe(String(positions[0]))
    resumed.cut()
  })
})

describe("SSE of the whole log from its head", () => {
  it("?from=head sends only events appended after it opened, naming the head first", async () => {
    const before = await create(s, admin, "user-1", "appended before the stream opened")
    const earlier = (await (await append(s, admin, before, [plan()])).json()) as { positions: number[] }
    const head = earlier.positions.at(-1)!
    const sse = await openSse(`${s.url}/api/v1/events?from=head`, auth(admin))
    expect(sse.status).toBe(200)
    const after = await create(s, admin, "user-1", "appended after the stream opened")
    const later = (await (await append(s, admin, after, [plan()])).json()) as { positions: number[] }
    await sse.next((f) => f.id === String(later.positions[0]))
    expect(sse.ids[0]).toBe(String(head))
    expect(sse.frames.map((f) => [Number(f.id), f.event])).toEqual([
      [head + 1, "MessageReceived"],
      [later.positions[0], "PlanGenerated"]
    ])
    expect(sse.frames[0]!.data).toContain("appended after the stream opened")
    expect(sse.frames.some((f) => f.data.includes("appended before"))).toBe(false)
    sse.cut()
  })

  it("Last-Event-ID wins over ?from=head (a reconnecting EventSource resumes where it was)", async () => {
    const id = await create(s, admin)
    const r = (await (await append(s, admin, id, [plan()])).json()) as { positions: number[] }
    const sse = await openSse(`${s.url}/api/v1/events?from=head`, {
      ...auth(admin),
      "last-event-id": String(r.positions[0]! - 1)
    })
    const f = await sse.next(() => true)
    expect(f.id).toBe(String(r.positions[0]))
    sse.cut()
  })

  it("answers any other from= with a 400 problem naming the parameter", async () => {
    const r = await fetch(`${s.url}/api/v1/events?from=tail`, json(admin))
    expect(r.status).toBe(400)
    expect(r.headers.get("content-type")).toContain("application/problem+json")
    expect(((await r.json()) as { detail: string }).detail).toContain("from")
  })
})

describe("concurrency", () => {
  it("8 clients racing on one expected version: exactly one wins each version", async () => {
    const id = await create(s, admin)
    for (let version = 1; version <= 10; version++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, c) =>
          append(s, admin, id, [recoverable(`v${version}-c${c}`)], { expected_version: version })
        )
      )
      const statuses = results.map((r) => r.status).sort()
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409])
    }
    const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(admin))).json()) as { events: unknown[] }
    expect(shown.events).toHaveLength(11)
  })
})
