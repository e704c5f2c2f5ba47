/**
 * The tool sandbox through the whole agent (issue #7): `cratos run --planner llm` (the CLI's
 * main in this process) against a fake OpenAI-compatible endpoint on 127.0.0.1 whose plans ask
 * the tools to escape. With --approve yes, so that only the sandbox stands in the way:
 *  - file tools cannot leave the workspace: `..`, absolute paths, symlinks (to a folder or a
 *    file outside, a dangling one) — for file_read, file_list, file_search and file_write;
 *  - http_get refuses schemes other than http(s): file://, ftp://, data:, javascript:;
 * and with --approve no, exec never runs: the command's side effect does not happen (with yes,
 * as a control, it does).
 * After each run: the step did not succeed, nothing was written outside, and nothing read from
 * outside is in the database.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { completion, fakeLlm, json } from "../../apps/agent/src/planner/testing.js"
import { runCli } from "./cliInProcess.js"

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "cratos-sandbox-")))
process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }))
const workspace = path.join(root, "ws")
const outside = path.join(root, "outside")
const db = path.join(root, "cratos.db")
const SECRET = "OUTSIDE-CONTENT-7f3a9c"

type Step = { readonly tool: string; readonly input: Record<string, unknown> }
const plans = new Map<string, ReadonlyArray<Step>>()
let close: (() => Promise<void>) | undefined
let baseUrl = ""

beforeAll(async () => {
  fs.mkdirSync(workspace)
  fs.mkdirSync(outside)
  fs.writeFileSync(path.join(outside, "secret.txt"), `${SECRET}\n`)
  fs.writeFileSync(path.join(workspace, "inside.txt"), "inside\n")
  fs.symlinkSync(outside, path.join(workspace, "link-dir"))
  fs.symlinkSync(path.join(outside, "secret.txt"), path.join(workspace, "link-file"))
  fs.symlinkSync(path.join(outside, "not-yet.txt"), path.join(workspace, "dangling"))
  // The agent's fake endpoint, kept open (its scope) until afterAll.
  const live = await new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    Effect.runFork(
      Effect.scoped(
        Effect.gen(function* () {
          const f = yield* fakeLlm
          f.respond = (req, res) => {
            const scenario = decodeURIComponent(req.url.split("/")[1] ?? "")
            const steps = plans.get(scenario)
            if (steps === undefined) return json(res, 404, {})
            const plan = {
              goal: scenario,
              steps: steps.map((s, i) => ({ description: `step ${i}`, ...s, depends_on: [] }))
            }
            return json(res, 200, completion(JSON.stringify(plan)))
          }
          yield* Effect.async<void>((resume) => {
            resolve({ url: f.baseUrl.replace(/\/v1$/, ""), close: async () => resume(Effect.void) })
          })
        })
      )
    )
  })
  baseUrl = live.url
  close = live.close
  process.env["CRATOS_LLM_MODEL"] = "fake-model"
  process.env["CRATOS_LLM_API_KEY"] = "sk-test-sandbox"
})

afterAll(async () => {
  await close?.()
})

interface Outcome {
  readonly code: number
  readonly status: string
  readonly events: ReadonlyArray<Record<string, any>>
}

/** Runs one plan through `cratos run --planner llm` and returns its events. */
const runPlan = async (
  scenario: string,
  steps: ReadonlyArray<Step>,
  approve: "yes" | "no" = "yes"
): Promise<Outcome> => {
  plans.set(scenario, steps)
  process.env["CRATOS_LLM_BASE_URL"] = `${baseUrl}/${encodeURIComponent(scenario)}/v1`
  const r = await runCli([
    "run",
    `sandbox ${scenario}`,
    "--planner",
    "llm",
    "--workspace",
    workspace,
    "--approve",
    approve,
    "--json",
    "--db",
    db
  ])
  expect([0, 1], `${scenario}: ${r.stderr}`).toContain(r.code)
  const { execution_id, status } = JSON.parse(r.stdout) as { execution_id: string; status: string }
  const show = await runCli(["show", "--db", db, "--json", "--", execution_id])
  expect(show.code, show.stderr).toBe(0)
  return { code: r.code, status, events: (JSON.parse(show.stdout) as { events: Array<Record<string, any>> }).events }
}

const completed = (o: Outcome) => o.events.filter((e) => e["type"] === "ToolCompleted")
const counts = { escapes: 0, schemes: 0, execDeclined: 0 }
const reasons = new Set<string>()

/** The step ran and failed (or never ran), with an error saying why; nothing of the outside in it. */
const expectRefused = (o: Outcome, reason: RegExp) => {
  const done = completed(o)
  // The tool itself was asked (the plan was accepted) and it refused.
  expect(done.length, JSON.stringify(o.events.map((e) => e["type"]))).toBe(1)
  expect(
    done.every((e) => e["output"]["success"] === false),
    JSON.stringify(done)
  ).toBe(true)
  const text = JSON.stringify(o.events)
  expect(text).not.toContain(SECRET)
  expect(String(done[0]!["output"]["error"])).toMatch(reason)
  reasons.add(String(done[0]!["output"]["error"]).replaceAll(root, "<tmp>").slice(0, 80))
}

