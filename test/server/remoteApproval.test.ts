/**
 * `cratos run … --approve remote` and the chat session with `--approve remote` (real processes)
 * wait for a decision posted through the API of a real server on the same database, and go on
 * within a second of it (the delay is printed; the 100 ms poll is what bounds it).
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BIN, cratos, ROOT, tempDir } from "../cli/harness.js"
import { json, startTestServer, type TestServer } from "./support.js"

let s: TestServer
let approver: string

beforeAll(async () => {
  s = await startTestServer()
  approver = await s.token("read,approve")
})
afterAll(() => s.close())

/** The execution waiting for a decision (polled through GET /api/v1/approvals), once there is one. */
const pendingExecution = async (): Promise<string | undefined> => {
  for (let i = 0; i < 600; i++) {
    const list = (await (await fetch(`${s.url}/api/v1/approvals`, json(approver))).json()) as {
      items: Array<{ execution_id: string }>
    }
    const id = list.items[0]?.execution_id
    if (id !== undefined) return id
    await new Promise((r) => setTimeout(r, 100))
  }
  return undefined
}

describe("cratos run --approve remote", () => {
  it("waits for the API's decision and goes on within a second of it", async () => {
    const workspace = tempDir()
    const run = cratos(["run", "write out.txt: hello", "--workspace", workspace, "--approve", "remote", "--json"], {
      db: s.db,
      env: { USER: "tester" }
    })
    const id = await pendingExecution()
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

describe("cratos chat --approve remote", () => {
  it("waits for the API's decision, then the session goes on with its next message", async () => {
    const workspace = tempDir()
    const env: Record<string, string> = { ...(process.env as Record<string, string>), USER: "chatter", CRATOS_DB: s.db }
    delete env["CRATOS_HOME"]
    const child = spawn(process.execPath, [BIN, "chat", "--workspace", workspace, "--approve", "remote", "--json"], {
      cwd: ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"]
    })
    // stdout lines (one JSON object per execution) with the time each arrived
    const lines: Array<{ at: number; text: string }> = []
    let pending = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      pending += d
      let end: number
      while ((end = pending.indexOf("\n")) !== -1) {
        lines.push({ at: performance.now(), text: pending.slice(0, end) })
        pending = pending.slice(end + 1)
      }
    })
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve))
    // the session stays open (stdin not ended) while the first message waits for its approval
    child.stdin.write("write chat-remote.txt: hello\n")

    const id = await pendingExecution()
    expect(id).toBeDefined()
    expect(lines).toHaveLength(0)
    const decided = await fetch(`${s.url}/api/v1/executions/${id}/approval`, json(approver, { approved: true }))
    expect(decided.status).toBe(200)
    const answered = performance.now()
    for (let i = 0; i < 600 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(lines).toHaveLength(1)
    console.log(`chat --approve remote went on ${(lines[0]!.at - answered).toFixed(0)} ms after the decision`)
    expect(JSON.parse(lines[0]!.text)).toMatchObject({ execution_id: id, status: "completed" })
    expect(fs.readFileSync(path.join(workspace, "chat-remote.txt"), "utf8")).toBe("hello")

    // the same session takes the next message (a read: no approval needed)
    child.stdin.end("read chat-remote.txt\n")
    expect(await exited).toBe(0)
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[1]!.text)).toMatchObject({ status: "completed", response: "hello" })
    expect(stderr).toContain("waiting for a decision")
    expect(stderr).toContain("approved through the API")
    const shown = (await (await fetch(`${s.url}/api/v1/executions/${id}`, json(approver))).json()) as {
      events: Array<{ type: string }>
    }
    expect(shown.events.filter((e) => e.type === "ApprovalReceived")).toHaveLength(1)
  }, 120_000)
})
