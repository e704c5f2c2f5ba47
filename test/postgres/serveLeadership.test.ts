/**
 * Two `cratos serve --db postgres://…` with their in-process projectors on (the real bins): one
 * leads the projection (the session advisory lock the worker takes), the other waits and keeps
 * serving reads and writes, read-your-writes included (its reads wait for the leader's
 * projection). SIGKILL the leader: the standby takes over within 5 s and projects what is
 * written next, every event applied once.
 */
import { describe, expect, it } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import pg from "pg"
import { BIN, cratos, ROOT } from "../cli/harness.js"
import { json, message, plan, response } from "../server/support.js"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"
import { waitUntil } from "../support/waitUntil.js"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Server {
  readonly child: ChildProcess
  readonly log: () => string
  readonly exited: Promise<number | null>
}

const serve = (url: string): Server => {
  const env = { ...process.env }
  delete env["CRATOS_HOME"]
  const child = spawn(process.execPath, [BIN, "serve", "--db", url, "--port", "0"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"]
  })
  let text = ""
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (text += d))
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve))
  return { child, log: () => text, exited }
}

const baseOf = (s: Server) => /listening on (http:\/\/\S+)/.exec(s.log())?.[1]

describe.skipIf(!postgresAvailable())("cratos serve's in-process projector on PostgreSQL", () => {
  it("one server leads, the other serves reads and writes; SIGKILL the leader and the standby takes over", async () => {
    const url = await postgresDatabase("serve_leader")
    const token = (
      await cratos(["token", "create", "--name", "t", "--scopes", "read,ingest"], { db: url })
    ).stdout.trim()
    expect(token).toMatch(/^cratos_/)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const head = async () =>
      Number((await client.query<{ n: string }>(`SELECT max(id) AS n FROM execution_events`)).rows[0]!.n)
    const projectedTo = async (position: number) =>
      (await client.query<{ position: string }>(`SELECT position FROM projection_checkpoints`)).rows.every(
        (r) => Number(r.position) === position
      )
    const statusesVia = async (base: string) => {
      const r = await fetch(`${base}/api/v1/executions`, json(token))
      expect(r.status).toBe(200)
      return ((await r.json()) as { items: Array<{ status: string }> }).items.map((e) => e.status)
    }
    const a = serve(url)
    let b: Server | undefined
    try {
      await waitUntil("the first server to listen", () => baseOf(a) !== undefined)
      const created = await fetch(
        `${baseOf(a)}/api/v1/executions`,
        json(token, { user_id: "user-1", event: message("user-1", "first") })
      )
      expect(created.status).toBe(201)
      const id = ((await created.json()) as { execution_id: string }).execution_id
      expect(
        (await fetch(`${baseOf(a)}/api/v1/executions/${id}/events`, json(token, { events: [plan()] }))).status
      ).toBe(200)
      expect(await statusesVia(baseOf(a)!)).toEqual(["running"])

      b = serve(url)
      const standby = b
      await waitUntil("the second server to listen", () => baseOf(standby) !== undefined)
      // Past the standby's first try for the lead (it tries at start, then every second).
      await sleep(1_500)
      expect(await projectedTo(await head())).toBe(true)
      // The leader stops answering (its connections and its lock stay): the standby must not project.
      a.child.kill("SIGSTOP")
      const base = baseOf(standby)!
      expect(
        (await fetch(`${base}/api/v1/executions/${id}/events`, json(token, { events: [response()] }))).status
      ).toBe(200)
      // Its reads wait up to 2 s for the projection, then answer from the read model as it is.
      expect(await statusesVia(base)).toEqual(["running"])
      const written = await head()
      expect(await projectedTo(written)).toBe(false)

      // The leader dies: the standby takes over within 5 s and projects what it missed.
      const killedAt = Date.now()
      a.child.kill("SIGKILL")
      await waitUntil("the standby to project", () => projectedTo(written), 10_000)
      const takeover = Date.now() - killedAt
      process.stderr.write(`serve leader SIGKILLed: the standby server projected ${takeover} ms later\n`)
      expect(takeover).toBeLessThan(5_000)
      expect(await statusesVia(base)).toEqual(["completed"])
      // Every event applied once: the summary counts the three.
      const counted = await client.query<{ n: string }>(`SELECT event_count AS n FROM execution_summaries`)
      expect(counted.rows.map((r) => Number(r.n))).toEqual([3])

      standby.child.kill("SIGTERM")
      expect(await standby.exited).toBe(0)
    } finally {
      a.child.kill("SIGKILL")
      b?.child.kill("SIGKILL")
      await client.end()
    }
  }, 180_000)
})
