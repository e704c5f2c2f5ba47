/**
 * No secret from the environment or the LLM API key ever reaches the database, a log line or an
 * error message (issue #7). The test plants a key (CRATOS_LLM_API_KEY) and secret env vars, then
 * runs the real `cratos run --planner llm` against a fake OpenAI-compatible endpoint on
 * 127.0.0.1 (the agent's own fake, apps/agent/src/planner/testing.ts) in several ways — a plan
 * that runs `env` and reads the environment, 401, unreachable, 500 and non-JSON answers that
 * echo the Authorization header back, a plan that echoes it — and the read commands after; then
 * it greps every file under CRATOS_HOME (the database, its -wal and -shm: a reader connection
 * is held open so the WAL is not removed) and all stdout/stderr for the planted values.
 *
 * In the fault suite: a dozen CLI processes.
 */
import BetterSqlite3 from "better-sqlite3"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { completion, fakeLlm, json } from "../../../apps/agent/src/planner/testing.js"
import { repoRoot, tempDir } from "../children.js"

const BIN = path.join(repoRoot, "apps/agent/bin/cratos.mjs")

interface Run {
  readonly args: ReadonlyArray<string>
  readonly stdout: string
  readonly stderr: string
  readonly code: number | null
}

const cratos = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, cwd: string): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ args, stdout, stderr, code }))
  })

/** A port nothing listens on (bound, then closed). */
const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer()
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })

/** Every file under a folder, recursively. */
const filesUnder = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : []
  })

const hex = () => randomBytes(12).toString("hex")

const planted = {
  CRATOS_LLM_API_KEY: `sk-test-PLANTED-${hex()}`,
  GITHUB_TOKEN: `ghp_PLANTED${hex()}`,
  AWS_SECRET_ACCESS_KEY: `PLANTEDaws${hex()}`,
  CRATOS_TEST_PASSWORD: `PLANTED-pw-${hex()}`
}

interface Exercise {
  readonly runs: ReadonlyArray<Run>
  readonly found: ReadonlyArray<string>
  readonly files: ReadonlyArray<string>
  readonly bytesSearched: number
}

/**
 * Runs `cratos run --planner llm` once per scenario (the fake endpoint answers by the scenario
 * in the base URL), then list/show/export/stats, all on a fresh CRATOS_HOME with the planted
 * environment; returns where the planted values were found.
 */
const exercise = async (
  scenarios: ReadonlyArray<readonly [string, ReadonlyArray<string>]>,
  options: { readonly reads: boolean } = { reads: true }
): Promise<Exercise> => {
  const home = path.join(tempDir(), "home")
  const workspace = tempDir("cratos-ws-")
  fs.writeFileSync(path.join(workspace, "notes.txt"), "remember the milk\n")
  const dead = await closedPort()
  const runs = await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const fake = yield* fakeLlm
        const origin = fake.baseUrl.replace(/\/v1$/, "")
        const plan = {
          goal: "inspect",
          steps: [
            {
              description: "print the environment",
              tool: "exec",
              input: { command: 'env; echo "K=$CRATOS_LLM_API_KEY G=$GITHUB_TOKEN"' },
              depends_on: []
            },
            { description: "read notes", tool: "file_read", input: { path: "notes.txt" }, depends_on: [] },
            { description: "fetch", tool: "http_get", input: { url: `${origin}/echo-headers` }, depends_on: [] }
          ]
        }
        fake.respond = (req, res) => {
          const auth = req.authorization ?? ""
          if (req.url.startsWith("/echo-headers")) return json(res, 200, { headers_seen: auth })
          switch (req.url.split("/")[1]) {
            case "ok":
              return json(res, 200, completion(JSON.stringify(plan)))
            case "unauthorized":
              return json(res, 401, { error: { message: `invalid key ${auth}` } })
            case "server-error":
              return json(res, 500, { error: { message: `upstream failed for ${auth}` } })
            case "not-json":
              res.statusCode = 200
              return res.end(`<html>oops ${auth}</html>`)
            case "bad-plan":
              return json(res, 200, completion(`{"goal": "${auth}", "steps": [{"tool": "nope ${auth}"}]}`))
            case "echo-plan":
              return json(
                res,
                200,
                completion(JSON.stringify({ goal: `echo ${auth}`, steps: [], reply: `your key is ${auth}` }))
              )
            default:
              return json(res, 404, {})
          }
        }
        const env = (baseUrl: string): NodeJS.ProcessEnv => {
          const e: NodeJS.ProcessEnv = {
            ...process.env,
            ...planted,
            CRATOS_HOME: home,
            CRATOS_LLM_BASE_URL: baseUrl,
            CRATOS_LLM_MODEL: "fake-model",
            USER: "tester"
          }
          delete e["CRATOS_DB"]
          return e
        }
        const run = ([scenario, extra]: readonly [string, ReadonlyArray<string>]) =>
          cratos(
            [
              "run",
              `please do ${scenario}`,
              "--planner",
              "llm",
              "--workspace",
              workspace,
              "--approve",
              "yes",
              ...extra
            ],
            env(scenario === "unreachable" ? `http://127.0.0.1:${dead}/v1` : `${origin}/${scenario}/v1`),
            workspace
          )
        // The first run creates the database; then a reader holds it open so -wal/-shm stay.
        const first = yield* Effect.promise(() => run(scenarios[0]!))
        const holder = new BetterSqlite3(path.join(home, "cratos.db"), { readonly: true })
        yield* Effect.addFinalizer(() => Effect.sync(() => holder.close()))
        holder.prepare("SELECT count(*) FROM executions").get()
        const more = yield* Effect.promise(() => Promise.all(scenarios.slice(1).map(run)))
        const readEnv = env(`${origin}/ok/v1`)
        const reads = yield* Effect.promise(() =>
          Promise.all(
            !options.reads
              ? []
              : [
                  cratos(["list", "--json"], readEnv, workspace),
                  cratos(["list"], readEnv, workspace),
                  cratos(["show", "last", "--json"], readEnv, workspace),
                  cratos(["show", "last"], readEnv, workspace),
                  cratos(["export", "--all", "--reveal"], readEnv, workspace),
                  cratos(["stats", "--json"], readEnv, workspace)
                ]
          )
        )
        // The key did go to the endpoint (so it was in play), and nowhere else over HTTP.
        expect(fake.requests.some((r) => r.authorization === `Bearer ${planted.CRATOS_LLM_API_KEY}`)).toBe(true)
        expect(
          fake.requests.filter((r) => r.url.startsWith("/echo-headers")).every((r) => r.authorization === undefined)
        ).toBe(true)
        return [first, ...more, ...reads]
      })
    )
  )
  const values = Object.entries(planted)
  const found: Array<string> = []
  let bytesSearched = 0
  const files = filesUnder(home)
  for (const file of [...files, ...filesUnder(workspace)]) {
    const bytes = fs.readFileSync(file)
    bytesSearched += bytes.length
    for (const [name, value] of values) {
      // The whole value, and its random tail alone (a truncated or re-prefixed copy).
      if (bytes.includes(Buffer.from(value)) || bytes.includes(Buffer.from(value.slice(-24))))
        found.push(`${name} in ${file}`)
    }
  }
  for (const r of runs) {
    bytesSearched += r.stdout.length + r.stderr.length
    for (const [name, value] of values) {
      const tail = value.slice(-24)
      if (r.stdout.includes(tail)) found.push(`${name} on stdout of cratos ${r.args.join(" ")}`)
      if (r.stderr.includes(tail)) found.push(`${name} on stderr of cratos ${r.args.join(" ")}`)
    }
  }
  return { runs, found, files, bytesSearched }
}

