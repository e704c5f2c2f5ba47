/**
 * Every route and status of `cratos serve`'s API against a real server on 127.0.0.1 (port 0)
 * with a real HTTP client (fetch).
 */
import { Validator } from "@seriousme/openapi-schema-validator"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  append,
  approvalRequested,
  create,
  json,
  message,
  plan,
  recoverable,
  response,
  startTestServer,
  type TestServer,
  toolInvoked
} from "./support.js"

let s: TestServer
let admin: string
let reader: string

beforeAll(async () => {
  s = await startTestServer({ maxBodyBytes: 256 * 1024 })
  admin = await s.token("read,ingest,approve")
  reader = await s.token("read")
})
afterAll(() => s.close())

const problem = async (r: Response) => {
  expect(r.headers.get("content-type")).toContain("application/problem+json")
  const body = (await r.json()) as Record<string, unknown>
  expect(body["status"]).toBe(r.status)
  expect(typeof body["type"]).toBe("string")
  expect(typeof body["detail"]).toBe("string")
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/)
  return body
}

describe("authentication", () => {
  it("answers /healthz without a token", async () => {
    const r = await fetch(`${s.url}/healthz`)
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ status: "ok" })
  })

  it("refuses /api without a token or with an unknown one (401), a missing scope (403)", async () => {
    expect((await fetch(`${s.url}/api/v1/executions`)).status).toBe(401)
    const unknown = await fetch(`${s.url}/api/v1/executions`, json("cratos_0000000000000000_" + "A".repeat(43)))
    expect(unknown.status).toBe(401)
    await problem(unknown)
    const r = await fetch(`${s.url}/api/v1/executions`, json(reader, { user_id: "u", event: message("u") }))
    expect(r.status).toBe(403)
    expect((await problem(r))["required_scope"]).toBe("ingest")
  })

  it("refuses a token revoked while the server runs (401) within tokenCacheMs", async () => {
    const t = await s.token("read")
    expect((await fetch(`${s.url}/api/v1/stats`, json(t))).status).toBe(200)
    await s.revoke(t)
    const revokedAt = performance.now()
    let status = 200
    while (status === 200 && performance.now() - revokedAt < 5_000) {
      status = (await fetch(`${s.url}/api/v1/stats`, json(t))).status
      if (status === 200) await new Promise((r) => setTimeout(r, 50))
    }
    const waited = performance.now() - revokedAt
    console.log(`revoked token refused ${waited.toFixed(0)} ms after the revoke (tokenCacheMs 1000)`)
    expect(status).toBe(401)
  })

  it("answers an unknown /api route with a 404 problem", async () => {
    const r = await fetch(`${s.url}/api/v1/nope`, json(admin))
    expect(r.status).toBe(404)
    await problem(r)
  })
})

describe("POST /api/v1/executions", () => {
  it("starts an execution: 201 with version 1 and its position; the same id again is 409", async () => {
    const id = "7a1e0000-0000-4000-8000-00000000000a"
    const r = await fetch(
      `${s.url}/api/v1/executions`,
      json(admin, { execution_id: id, user_id: "user-1", event: message("user-1") })
    )
    expect(r.status).toBe(201)
    const body = (await r.json()) as { execution_id: string; version: number; position: number }
    expect(body.execution_id).toBe(id)
    expect(body.version).toBe(1)
    expect(body.position).toBeGreaterThan(0)
    const again = await fetch(
      `${s.url}/api/v1/executions`,
      json(admin, { execution_id: id, user_id: "user-1", event: message("user-1") })
    )
    expect(again.status).toBe(409)
    await problem(again)
  })

  it("refuses malformed JSON (400, no path) and a value that does not decode (400 with its path)", async () => {
    const bad = await fetch(`${s.url}/api/v1/executions`, json(admin, "{nope"))
    expect(bad.status).toBe(400)
    expect((await problem(bad))["path"]).toBeNull()
    const event = message("user-1")
    const wrong = await fetch(
      `${s.url}/api/v1/executions`,
      json(admin, {
        user_id: "user-1",
        event: { ...event, message: { ...event.message, channel_type: "sk-secret-channel" } }
      })
    )
    expect(wrong.status).toBe(400)
    const body = await problem(wrong)
    expect(body["path"]).toBe("event.message.channel_type")
    expect(JSON.stringify(body)).not.toContain("sk-secret-channel")
  })

  it("refuses a user_id that is not the message's (400)", async () => {
    const r = await fetch(`${s.url}/api/v1/executions`, json(admin, { user_id: "other", event: message("user-1") }))
    expect(r.status).toBe(400)
    expect((await problem(r))["path"]).toBe("user_id")
  })
})

