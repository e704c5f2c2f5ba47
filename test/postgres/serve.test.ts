/**
 * `cratos serve --db postgres://…` with the real bins: a run recorded through the CLI on the same
 * server is listed by the API (a token created on PostgreSQL by `cratos token create`), and the
 * server stops with exit 0 on SIGTERM.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { BIN, cratos, ROOT } from "../cli/harness.js"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"

describe.skipIf(!postgresAvailable())("cratos serve on PostgreSQL", () => {
  it("lists over HTTP what cratos run recorded on the same server; exits 0 on SIGTERM", async () => {
    const url = await postgresDatabase("serve")
    const ran = await cratos(["run", "read README.md"], { db: url })
    expect(ran.code, ran.stderr).toBe(0)
    const token = (await cratos(["token", "create", "--name", "t", "--scopes", "read"], { db: url })).stdout.trim()
    expect(token).toMatch(/^cratos_/)
    const env = { ...process.env }
    delete env["CRATOS_HOME"]
    const server = spawn(process.execPath, [BIN, "serve", "--db", url, "--port", "0"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "ignore", "pipe"]
    })
    let stderr = ""
    server.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => server.on("close", resolve))
    try {
      const start = Date.now()
      while (!/listening on (http:\/\/\S+)/.test(stderr)) {
        if (Date.now() - start > 60_000) throw new Error(`serve did not start: ${stderr}`)
        await new Promise((r) => setTimeout(r, 50))
      }
      const base = /listening on (http:\/\/\S+)/.exec(stderr)![1]!
      const res = await fetch(`${base}/api/v1/executions`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { items: Array<{ input_text: string; status: string }> }
      expect(body.items.map((e) => [e.input_text, e.status])).toEqual([["read README.md", "completed"]])
      server.kill("SIGTERM")
      expect(await exited).toBe(0)
      expect(stderr).not.toContain(new URL(url).password)
    } finally {
      server.kill("SIGKILL")
    }
  }, 120_000)
})
