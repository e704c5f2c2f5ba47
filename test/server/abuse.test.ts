/**
 * Abuse and faults of the list not covered elsewhere, against real servers on 127.0.0.1:
 * a slow client is cut off, a client that disconnects mid-body leaves nothing written, one event
 * over the store's cap is a 413 (with the default 64 MiB request cap), SIGINT stops `cratos-serve`
 * with exit 0, and its log holds no token and no payload value whatever the failures; a failure of
 * the server's own (a stored row that no longer decodes) is a bare 500 problem: no stack trace, no
 * row content.
 */
import { spawn } from "node:child_process"
import * as net from "node:net"
import { createToken, TokenStore } from "@cratos/server"
import { Database } from "@cratos/store"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { append, create, json, message, recoverable, startTestServer, type TestServer } from "./support.js"

let s: TestServer
let admin: string

beforeAll(async () => {
  s = await startTestServer({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 })
  admin = await s.token("read,ingest")
})
afterAll(() => s.close())

const port = () => Number(new URL(s.url).port)

const eventsOf = async (id: string) =>
  ((await (await fetch(`${s.url}/api/v1/executions/${id}`, json(admin))).json()) as { events: unknown[] }).events

describe("slow and vanishing clients", () => {
  it("cuts off a client that does not finish its headers in time (408, connection closed)", async () => {
    const socket = net.connect(port(), "127.0.0.1")
    let received = ""
    socket.setEncoding("utf8").on("data", (d: string) => (received += d))
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()))
    socket.write("POST /api/v1/executions HTTP/1.1\r\nHost: x\r\n") // and never the rest
    const t0 = performance.now()
    await closed
    console.log(`slow client cut off after ${(performance.now() - t0).toFixed(0)} ms (headersTimeout 500 ms)`)
    expect(received).toMatch(/^HTTP\/1\.1 408/)
  })

  it("leaves nothing written when the client disconnects in the middle of its body", async () => {
    const id = await create(s, admin)
    const body = JSON.stringify({ events: [recoverable("half")] })
    const socket = net.connect(port(), "127.0.0.1")
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()))
    socket.write(
      `POST /api/v1/executions/${id}/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, body.length - 10)}`
    )
    await new Promise((r) => setTimeout(r, 200))
    socket.destroy()
    await new Promise((r) => setTimeout(r, 300))
    expect(await eventsOf(id)).toHaveLength(1)
    // the server goes on serving
    expect((await append(s, admin, id, [recoverable("whole")])).status).toBe(200)
    expect(await eventsOf(id)).toHaveLength(2)
  })
})

describe("the per-event cap", () => {
  it("answers one event over the store's 16 MiB cap with 413, nothing written (the request cap is 64 MiB)", async () => {
    const big = await startTestServer()
    try {
      const token = await big.token("read,ingest")
      const id = await create(big, token)
      const r = await append(big, token, id, [recoverable("x".repeat(17 * 1024 * 1024))])
      expect(r.status).toBe(413)
      const problem = (await r.json()) as { detail: string }
      expect(problem.detail).toMatch(/event 0 is over the cap of 16777216 bytes/)
      const shown = (await (await fetch(`${big.url}/api/v1/executions/${id}`, json(token))).json()) as {
        events: unknown[]
      }
      expect(shown.events).toHaveLength(1)
    } finally {
      await big.close()
    }
  }, 60_000)
})

describe("a failure of the server's own", () => {
  it("is a bare 500 problem: no stack trace, nothing of the stored row", async () => {
    const id = await create(s, admin, "dave")
    const LEAK = "corrupt-row-secret-4c1d"
    await Effect.runPromise(
      Effect.gen(function* () {
        const { connection } = yield* Database
        connection
          .prepare(
            "INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, 'dave', 'ToolInvoked', ?, '2026-01-01T00:00:00Z')"
          )
          .run(id, `{"type":"ToolInvoked","tool":"file_read","input":{"secret":"${LEAK}"},"input_masked":`)
      }).pipe(Effect.scoped, Effect.provide(Database.layer({ path: s.db })))
    )
    for (const route of [`/api/v1/executions/${id}/history`, `/api/v1/executions/${id}`]) {
      const r = await fetch(`${s.url}${route}`, json(admin))
      expect(r.status).toBe(500)
      expect(r.headers.get("content-type")).toContain("application/problem+json")
      const text = await r.text()
      expect(JSON.parse(text)).toEqual({
        type: "urn:cratos:problem:server-error",
        title: "Server error",
        status: 500,
        detail: "the server failed; the error is in its log"
      })
      expect(text).not.toContain(LEAK)
    }
  })
})

describe("cratos-serve, a real process", () => {
  it("stops on SIGINT with exit 0, and its log holds no token and no payload value", async () => {
    const db = `${s.dir}/serve.db`
    const token = await Effect.runPromise(
      createToken({ name: "logs", scopes: "read,ingest" }).pipe(
        Effect.provide(TokenStore.layer),
        Effect.provide(Database.layer({ path: db }))
      )
    )
    const bin = new URL("../../apps/server/bin/cratos-serve.mjs", import.meta.url).pathname
    const child = spawn(process.execPath, [bin, "--port", "0", "--db", db], { stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    const url = await new Promise<string>((resolve, reject) => {
      const on = (d: Buffer) => {
        output += d.toString()
        const m = /listening on (http:\/\/\S+)/.exec(output)
        if (m?.[1] !== undefined) resolve(m[1])
      }
      child.stdout.on("data", on)
      child.stderr.on("data", on)
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)))
    })
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve))
    const secret = "hunter2-SECRET-VALUE"
    const wrongToken = `cratos_0123456789abcdef_${"S".repeat(43)}`
    const requests: Array<[string, RequestInit]> = [
      ["/api/v1/executions", json(wrongToken, { user_id: "u", event: message("u", secret) })],
      ["/api/v1/executions", json(token, `{"user_id":"u","event":"${secret}"`)],
      ["/api/v1/executions", json(token, { user_id: "u", event: { ...message("u", secret), timestamp: secret } })],
      ["/api/v1/executions", json(token, { user_id: secret, event: message("u", secret) })],
      [
        "/api/v1/executions/00000000-0000-4000-8000-000000000000/events",
        json(token, { events: [recoverable(secret)] })
      ],
      [`/api/v1/executions?search=${secret}&since=${secret}`, json(token)]
    ]
    for (const [path, init] of requests) {
      const r = await fetch(`${url}${path}`, init)
      expect(r.status).toBeGreaterThanOrEqual(400)
      expect(await r.text()).not.toContain(secret)
    }
    const created = await fetch(`${url}/api/v1/executions`, json(token, { user_id: "u", event: message("u", secret) }))
    expect(created.status).toBe(201)
    child.kill("SIGINT")
    expect(await exited).toBe(0)
    expect(output).toContain("SIGINT: stopping")
    // the token's secret part is base64url, which may itself hold "_": cut it after the 16-hex id
    const tokenSecret = token.slice("cratos_".length + 17)
    expect(tokenSecret).toHaveLength(43)
    for (const leak of [secret, token, wrongToken, tokenSecret]) expect(output).not.toContain(leak)
  }, 60_000)
})