describe("POST /api/v1/executions/{id}/events", () => {
  it("appends through the decider: 200 with version and positions", async () => {
    const id = await create(s, admin)
    const r = await append(s, admin, id, [plan(), toolInvoked()])
    expect(r.status).toBe(200)
    const body = (await r.json()) as { version: number; positions: number[] }
    expect(body.version).toBe(3)
    expect(body.positions).toHaveLength(2)
    expect(body.positions[1]).toBe(body.positions[0]! + 1)
  })

  it("answers a stale expected_version with 409 naming expected and actual", async () => {
    const id = await create(s, admin)
    const r = await append(s, admin, id, [plan()], { expected_version: 0 })
    expect(r.status).toBe(409)
    const body = await problem(r)
    expect(body["expected"]).toBe(0)
    expect(body["actual"]).toBe(1)
  })

  it("answers a history the decider refuses with 422 naming the rule", async () => {
    const id = await create(s, admin)
    expect((await append(s, admin, id, [response()])).status).toBe(200)
    const r = await append(s, admin, id, [plan()])
    expect(r.status).toBe(422)
    expect((await problem(r))["rule"]).toBe("nothing-after-response")
    const twice = await append(s, admin, await create(s, admin), [message("user-1")])
    expect((await problem(twice))["rule"]).toBe("one-message-per-execution")
  })

  it("answers an unknown execution with 404", async () => {
    const r = await append(s, admin, "00000000-0000-4000-8000-000000000000", [plan()])
    expect(r.status).toBe(404)
    await problem(r)
  })

  it("answers a bad event with 400 and its path", async () => {
    const id = await create(s, admin)
    const r = await append(s, admin, id, [plan(), { ...plan(), tokens_used: -1 }])
    expect(r.status).toBe(400)
    expect((await problem(r))["path"]).toBe("events[1].tokens_used")
  })

  it("answers a body over the cap with 413, nothing written", async () => {
    const id = await create(s, admin)
    const r = await append(s, admin, id, [recoverable("x".repeat(300 * 1024))])
    expect(r.status).toBe(413)
    await problem(r)
    const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(admin))).json()) as { events: unknown[] }
    expect(shown.events).toHaveLength(1)
  })

  it("answers a chunked body (no Content-Length) that grows over the cap with 413, nothing written", async () => {
    const id = await create(s, admin)
    const text = JSON.stringify({ events: [recoverable("x".repeat(300 * 1024))] })
    const encoder = new TextEncoder()
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= text.length) return controller.close()
        controller.enqueue(encoder.encode(text.slice(sent, sent + 16 * 1024)))
        sent += 16 * 1024
      }
    })
    const r = await fetch(`${s.url}/api/v1/executions/${id}/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body,
      duplex: "half"
    } as RequestInit)
    expect(r.headers.get("content-length")).not.toBeNull()
    expect(r.status).toBe(413)
    await problem(r)
    const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(admin))).json()) as { events: unknown[] }
    expect(shown.events).toHaveLength(1)
  })

  it("replays the first answer for a repeated Idempotency-Key, and refuses it for another body (422)", async () => {
    const id = await create(s, admin)
    const events = [plan(), response()]
    const first = await append(s, admin, id, events, {}, { "idempotency-key": "k-1" })
    expect(first.status).toBe(200)
    const firstBody = await first.json()
    const again = await append(s, admin, id, events, {}, { "idempotency-key": "k-1" })
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual(firstBody)
    const other = await append(s, admin, id, [plan()], {}, { "idempotency-key": "k-1" })
    expect(other.status).toBe(422)
    await problem(other)
    const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(admin))).json()) as { events: unknown[] }
    expect(shown.events).toHaveLength(3)
  })
})

describe("reading", () => {
  it("GET /executions/{id} is show --json: the row and the wire events; ?at=N the state after N", async () => {
    const id = await create(s, admin, "user-1", "show me")
    await append(s, admin, id, [plan(), approvalRequested()])
    const r = await fetch(`${s.url}/api/v1/executions/${id}`, json(reader))
    expect(r.status).toBe(200)
    const body = (await r.json()) as { execution: Record<string, unknown>; events: Array<Record<string, unknown>> }
    expect(body.execution["id"]).toBe(id)
    expect(body.execution["input_text"]).toBe("show me")
    expect(body.execution["approval_pending"]).toBe(true)
    expect(body.events.map((e) => e["type"])).toEqual(["MessageReceived", "PlanGenerated", "ApprovalRequested"])
    const at = (await (await fetch(`${s.url}/api/v1/executions/${id}?at=2`, json(reader))).json()) as Record<
      string,
      any
    >
    expect(at["at"]).toBe(2)
    expect(at["total_events"]).toBe(3)
    expect(at["state"]["pending_approval"]).toBeNull()
    expect(at["events"]).toHaveLength(2)
    expect((await fetch(`${s.url}/api/v1/executions/nope`, json(reader))).status).toBe(404)
    expect((await fetch(`${s.url}/api/v1/executions/${id}?at=x`, json(reader))).status).toBe(400)
  })

  it("GET /executions/{id}/history is the stored wire events in order with their positions; 401, 403, 404", async () => {
    const said = message("hist", "deploy with token=sk-hist-secret-0001")
    const first = await fetch(`${s.url}/api/v1/executions`, json(admin, { user_id: "hist", event: said }))
    const { execution_id: id, position } = (await first.json()) as { execution_id: string; position: number }
    await create(s, admin, "hist") // another execution between its events: positions are the log's, not 1..n
    const appended = (await (await append(s, admin, id, [plan(), toolInvoked()])).json()) as { positions: number[] }
    const r = await fetch(`${s.url}/api/v1/executions/${id}/history`, json(reader))
    expect(r.status).toBe(200)
    const body = (await r.json()) as {
      execution_id: string
      user_id: string
      events: Array<{ position: number; event: Record<string, unknown> }>
    }
    expect(body.execution_id).toBe(id)
    expect(body.user_id).toBe("hist")
    expect(body.events.map((e) => e.position)).toEqual([position, ...appended.positions])
    expect(body.events[0]!.position + 1).toBeLessThan(body.events[1]!.position)
    // as stored: a raw field masking changes is an envelope (issue 14); opened, they are what show reveals
    expect(JSON.stringify(body.events[0]!.event)).toContain('"text":"cratos:enc:v3:')
    expect(JSON.stringify(body)).not.toContain("sk-hist-secret-0001")
    const revealer = await s.token("read,reveal")
    const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}?reveal=true`, json(revealer))).json()) as {
      events: Array<Record<string, unknown>>
    }
    const opened = (await (
      await fetch(`${s.url}/api/v1/executions/${id}/history?reveal=true`, json(revealer))
    ).json()) as { events: Array<{ event: Record<string, unknown> }> }
    expect(opened.events.map((e) => e.event)).toEqual(shown.events)
    expect(body.events.map((e) => e.event.type)).toEqual(shown.events.map((e) => e["type"]))

    expect((await fetch(`${s.url}/api/v1/executions/${id}/history`)).status).toBe(401)
    const ingestOnly = await s.token("ingest")
    const forbidden = await fetch(`${s.url}/api/v1/executions/${id}/history`, json(ingestOnly))
    expect(forbidden.status).toBe(403)
    expect((await problem(forbidden))["required_scope"]).toBe("read")
    const missing = crypto.randomUUID()
    const unknown = await fetch(`${s.url}/api/v1/executions/${missing}/history`, json(reader))
    expect(unknown.status).toBe(404)
    expect((await problem(unknown))["detail"]).toBe(`no execution ${missing}`)
    // another user's execution answers as an unknown one would: nothing tells that it exists
    const someoneElse = await s.token("read", "not-hist")
    const hidden = await fetch(`${s.url}/api/v1/executions/${id}/history`, json(someoneElse))
    expect(hidden.status).toBe(404)
    expect((await problem(hidden))["detail"]).toBe(`no execution ${id}`)
  })

  it("GET /log pages through the whole log in position order; a user's token gets its user's events only", async () => {
    const restricted = await s.token("read", "carol")
    const mine = await create(s, admin, "carol")
    await create(s, admin, "dave")
    expect((await append(s, admin, mine, [plan()])).status).toBe(200)
    type Page = { items: Array<{ execution_id: string; user_id: string; position: number }>; next_after: number | null }
    const pages = async (token: string, limit: number) => {
      const all: Page["items"] = []
      let requests = 0
      for (let after: number | null = 0; after !== null; requests++) {
        const r = await fetch(`${s.url}/api/v1/log?after=${after}&limit=${limit}`, json(token))
        expect(r.status).toBe(200)
        const page = (await r.json()) as Page
        expect(page.items.length).toBeLessThanOrEqual(limit)
        all.push(...page.items)
        after = page.next_after
      }
      return { all, requests }
    }
    const everything = await pages(admin, 3)
    const positions = everything.all.map((e) => e.position)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
    expect(new Set(positions).size).toBe(positions.length)
    expect(everything.requests).toBeGreaterThanOrEqual(Math.ceil(positions.length / 3))
    // the same events as one big page
    expect((await pages(admin, 10_000)).all).toEqual(everything.all)
    const carol = await pages(restricted, 2)
    expect(carol.all.map((e) => e.execution_id)).toEqual([mine, mine])
    expect(carol.all.every((e) => e.user_id === "carol")).toBe(true)
    expect((await fetch(`${s.url}/api/v1/log?limit=0`, json(admin))).status).toBe(400)
    expect((await fetch(`${s.url}/api/v1/log?after=-1`, json(admin))).status).toBe(400)
    expect((await fetch(`${s.url}/api/v1/log`)).status).toBe(401)
  })

  it("GET /executions pages with a cursor: every execution once, newest first, while others append", async () => {
    const t = await s.token("read,ingest", "pager")
    const ids: string[] = []
    for (let i = 0; i < 7; i++) ids.push(await create(s, t, "pager"))
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const q: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
      const r = await fetch(`${s.url}/api/v1/executions?limit=3${q}`, json(t))
      expect(r.status).toBe(200)
      const page = (await r.json()) as { items: Array<{ id: string }>; next_cursor: string | null }
      seen.push(...page.items.map((i) => i.id))
      cursor = page.next_cursor
      await create(s, t, "pager") // a newer one does not move the pages
    } while (cursor !== null)
    expect(seen).toEqual([...ids].reverse())
    expect((await fetch(`${s.url}/api/v1/executions?cursor=zzz`, json(t))).status).toBe(400)
    expect((await fetch(`${s.url}/api/v1/executions?status=nope`, json(t))).status).toBe(400)
  })

  it("a token restricted to a user sees only that user's executions (another's is 404)", async () => {
    const mine = await s.token("read,ingest", "alice")
    const other = await create(s, admin, "bob")
    const own = await create(s, mine, "alice")
    expect((await fetch(`${s.url}/api/v1/executions/${other}`, json(mine))).status).toBe(404)
    expect((await append(s, mine, other, [plan()])).status).toBe(404)
    expect((await fetch(`${s.url}/api/v1/executions/${other}/events`, json(mine))).status).toBe(404)
    const list = (await (await fetch(`${s.url}/api/v1/executions?limit=1000`, json(mine))).json()) as {
      items: Array<{ id: string; user_id: string }>
    }
    expect(list.items.map((i) => i.id)).toEqual([own])
    const forOther = await fetch(`${s.url}/api/v1/executions`, json(mine, { user_id: "bob", event: message("bob") }))
    expect(forOther.status).toBe(403)
  })

  it("GET /stats with a token restricted to a user counts that user's executions only", async () => {
    const frank = await s.token("read,ingest", "frank")
    await create(s, frank, "frank")
    await create(s, admin, "erin")
    await create(s, admin, "erin")
    const count = async (token: string) => {
      const r = await fetch(`${s.url}/api/v1/stats`, json(token))
      expect(r.status).toBe(200)
      const body = (await r.json()) as { executions_by_status: Record<string, number> }
      return Object.values(body.executions_by_status).reduce((a, b) => a + b, 0)
    }
    expect(await count(frank)).toBe(1)
    expect(await count(reader)).toBeGreaterThanOrEqual(3)
  })

  it("GET /stats answers as stats --json", async () => {
    const r = await fetch(`${s.url}/api/v1/stats`, json(reader))
    expect(r.status).toBe(200)
    const body = (await r.json()) as Record<string, any>
    expect(body["since"]).toBeNull()
    expect(Object.keys(body["executions_by_status"]).sort()).toEqual(["completed", "failed", "pending", "running"])
    expect((await fetch(`${s.url}/api/v1/stats?since=yesterday`, json(reader))).status).toBe(400)
  })

  it("GET /openapi.json is a valid OpenAPI 3.1 document", async () => {
    const doc = await (await fetch(`${s.url}/api/v1/openapi.json`, json(reader))).json()
    const result = await new Validator().validate(doc as never)
    expect(result.valid).toBe(true)
  })

  it("GET /metrics is Prometheus text with appends by outcome and no token", async () => {
    const text = await (await fetch(`${s.url}/metrics`)).text()
    expect(text).toContain('cratos_appends_total{outcome="appended"}')
    expect(text).toContain("cratos_http_request_duration_seconds_bucket")
    expect(text).toContain("cratos_projector_lag_events")
    expect(text).not.toContain(admin)
    expect(text).not.toContain("cratos_" + admin.split("_")[1])
  })
})

