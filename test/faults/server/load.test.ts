/**
 * 16 clients × 500 appends against a real server on 127.0.0.1:0 (8 of them on one shared
 * execution, 8 on their own): every event is stored exactly once and no answer is a 5xx.
 * In the fault suite: 8,000 requests take a minute on the shared 2-core machine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { append, create, json, recoverable, startTestServer, type TestServer } from "../../server/support.js"

let s: TestServer

beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.close())

describe("16 clients × 500 appends", () => {
  it("stores every event once, with no 5xx", async () => {
    const t = await s.token("read,ingest")
    const shared = await create(s, t)
    const own = await Promise.all(Array.from({ length: 8 }, () => create(s, t)))
    const statuses = new Map<number, number>()
    const start = performance.now()
    await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        const target = c < 8 ? shared : own[c - 8]!
        for (let i = 0; i < 500; i++) {
          const r = await append(s, t, target, [recoverable(`c${c}-${i}`)])
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
          await r.arrayBuffer()
        }
      })
    )
    const seconds = (performance.now() - start) / 1000
    console.log(
      `16 × 500 appends: ${(8000 / seconds).toFixed(0)} requests/s, statuses ${JSON.stringify([...statuses])}`
    )
    expect([...statuses]).toEqual([[200, 8000]])
    const seen = new Map<string, number>()
    for (const id of [shared, ...own]) {
      const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(t))).json()) as {
        events: Array<{ type: string; error?: string }>
      }
      for (const e of shown.events) if (e.type === "ErrorOccurred") seen.set(e.error!, (seen.get(e.error!) ?? 0) + 1)
    }
    expect(seen.size).toBe(8000)
    expect([...seen.values()].every((n) => n === 1)).toBe(true)
  })
})