describe("file tools stay inside the workspace", () => {
  const reads: ReadonlyArray<readonly [string, Step]> = [
    ["read ..", { tool: "file_read", input: { path: "../outside/secret.txt" } }],
    ["read absolute", { tool: "file_read", input: { path: path.join(outside, "secret.txt") } }],
    ["read via dir symlink", { tool: "file_read", input: { path: "link-dir/secret.txt" } }],
    ["read via file symlink", { tool: "file_read", input: { path: "link-file" } }],
    ["read ./../", { tool: "file_read", input: { path: "./inside.txt/../../outside/secret.txt" } }],
    ["list ..", { tool: "file_list", input: { path: ".." } }],
    ["list absolute", { tool: "file_list", input: { path: outside } }],
    ["list dir symlink", { tool: "file_list", input: { path: "link-dir" } }],
    ["search ..", { tool: "file_search", input: { query: "OUTSIDE", path: ".." } }],
    ["search absolute", { tool: "file_search", input: { query: "OUTSIDE", path: outside } }]
  ]
  for (const [name, step] of reads) {
    it(`${name}: refused, nothing from outside recorded`, async () => {
      const o = await runPlan(name, [step])
      expectRefused(o, /outside the workspace|Permission|not allowed|refus/i)
      counts.escapes++
    })
  }

  it("search of the workspace does not follow a symlink out of it", async () => {
    const o = await runPlan("search .", [{ tool: "file_search", input: { query: "OUTSIDE", path: "." } }])
    expect(JSON.stringify(o.events)).not.toContain(SECRET)
    counts.escapes++
  })

  const writes: ReadonlyArray<readonly [string, Step, string]> = [
    ["write ..", { tool: "file_write", input: { path: "../escape.txt", content: "x" } }, path.join(root, "escape.txt")],
    [
      "write absolute",
      { tool: "file_write", input: { path: path.join(outside, "abs.txt"), content: "x" } },
      path.join(outside, "abs.txt")
    ],
    [
      "write via dir symlink",
      { tool: "file_write", input: { path: "link-dir/new.txt", content: "x" } },
      path.join(outside, "new.txt")
    ],
    ["write via file symlink", { tool: "file_write", input: { path: "link-file", content: "overwritten" } }, ""],
    [
      "write via dangling symlink",
      { tool: "file_write", input: { path: "dangling", content: "x" } },
      path.join(outside, "not-yet.txt")
    ]
  ]
  for (const [name, step, target] of writes) {
    it(`${name}: refused even when approved, nothing written outside`, async () => {
      const o = await runPlan(name, [step], "yes")
      expectRefused(o, /outside the workspace|Permission|symlink|refus/i)
      if (target !== "") expect(fs.existsSync(target), target).toBe(false)
      expect(fs.readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe(`${SECRET}\n`)
      counts.escapes++
    })
  }
})

describe("http_get refuses other schemes", () => {
  for (const url of [
    "file:///etc/passwd",
    `file://${path.join(outside, "secret.txt")}`,
    "ftp://127.0.0.1/x",
    "data:text/plain,hello",
    "javascript:alert(1)",
    "gopher://127.0.0.1:70/x"
  ]) {
    it(`${url.slice(0, 30)}: refused`, async () => {
      const o = await runPlan(`get ${url}`, [{ tool: "http_get", input: { url } }])
      expectRefused(o, /scheme|http|Validation/i)
      expect(JSON.stringify(o.events)).not.toContain("root:x:0:0")
      counts.schemes++
    })
  }
})

describe("exec never runs without an approval", () => {
  it("--approve no: the command's side effect does not happen; --approve yes (control): it does", async () => {
    const marker = path.join(outside, "exec-marker")
    const step: Step = { tool: "exec", input: { command: `touch ${marker}` } }
    const declined = await runPlan("exec declined", [step], "no")
    expect(fs.existsSync(marker)).toBe(false)
    expect(declined.events.some((e) => e["type"] === "ApprovalReceived" && e["approved"] === false)).toBe(true)
    expect(declined.events.some((e) => e["type"] === "ToolInvoked")).toBe(false)
    counts.execDeclined++
    const approved = await runPlan("exec approved", [step], "yes")
    expect(approved.status).toBe("completed")
    expect(fs.existsSync(marker)).toBe(true)
    fs.rmSync(marker)
  })

  it("prints the counts", () => {
    console.log(
      `tool sandbox: ${counts.escapes} workspace escapes refused (.., absolute, symlinks; read/list/search/write), ` +
        `${counts.schemes} non-http(s) URLs refused, exec declined ${counts.execDeclined}/${counts.execDeclined} without side effect; ` +
        `0 files written outside, 0 outside bytes recorded`
    )
    console.log(`tool sandbox: refusals seen: ${[...reasons].join(" | ")}`)
    expect(counts).toEqual({ escapes: 16, schemes: 6, execDeclined: 1 })
  })
})