describe("approvals", () => {
  it("lists a pending approval; a decision appends ApprovalReceived; nothing pending is 409", async () => {
    const approver = await s.token("read,approve")
    const id = await create(s, admin)
    await append(s, admin, id, [plan(), approvalRequested()])
    const list = (await (await fetch(`${s.url}/api/v1/approvals`, json(reader))).json()) as {
      items: Array<Record<string, any>>
    }
    const item = list.items.find((i) => i["execution_id"] === id)
    expect(item?.["action"]).toBe("exec rm -rf build")
    expect(item?.["risk_level"]).toBe("Destructive")
    expect(item?.["details"]["input_masked"]["password"]).toBe("***MASKED***")
    expect((await fetch(`${s.url}/api/v1/executions/${id}/approval`, json(reader, { approved: true }))).status).toBe(
      403
    )
    const r = await fetch(
      `${s.url}/api/v1/executions/${id}/approval`,
      json(approver, { approved: false, modified: "rm build/x" })
    )
    expect(r.status).toBe(200)
    expect(((await r.json()) as { version: number }).version).toBe(4)
    const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(reader))).json()) as {
      events: Array<Record<string, unknown>>
    }
    expect(shown.events[3]).toMatchObject({ type: "ApprovalReceived", approved: false, modified: "rm build/x" })
    const again = await fetch(`${s.url}/api/v1/executions/${id}/approval`, json(approver, { approved: true }))
    expect(again.status).toBe(409)
    await problem(again)
    // answered: no longer listed; asked again: listed again, with the new request
    const pendingOf = async () =>
      (
        (await (await fetch(`${s.url}/api/v1/approvals`, json(reader))).json()) as {
          items: Array<Record<string, any>>
        }
      ).items.find((i) => i["execution_id"] === id)
    expect(await pendingOf()).toBeUndefined()
    const asked = approvalRequested()
    expect((await append(s, admin, id, [asked])).status).toBe(200)
    expect(Date.parse((await pendingOf())?.["requested_at"])).toBe(Date.parse(asked.timestamp))
  })
})

