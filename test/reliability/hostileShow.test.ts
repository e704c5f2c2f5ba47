/**
 * Hostile values up to `cratos show` (issue #7, the last step of the path in
 * hostileValues.test.ts): an execution holding `__proto__`/`constructor` keys, a 10 MB response,
 * a value nested to just under serde_json's limit, emoji and terminal escape sequences is shown
 * by the real `cratos show <id> --db F` with exit 0 and a bounded timeline; `--json` and
 * `export` give back exactly what was appended, key for key; list works.
 */
import { Events, type ExecutionEvent, type MessageReceived, Timestamp } from "@cratos/domain"
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "vitest"
import { runCli } from "../security/cliInProcess.js"
import { messageReceived } from "../store/helpers.js"
import { sameJson } from "../support/sameJson.js"

const ROOT = fileURLToPath(new URL("../..", import.meta.url))
const at = Timestamp.unsafeMake("2025-11-26T10:10:37.250Z")
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-hshow-"))
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }))
const db = path.join(dir, "cratos.db")
const ID = "hostile-0000-4000-8000-000000000001"
const TEN_MB = 10 * 1024 * 1024

const nested = (depth: number): unknown => {
  let v: unknown = "bottom"
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v]
  return v
}

const ESCAPES = "\u001b]0;pwned\u0007\u001b[2J\u001b[31m"
const hostileInput = JSON.parse(
  `{"__proto__":{"polluted":"yes","password":"p"},"constructor":{"prototype":{"polluted":"yes"}},"esc":${JSON.stringify(ESCAPES)},"emoji":"😀𝄞"}`
) as Record<string, unknown>

let appended: ReadonlyArray<ExecutionEvent> = []

beforeAll(async () => {
  appended = [
    messageReceived({ text: `hostile ${ESCAPES} text 😀` }),
    Events.toolInvoked({ tool: "file_read", input: hostileInput, timestamp: at }),
    // 120 levels inside output.output: 123 from the event object, under serde_json's 128.
    Events.toolCompleted({
      tool: "file_read",
      output: { success: true, output: nested(120), error: null },
      duration_ms: 1,
      timestamp: at
    }),
    Events.responseSent({ text: "z".repeat(TEN_MB), channel: "cli", timestamp: at })
  ]
  await Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.startExecution(ID, appended[0] as MessageReceived)
      yield* store.append(ID, appended.slice(1), { expectedVersion: 1 })
    }).pipe(Effect.provide(EventStore.layer({ path: db })))
  )
}, 60_000)

const bin = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "apps/agent/bin/cratos.mjs"), ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe("cratos show on a hostile execution", () => {
  it("the real `cratos show <id> --db F`: exit 0, a bounded timeline that names the keys", async () => {
    const r = await bin(["show", ID, "--db", db])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe("")
    expect(r.stdout.length).toBeLessThan(64 * 1024)
    expect(r.stdout).toContain("__proto__")
    expect(r.stdout).toContain("completed")
    console.log(
      `hostile show: cratos show exit ${r.code}, ${r.stdout.length} bytes for an execution of ${TEN_MB + 1000}+ bytes`
    )
  }, 60_000)

  it("show --json --reveal and export give back exactly what was appended, key for key", async () => {
    const show = await runCli(["show", "--db", db, "--json", "--reveal", "--", ID])
    expect(show.code, show.stderr).toBe(0)
    const events = (JSON.parse(show.stdout) as { events: Array<unknown> }).events
    expect(events.length).toBe(appended.length)
    events.forEach((e, i) => expect(sameJson(appended[i], e), `event ${i}`).toBe(true))
    const input = (events[1] as { input: Record<string, unknown> }).input
    expect(Object.prototype.hasOwnProperty.call(input, "__proto__")).toBe(true)
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()

    const exported = await runCli(["export", "--db", db, "--", ID])
    expect(exported.code, exported.stderr).toBe(0)
    const lines = exported.stdout
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { event: unknown })
    expect(lines.length).toBe(appended.length)
    lines.forEach((l, i) => expect(sameJson(appended[i], l.event), `exported event ${i}`).toBe(true))

    const list = await runCli(["list", "--db", db, "--json"])
    expect(list.code, list.stderr).toBe(0)
    expect((JSON.parse(list.stdout) as Array<{ id: string }>).map((r) => r.id)).toEqual([ID])
  }, 60_000)

  // Found by this test: the human timeline and list printed stored text with its control
  // characters raw, so a chat message could carry terminal escape sequences (retitle, clear,
  // recolour, OSC 8/52) into the terminal of whoever reads it. The CLI's output now writes
  // C0/C1 controls (but \n and \t) visibly as \u001b.
  it("the human show and list print no raw control characters from the data", async () => {
    for (const args of [
      ["show", "--db", db, "--", ID],
      ["list", "--db", db]
    ]) {
      const r = await runCli(args)
      expect(r.code).toBe(0)
      expect(r.stdout, args[0]).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    }
  })
})
