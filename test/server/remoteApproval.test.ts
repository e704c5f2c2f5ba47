/**
 * `cratos run … --approve remote` (a real process) waits for a decision posted through the API
 * of a real server on the same database, and goes on within a second of it.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cratos, tempDir } from "../cli/harness.js"
import { json, startTestServer, type TestServer } from "./support.js"

let s: TestServer
let approver: string

beforeAll(async () => {
  s = await startTestServer()
  approver = await s.token("read,approve")
})
afterAll(() => s.close())

describe("cratos run --approve remote", () => {
  it("waits for the API's decision and goes on within a second of it", async () => {
    const workspace = tempDir()
    const run = cratos(["run", "write out.txt: hello", "--workspace", workspace, "--approve", "remote", "--json"], {
      db: s.db,
      env: { USER: "tester" }
    })
    let id: string | undefined
    for (let i = 0; i < 600 && id === undefined; i++) {
      const list = (await (await fetch(`${s.url}/api/v1/approvals`, json(approver))).json()) as {
        items: Array<{ execution_id: string }>
      }
      id = list.items[0]?.execution_id
      if (id === undefined) await new Promise((r) => setTimeout(r, 100))
    }
    expect(id).toBeDefined()
    const decided = await fetch(`${s.url}/api/v1/executions/${id}/approval`, json(approver, { approved: true }))
    expect(decided.status).toBe(200)
    const answered = performance.now()
    const result = await run
    console.log(`run --approve remote finished ${(performance.now() - answered).toFixed(0)} ms after the decision`)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ execution_id: id, status: "completed" })
    expect(result.stderr).toContain("waiting for a decision")
    expect(fs.readFileSync(path.join(workspace, "out.txt"), "utf8")).toBe("hello")
    const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(approver))).json()) as {
      events: Array<{ type: string }>
    }
    expect(shown.events.filter((e) => e.type === "ApprovalReceived")).toHaveLength(1)
  }, 90_000)
})
