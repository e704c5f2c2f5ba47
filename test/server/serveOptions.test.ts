/**
 * `cratos serve`'s options on a real server. `--host`: it listens on the address it is given and
 * on no other. `--projector on|off`: with it on (the default) the server projects in its own process, so a
 * read after an append sees the append; with it off the log takes the append and the read model
 * stays as another process left it (here: no projector at all, so the status never moves).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { append, create, json, plan, response, startTestServer, type TestServer } from "./support.js"

let on: TestServer
let off: TestServer

beforeAll(async () => {
  on = await startTestServer()
  off = await startTestServer({ projector: false })
}, 60_000)

afterAll(async () => {
  await on?.close()
  await off?.close()
})

const statusAfterResponse = async (s: TestServer) => {
  const token = await s.token("read,ingest")
  const id = await create(s, token, "u1")
  await append(s, token, id, [plan(), response()])
  const history = (await (await fetch(`${s.url}/api/v1/executions/${id}/history`, json(token))).json()) as {
    events: Array<unknown>
  }
  const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(token))).json()) as {
    execution: { status: string }
  }
  return { stored: history.events.length, status: shown.execution.status }
}

describe("cratos serve --host", () => {
  it("listens on the given address only", async () => {
    const s = await startTestServer({ host: "127.0.0.2" })
    try {
      const url = new URL(s.url)
      expect(url.hostname).toBe("127.0.0.2")
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200)
      const elsewhere = await fetch(`http://127.0.0.1:${url.port}/healthz`).then(
        (r) => r.status,
        (e: Error) => (e.cause as { code?: string } | undefined)?.code ?? e.message
      )
      expect(elsewhere).toBe("ECONNREFUSED")
    } finally {
      await s.close()
    }
  })
})

describe("cratos serve --projector", () => {
  it("on: the read model has projected the append when the next read is answered", async () => {
    expect(await statusAfterResponse(on)).toEqual({ stored: 3, status: "completed" })
  })

  it("off: the log holds the append, the read model is left to another process", async () => {
    expect(await statusAfterResponse(off)).toEqual({ stored: 3, status: "pending" })
  })
})
