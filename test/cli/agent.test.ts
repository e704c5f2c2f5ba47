/**
 * The commands that run the agent, end to end through the real `cratos` process: run (read,
 * write with and without approval, a failing tool), replay (view, dry-run, rerun), the piped
 * chat session, and read-your-writes (list/show right after a run).
 */
import { beforeAll, describe, expect, it, vi } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { cratos, lines, tempDir } from "./harness.js"

vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 })

const dir = tempDir()
const db = path.join(dir, "cratos.db")
const workspace = path.join(dir, "ws")
const json = (text: string): any => JSON.parse(text)
const env = { USER: "tester" }

beforeAll(() => {
  fs.mkdirSync(workspace)
  fs.writeFileSync(path.join(workspace, "notes.txt"), "remember the milk\n")
})

describe("cratos run", () => {
  it("a read completes, its response holds the file's text, and list/show see it at once", async () => {
    const r = await cratos(["run", "read notes.txt", "--workspace", workspace, "--json"], { db, env })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const result = json(r.stdout)
    expect(Object.keys(result)).toEqual(["execution_id", "status", "response"])
    expect(result.status).toBe("completed")
    expect(result.response).toContain("remember the milk")

    const [list, show] = await Promise.all([
      cratos(["list", "--json", "--limit", "1"], { db }),
      cratos(["show", result.execution_id, "--json"], { db })
    ])
    expect(json(list.stdout)[0]).toMatchObject({
      id: result.execution_id,
      user_id: "tester",
      channel: "cli",
      status: "completed",
      input_text: "read notes.txt",
      tool_calls: 1,
      tools_used: ["file_read"]
    })
    const events = json(show.stdout).events
    expect(events.map((e: any) => e.type)).toEqual([
      "MessageReceived",
      "PlanGenerated",
      "ToolInvoked",
      "ToolCompleted",
      "ResponseSent"
    ])
    expect(events[0].message).toMatchObject({ text: "read notes.txt", user_id: "tester", channel_type: "cli" })
  })

  it("prints the response for people, with the id and status on stderr", async () => {
    const r = await cratos(["run", "read", "notes.txt", "--workspace", workspace], { db, env })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe("remember the milk\n")
    expect(r.stderr).toMatch(/^\(execution [0-9a-f-]{36}: completed\)\n$/)
  })

  it("a write with --approve no writes nothing and says so; with --approve yes it writes", async () => {
    const target = path.join(workspace, "out.txt")
    const no = await cratos(["run", "write out.txt: hello", "--workspace", workspace, "--approve", "no", "--json"], {
      db,
      env
    })
    expect(no.code).toBe(0)
    const declined = json(no.stdout)
    expect(declined.response).toMatch(/declined/)
    expect(fs.existsSync(target)).toBe(false)
    const timeline = await cratos(["show", declined.execution_id], { db })
    expect(timeline.stdout).toContain("⚠️ approval requested (Write) step 1: file_write")
    expect(timeline.stdout).toContain("❌ declined")
    expect(timeline.stdout).not.toContain("🔧")

    const yes = await cratos(["run", "write out.txt: hello", "--workspace", workspace, "--approve", "yes", "--json"], {
      db,
      env
    })
    expect(yes.code).toBe(0)
    expect(json(yes.stdout).status).toBe("completed")
    expect(fs.readFileSync(target, "utf8")).toBe("hello")
  })

  it("without a terminal the default is no: nothing is written", async () => {
    const r = await cratos(["run", "write default.txt: x", "--workspace", workspace, "--json"], { db, env })
    expect(json(r.stdout).response).toMatch(/declined/)
    expect(fs.existsSync(path.join(workspace, "default.txt"))).toBe(false)
  })

  it("a failing tool (a missing file): the execution completes with a recoverable error, shown in show", async () => {
    const r = await cratos(["run", "read missing.txt", "--workspace", workspace, "--json"], { db, env })
    const result = json(r.stdout)
    expect(result.status).toBe("completed")
    expect(result.response).toMatch(/missing\.txt.*(no such file|not found)/i)
    const [show, list] = await Promise.all([
      cratos(["show", result.execution_id], { db }),
      cratos(["list", "--json", "--limit", "1"], { db })
    ])
    expect(show.stdout).toMatch(/✖ file_read failed in \d+ms: missing\.txt/)
    expect(show.stdout).toMatch(/🔥 Validation error \(recoverable\): .*missing\.txt/)
    expect(json(list.stdout)[0]).toMatchObject({ id: result.execution_id, tool_failures: 1, error_count: 1 })
  })

  it("a workspace that does not exist is a bad value: usage, exit 2, nothing recorded", async () => {
    const before = json((await cratos(["list", "--json", "--limit", "10000"], { db })).stdout).length
    const r = await cratos(["run", "read notes.txt", "--workspace", path.join(dir, "nope")], { db, env })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^cratos: --workspace: no such folder .*nope\n\nUsage: cratos run/)
    expect(json((await cratos(["list", "--json", "--limit", "10000"], { db })).stdout)).toHaveLength(before)
  })
})