describe("planted secrets", () => {
  it("no planted secret reaches the database, its -wal/-shm, stdout or stderr", async () => {
    const { runs, found, files, bytesSearched } = await exercise([
      ["ok", ["--json"]],
      ["ok", []],
      ["unauthorized", []],
      ["unauthorized", ["--json", "--verbose"]],
      ["server-error", []],
      ["not-json", ["--verbose"]],
      ["bad-plan", []],
      ["unreachable", []]
    ])
    // The runs did what they should, so the error paths really ran.
    const byScenario = (s: string) => runs.filter((r) => r.args[1] === `please do ${s}`)
    expect(JSON.parse(runs[0]!.stdout)).toMatchObject({ status: "completed" })
    for (const s of ["unauthorized", "server-error", "not-json", "unreachable", "bad-plan"]) {
      for (const r of byScenario(s)) expect(r.code, `${s}: ${r.stdout} ${r.stderr}`).toBe(1)
    }
    for (const r of runs.filter((r) => r.args[0] !== "run")) expect(r.code, `${r.args.join(" ")}: ${r.stderr}`).toBe(0)
    // The approved exec of `env` really ran and its (raw) output is in the history (decrypted by --reveal: issue 14).
    const exported = runs.find((r) => r.args[0] === "export")!.stdout
    expect(exported).toContain("PATH=")
    expect(exported).toContain("remember the milk")
    expect(files.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining(["cratos.db", "cratos.db-wal", "cratos.db-shm"])
    )
    console.log(
      `planted secrets: ${Object.keys(planted).length} planted values, ${runs.length} cratos runs (llm ok, env-printing exec, 401, 500, ` +
        `non-JSON and bad plans echoing the key, unreachable; list/show/export/stats), ${files.length} files under CRATOS_HOME ` +
        `(${files.map((f) => path.basename(f)).join(", ")}) and all stdout/stderr searched (${bytesSearched} bytes): secrets found: ${found.length}`
    )
    expect(found).toEqual([])
  }, 240_000)

  // Found by this test: an endpoint that echoed the Authorization header back inside its plan
  // got the key stored in PlanGenerated and ResponseSent and printed by run/list/show/export.
  // LlmPlanner now masks the key out of the whole answer before reading anything from it.
  it("an endpoint echoing the key in its plan: the key is not stored or printed", async () => {
    const { found } = await exercise([["echo-plan", ["--json"]]], { reads: false })
    expect(found).toEqual([])
  }, 120_000)
})
