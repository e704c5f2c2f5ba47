/**
 * The planted-secrets suite through `cratos serve`'s API (issue 14): two users' executions
 * ingested over HTTP (create, append, an approval decision) carry the `.env` secrets in tool
 * output, response text, the message and the approval's modified text. Nothing of them is in the
 * database, its WAL or SHM, the server's log lines, any API response or either SSE stream, unless
 * a token of the `reveal` scope asks `?reveal=true`; then the exact originals come back.
 */
import { Events, maskSecrets } from "@cratos/domain"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  append,
  json,
  message,
  response,
  startTestServer,
  type TestServer,
  toolInvoked,
  ts
} from "../server/support.js"
import { openSse } from "../server/sse.js"
import { ENV_FILE, PLANTED, secretsIn, secretsInDatabase } from "./plantedSecrets.js"

const ALL = ["aws", "dbPassword", "github", "openai"]

const completed = () => {
  const e = Events.toolCompleted(
    {
      tool: "file_read",
      output: { success: true, output: ENV_FILE, error: null },
      duration_ms: 3,
      timestamp: ts() as never
    },
    maskSecrets
  )
  return e
}

let s: TestServer
let admin: string
let reader: string
let revealer: string
const ids: Array<string> = []
const logged: Array<string> = []
const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) }
const LEVELS = ["log", "info", "warn", "error", "debug"] as const
const consoles = Object.fromEntries(LEVELS.map((l) => [l, console[l]]))

beforeAll(async () => {
  process.env["CRATOS_HOME"] = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-planted-api-"))
  // every log line the server writes, to look for the secrets in
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: Array<never>) => {
    logged.push(String(chunk))
    return writes.out(chunk, ...rest)
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: Array<never>) => {
    logged.push(String(chunk))
    return writes.err(chunk, ...rest)
  }) as typeof process.stderr.write
  for (const level of LEVELS) {
    console[level] = (...args: Array<unknown>) => {
      logged.push(args.map(String).join(" "))
      consoles[level]!(...args)
    }
  }
  s = await startTestServer()
  admin = await s.token("read,ingest,approve")
  reader = await s.token("read")
  revealer = await s.token("read,reveal")
  for (const user of ["alice", "bob"]) {
    const created = await fetch(
      `${s.url}/api/v1/executions`,
      json(admin, { user_id: user, event: message(user, `read .env; my password is ${PLANTED.dbPassword}`) })
    )
    expect(created.status).toBe(201)
    const id = ((await created.json()) as { execution_id: string }).execution_id
    ids.push(id)
    const r = await append(s, admin, id, [
      toolInvoked(),
      {
        type: "ApprovalRequested",
        action: "write .env.bak",
        risk_level: "Write",
        details: {
          tool: "file_write",
          description: "copy",
          input_masked: { path: ".env.bak" },
          step_index: 0,
          expires_at: null
        },
        timestamp: ts()
      }
    ])
    expect(r.status, await r.text()).toBe(200)
    const decided = await fetch(
      `${s.url}/api/v1/executions/${id}/approval`,
      json(admin, { approved: true, modified: `use token ${PLANTED.github}` })
    )
    expect(decided.status, await decided.text()).toBeLessThan(300)
    const rest = await append(s, admin, id, [completed(), response(ENV_FILE)])
    expect(rest.status, await rest.text()).toBe(200)
  }
}, 60_000)

afterAll(async () => {
  process.stdout.write = writes.out
  process.stderr.write = writes.err
  for (const level of LEVELS) console[level] = consoles[level]!
  await s?.close()
})

describe("ingest through the API, encryption on", { timeout: 120_000 }, () => {
  it("leaves no secret in the database, WAL or SHM while the server has it open", () => {
    expect(fs.existsSync(`${s.db}-wal`)).toBe(true)
    expect(secretsInDatabase(s.db)).toEqual([])
  })

  it("answers no secret without reveal: list, show, history, stats and both SSE streams", async () => {
    const bodies: Array<[string, string]> = []
    for (const token of [reader, revealer, admin]) {
      for (const url of [
        "/api/v1/executions?limit=10",
        `/api/v1/executions/${ids[0]}`,
        `/api/v1/executions/${ids[1]}/history`,
        "/api/v1/stats",
        "/api/v1/approvals"
      ]) {
        const r = await fetch(`${s.url}${url}`, json(token))
        bodies.push([url, await r.text()])
      }
      const sse = await openSse(`${s.url}/api/v1/executions/${ids[0]}/events`, { authorization: `Bearer ${token}` })
      await sse.next((f) => f.event === "end")
      bodies.push(["execution SSE", sse.frames.map((f) => f.data).join("\n")])
      const log = await openSse(`${s.url}/api/v1/events`, { authorization: `Bearer ${token}` })
      await log.next(() => log.frames.filter((f) => f.event === "ResponseSent").length === 2)
      log.cut()
      bodies.push(["log SSE", log.frames.map((f) => f.data).join("\n")])
    }
    expect(bodies.flatMap(([url, body]) => secretsIn(body).map((x) => `${x} in ${url}`))).toEqual([])
    const shown = JSON.parse(bodies[1]![1]) as { events: Array<{ type: string; text?: string }> }
    expect(shown.events.find((e) => e.type === "ResponseSent")?.text).toContain("OPENAI_API_KEY=***MASKED***")
  })

  it("gives the exact originals to a reveal token asking ?reveal=true, in show, history and SSE", async () => {
    const shown = await (await fetch(`${s.url}/api/v1/executions/${ids[0]}?reveal=true`, json(revealer))).text()
    expect(secretsIn(shown).sort()).toEqual(ALL)
    const detail = JSON.parse(shown) as { events: Array<{ type: string; text?: string; modified?: string }> }
    expect(detail.events.find((e) => e.type === "ResponseSent")?.text).toBe(ENV_FILE)
    expect(detail.events.find((e) => e.type === "ApprovalReceived")?.modified).toBe(`use token ${PLANTED.github}`)
    const history = await (
      await fetch(`${s.url}/api/v1/executions/${ids[1]}/history?reveal=true`, json(revealer))
    ).text()
    expect(secretsIn(history).sort()).toEqual(ALL)
    const sse = await openSse(`${s.url}/api/v1/events?reveal=true`, { authorization: `Bearer ${revealer}` })
    await sse.next(() => sse.frames.filter((f) => f.event === "ResponseSent").length === 2)
    sse.cut()
    expect(secretsIn(sse.frames.map((f) => f.data).join("\n")).sort()).toEqual(ALL)
    const refused = await fetch(`${s.url}/api/v1/events?reveal=true`, {
      headers: { accept: "text/event-stream", authorization: `Bearer ${reader}` }
    })
    expect(refused.status).toBe(403)
  })

  it("wrote no secret to the server's log", () => {
    expect(logged.length).toBeGreaterThan(0)
    expect(secretsIn(logged.join(""))).toEqual([])
    expect(secretsInDatabase(s.db)).toEqual([])
  })
})