describe("cratos replay", () => {
  it("view is the timeline; dry-run plans again and records nothing; rerun records a new execution", async () => {
    const original = json(
      (await cratos(["run", "write again.txt: hi", "--workspace", workspace, "--approve", "no", "--json"], { db, env }))
        .stdout
    )
    const id = original.execution_id
    const count = async () => json((await cratos(["list", "--json", "--limit", "10000"], { db })).stdout).length
    const before = await count()

    const [view, show, dry, dryJson] = await Promise.all([
      cratos(["replay", id, "--mode", "view"], { db }),
      cratos(["show", id], { db }),
      cratos(["replay", id, "--mode", "dry-run"], { db }),
      cratos(["replay", id, "--mode", "dry-run", "--json"], { db })
    ])
    expect(view.stdout).toBe(show.stdout)
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`Dry run of ${id}: nothing is run or recorded.`)
    expect(dry.stdout).toContain("1. file_write [Write, needs approval]")
    expect(json(dryJson.stdout)).toMatchObject({
      execution_id: id,
      mode: "dry-run",
      estimated_risk: "Write",
      requires_approval: true,
      steps: [
        {
          index: 0,
          tool: "file_write",
          risk: "Write",
          needs_approval: true,
          input_masked: { path: "again.txt", content: "hi" },
          depends_on: []
        }
      ]
    })
    expect(await count()).toBe(before)
    expect(fs.existsSync(path.join(workspace, "again.txt"))).toBe(false)

    const rerun = await cratos(
      ["replay", id, "--mode", "rerun", "--approve", "yes", "--workspace", workspace, "--json"],
      { db, env }
    )
    expect(rerun.code).toBe(0)
    const result = json(rerun.stdout)
    expect(result).toMatchObject({ status: "completed", rerun_of: id })
    expect(result.execution_id).not.toBe(id)
    expect(fs.readFileSync(path.join(workspace, "again.txt"), "utf8")).toBe("hi")
    const shown = json((await cratos(["show", result.execution_id, "--json"], { db })).stdout)
    expect(shown.events[0].message).toMatchObject({ text: "write again.txt: hi", thread_id: id })
    expect(await count()).toBe(before + 1)
  })

  it("an unknown id is one line, exit 1", async () => {
    const r = await cratos(["replay", "nope", "--mode", "rerun"], { db })
    expect(r).toEqual({ code: 1, stdout: "", stderr: "cratos: no execution nope\n" })
  })
})

describe("cratos with stdin on a pipe", () => {
  it("runs each line as a message; session commands work; --json gives one line per execution", async () => {
    const input = ["read notes.txt", "", "write piped.txt: x", "/quit", "read notes.txt"].join("\n")
    const r = await cratos(["--workspace", workspace, "--json"], { db, env, input })
    expect(r.code).toBe(0)
    const results = lines(r.stdout).map(json)
    expect(results).toHaveLength(2)
    expect(results[0]).toMatchObject({ status: "completed", response: "remember the milk\n" })
    expect(results[1].response).toMatch(/declined/)
    expect(fs.existsSync(path.join(workspace, "piped.txt"))).toBe(false)

    const human = await cratos(["--workspace", workspace], { db, env, input: "read notes.txt\n/show last\n" })
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^remember the milk\nExecution [0-9a-f-]{36}\n/)
    expect(human.stdout).toContain("💬 response via cli: remember the milk")
  })
})