describe("the login link and the session cookie", () => {
  const login = async (token: string) => {
    const r = await fetch(`${s.url}/?token=${token}`, { redirect: "manual" })
    return r
  }

  it("sets an HttpOnly SameSite=Strict cookie and redirects to / (no token in the address)", async () => {
    const r = await login(s.server.loginUrl.split("token=")[1]!)
    expect(r.status).toBe(303)
    expect(r.headers.get("location")).toBe("/")
    const cookie = r.headers.get("set-cookie") ?? ""
    expect(cookie).toMatch(/^cratos_session=/)
    expect(cookie).toContain("HttpOnly")
    expect(cookie).toContain("SameSite=Strict")
    expect(r.headers.get("referrer-policy")).toBe("no-referrer")
    const session = cookie.split(";")[0]!
    const same = await fetch(`${s.url}/api/v1/executions`, {
      headers: { cookie: session, "sec-fetch-site": "same-origin" }
    })
    expect(same.status).toBe(200)
    const cross = await fetch(`${s.url}/api/v1/executions`, {
      headers: { cookie: session, "sec-fetch-site": "cross-site" }
    })
    expect(cross.status).toBe(403)
    const id = await create(s, admin)
    await append(s, admin, id, [plan(), approvalRequested()])
    const noCsrf = await fetch(`${s.url}/api/v1/executions/${id}/approval`, {
      method: "POST",
      headers: { cookie: session, "content-type": "application/json", origin: s.url },
      body: JSON.stringify({ approved: true })
    })
    expect(noCsrf.status).toBe(403)
    const foreign = await fetch(`${s.url}/api/v1/executions/${id}/approval`, {
      method: "POST",
      headers: {
        cookie: session,
        "content-type": "application/json",
        origin: "http://evil.example",
        "x-cratos-csrf": "1"
      },
      body: JSON.stringify({ approved: true })
    })
    expect(foreign.status).toBe(403)
    const ok = await fetch(`${s.url}/api/v1/executions/${id}/approval`, {
      method: "POST",
      headers: { cookie: session, "content-type": "application/json", origin: s.url, "x-cratos-csrf": "1" },
      body: JSON.stringify({ approved: true })
    })
    expect(ok.status).toBe(200)
  })

  it("gives a browser session and a token masked copies; ?reveal=true the raw content to a reveal token only", async () => {
    const secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    const r = await login(s.server.loginUrl.split("token=")[1]!)
    const session = { cookie: (r.headers.get("set-cookie") ?? "").split(";")[0]!, "sec-fetch-site": "same-origin" }
    const id = await create(s, admin, "user-1", `use the token ${secret} to deploy`)
    await append(s, admin, id, [response(`deployed with ${secret}`)])
    const asSession = await (await fetch(`${s.url}/api/v1/executions/${id}`, { headers: session })).text()
    expect(asSession).not.toContain(secret)
    expect(asSession).toContain("use the token")
    const listed = await (await fetch(`${s.url}/api/v1/executions?limit=5`, { headers: session })).text()
    expect(listed).not.toContain(secret)
    const sse = await (await fetch(`${s.url}/api/v1/executions/${id}/events`, { headers: session })).text()
    expect(sse).toContain("event: ResponseSent")
    expect(sse).not.toContain(secret)
    const history = await (await fetch(`${s.url}/api/v1/executions/${id}/history`, { headers: session })).text()
    expect(history).toContain("ResponseSent")
    expect(history).not.toContain(secret)
    // the masked view, not the envelopes as stored
    expect(history).toContain("deployed with ***MASKED***")
    expect(history).not.toContain("cratos:enc:")
    const log = await (await fetch(`${s.url}/api/v1/log?limit=1000`, { headers: session })).text()
    expect(log).toContain("deployed with ***MASKED***")
    expect(log).not.toContain("cratos:enc:")
    expect(log).not.toContain(secret)
    const asToken = await (await fetch(`${s.url}/api/v1/executions/${id}`, json(reader))).text()
    expect(asToken).not.toContain(secret)
    expect(asToken).toContain("deployed with ***MASKED***")
    expect(await (await fetch(`${s.url}/api/v1/executions/${id}/history`, json(reader))).text()).not.toContain(secret)
    const refused = await fetch(`${s.url}/api/v1/executions/${id}?reveal=true`, json(reader))
    expect(refused.status).toBe(403)
    expect((await problem(refused))["detail"]).toBe("?reveal=true needs a token with the reveal scope")
    const sessionReveal = await fetch(`${s.url}/api/v1/executions/${id}?reveal=true`, { headers: session })
    expect(sessionReveal.status).toBe(403)
    await problem(sessionReveal)
    const revealer = await s.token("read,reveal")
    const revealed = await (await fetch(`${s.url}/api/v1/executions/${id}?reveal=true`, json(revealer))).text()
    expect(revealed).toContain(`deployed with ${secret}`)
    expect(revealed).toContain(`"text":"use the token ${secret} to deploy"`)
    const revealedHistory = await fetch(`${s.url}/api/v1/executions/${id}/history?reveal=true`, json(revealer))
    expect(await revealedHistory.text()).toContain(secret)
  })

  it("answers a bad link with 401 and a page saying how to get one; / without it says the same", async () => {
    const r = await login("cratos_nope")
    expect(r.status).toBe(401)
    expect(await r.text()).toContain("cratos serve")
    const home = await fetch(`${s.url}/`)
    expect(home.status).toBe(200)
    expect(await home.text()).toContain("login link")
  })
})

describe("limits", () => {
  it("answers a URL over the limit with 414 and a header block over it with 431", async () => {
    expect((await fetch(`${s.url}/api/v1/executions?search=${"a".repeat(9000)}`, json(reader))).status).toBe(414)
    const big = await fetch(`${s.url}/healthz`, { headers: { "x-big": "b".repeat(20_000) } })
    expect(big.status).toBe(431)
  })

  it("rate-limits each token with 429 and Retry-After", async () => {
    const limited = await startTestServer({ ratePerSecond: 2, rateBurst: 3 })
    try {
      const t = await limited.token("read")
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${limited.url}/api/v1/executions`, json(t))).status)
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200])
      const r = await fetch(`${limited.url}/api/v1/executions`, json(t))
      expect(r.status).toBe(429)
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
      await problem(r)
    } finally {
      await limited.close()
    }
  })
})
