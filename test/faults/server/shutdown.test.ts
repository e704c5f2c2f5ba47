/**
 * SIGTERM under load: `cratos-serve` (a real process) stops accepting, finishes what is in
 * flight, ends its SSE streams and exits 0; every append it answered 200 is stored, and none it
 * did not answer is (nothing half done).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createToken, TokenStore } from "@cratos/server"
import { Database, EventStore } from "@cratos/store"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { append, json, message, recoverable } from "../../server/support.js"
import { openSse } from "../../server/sse.js"

const dir = mkdtempSync(join(tmpdir(), "cratos-shutdown-"))
const db = join(dir, "cratos.db")
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const bin = new URL("../../../apps/server/bin/cratos-serve.mjs", import.meta.url).pathname

describe("cratos serve on SIGTERM", () => {
  it("finishes in-flight requests, ends SSE streams, exits 0, and leaves nothing half written", async () => {
    const token = await Effect.runPromise(
      createToken({ name: "load", scopes: "read,ingest" }).pipe(
        Effect.provide(TokenStore.layer),
        Effect.provide(Database.layer({ path: db }))
      )
    )
    const child = spawn(process.execPath, [bin, "--port", "0", "--db", db], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString()
        const m = /listening on (http:\/\/\S+)/.exec(stderr)
        if (m?.[1] !== undefined) resolve(m[1])
      })
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)))
    })
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    const s = { url } as Parameters<typeof append>[0]

    const ids: string[] = []
    for (let c = 0; c < 8; c++) {
      const r = await fetch(`${url}/api/v1/executions`, json(token, { user_id: "u", event: message("u") }))
      ids.push(((await r.json()) as { execution_id: string }).execution_id)
    }
    const sse = await openSse(`${url}/api/v1/events`, { authorization: `Bearer ${token}` })
    const ok = new Map<string, number>(ids.map((id) => [id, 0]))
    const statuses = new Map<string, number>()
    let stop = false
    const clients = ids.map(async (id, c) => {
      for (let i = 0; !stop && i < 100_000; i++) {
        try {
          const r = await append(s, token, id, [recoverable(`c${c}-${i}`)])
          await r.arrayBuffer()
          statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1)
          if (r.status === 200) ok.set(id, ok.get(id)! + 1)
        } catch {
          statuses.set("refused", (statuses.get("refused") ?? 0) + 1)
          if (stop || child.exitCode !== null) return
          await new Promise((r) => setTimeout(r, 20))
        }
      }
    })
    await new Promise((r) => setTimeout(r, 3_000))
    child.kill("SIGTERM")
    const code = await exited
    stop = true
    await Promise.all(clients)
    await sse.closed
    console.log(`SIGTERM under load: exit ${code}, answers ${JSON.stringify([...statuses])}`)
    expect(code).toBe(0)
    expect(statuses.get("200") ?? 0).toBeGreaterThan(0)
    expect([...statuses.keys()].filter((k) => k.startsWith("5"))).toEqual([])

    const stored = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* EventStore
        const out = new Map<string, number>()
        for (const id of ids) out.set(id, (yield* store.readStream(id)).length - 1)
        return out
      }).pipe(Effect.provide(EventStore.layer({ path: db })))
    )
    expect(stored).toEqual(ok)
  })
})
