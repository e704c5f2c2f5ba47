/**
 * The CLI side of the server, as real processes: `cratos token create|list|revoke`, `cratos serve`
 * (the two lines on stderr, SIGTERM → exit 0), and `cratos --server URL --token T
 * list|show|stats|export` printing exactly what the local commands print.
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { BIN, cratos, ROOT, tempDir } from "../cli/harness.js"

describe("cratos token, serve and --server", () => {
  it("makes tokens, serves, and reads remotely what the local commands print", async () => {
    const db = path.join(tempDir(), "cratos.db")
    const created = await cratos(["token", "create", "--name", "ci", "--scopes", "read,ingest"], { db })
    expect(created.code).toBe(0)
    const token = created.stdout.trim()
    expect(created.stdout).toMatch(/^cratos_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/)
    const listed = await cratos(["token", "list"], { db })
    expect(listed.stdout).toContain("ci    read,ingest  -")
    expect(listed.stdout).not.toContain(token)
    expect((await cratos(["token", "create", "--name", "ci", "--scopes", "read"], { db })).code).toBe(1)
    expect((await cratos(["token", "create", "--name", "x", "--scopes", "root"], { db })).code).toBe(2)
    await cratos(["run", "read notes.txt", "--json"], { db, env: { USER: "tester" } })
    await cratos(["run", "list the files", "--json"], { db, env: { USER: "other" } })
    const ids = (JSON.parse((await cratos(["list", "--json"], { db })).stdout) as Array<{ id: string }>).map(
      (row) => row.id
    )
    expect(ids).toHaveLength(2)

    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--db", db], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"]
    })
    let stderr = ""
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr += d
        const m = /cratos: listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stderr)
        if (m?.[1] !== undefined && /cratos: open http:\/\/127\.0\.0\.1:\d+\/\?token=cratos_/.test(stderr))
          resolve(m[1])
      })
      child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)))
    })
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve))
    try {
      const t0 = performance.now()
      const reads = [
        ["list"],
        ["list", "--has-failures"],
        ["show", "last", "--json"],
        ["show", "last", "--full"],
        ["show", "last", "--at", "2"],
        ["stats", "--json"],
        ["export", "--all"],
        ["export", ...ids],
        ["export", "last"]
      ]
      for (const args of reads) {
        const local = await cratos(args, { db })
        const remote = await cratos(["--server", url, "--token", token, ...args])
        expect(remote.code).toBe(0)
        expect(remote.stdout).toBe(local.stdout)
      }
      console.log(
        `${reads.length} local + ${reads.length} remote reads: ${((performance.now() - t0) / 1000).toFixed(1)} s`
      )
      const dir = tempDir()
      const exports = { local: path.join(dir, "local.jsonl"), remote: path.join(dir, "remote.jsonl") }
      const local = await cratos(["export", "--all", "--out", exports.local], { db })
      const remote = await cratos(["--server", url, "--token", token, "export", "--all", "--out", exports.remote])
      expect(remote.code).toBe(0)
      expect(remote.stderr).toBe(local.stderr.replace(exports.local, exports.remote))
      expect(local.stderr).toMatch(/^cratos: exported \d+ events to /)
      expect(readFileSync(exports.remote)).toEqual(readFileSync(exports.local))
      // --all paged through the whole log (bounded memory), not through every execution's history
      const metrics = await (await fetch(`${url}/metrics`)).text()
      expect(metrics).toMatch(/cratos_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/log"[^}]*\} [1-9]/)
      const missing = "00000000-0000-4000-8000-000000000000"
      const unknown = await cratos(["--server", url, "--token", token, "export", ids[0]!, missing])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toBe(`cratos: no execution ${missing}\n`)
      expect(unknown.stderr).toBe((await cratos(["export", ids[0]!, missing], { db })).stderr)
      const refused = await cratos(["--server", url, "--token", "cratos_nope", "list"])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toBe("cratos: the bearer token is not a valid token\n")
      expect((await cratos(["token", "revoke", "ci"], { db })).code).toBe(0)
    } finally {
      child.kill("SIGTERM")
    }
    expect(await exited).toBe(0)
  }, 600_000)
})
