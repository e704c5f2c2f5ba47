/**
 * What a new user hit in an hour of use (issue 15), each through the real `cratos` process:
 * --version, a mistyped command or flag, prune without --older-than, one file imported twice in
 * one stream, an over-cap import line, export --out onto a folder / a missing folder / an
 * existing file, id prefixes, a read on a missing database, show --at past the end, an empty
 * import, the completion scripts, and SIGTERM/SIGHUP during a run.
 */
import { Events } from "@cratos/domain"
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import { beforeAll, describe, expect, it, vi } from "@effect/vitest"
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { BIN, cratos, ID, lines, message, at, ROOT, seed, tempDir } from "./harness.js"

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 })

const dir = tempDir("cratos-newuser-")
const db = path.join(dir, "cratos.db")
const A1 = "abcdef01-1111-4111-8111-111111111111"
const A2 = "abcdef01-2222-4222-8222-222222222222"

beforeAll(async () => {
  await seed(db)
  await seed(db, [
    {
      id: A1,
      events: [
        message(A1, "dana", "first", 400),
        Events.responseSent({ text: "ok", channel: "cli", timestamp: at(401) })
      ]
    },
    {
      id: A2,
      events: [
        message(A2, "dana", "second", 500),
        Events.responseSent({ text: "ok", channel: "cli", timestamp: at(501) })
      ]
    }
  ])
})

describe("the command line itself", () => {
  it("--version prints the version, exit 0", async () => {
    const r = await cratos(["--version"])
    expect(r).toMatchObject({ stdout: "cratos 0.1.0\n", stderr: "", code: 0 })
  })

  it("a mistyped command or flag is a usage error that suggests the right one", async () => {
    const command = await cratos(["lsit"], { db })
    expect(command.code).toBe(2)
    expect(lines(command.stderr)[0]).toBe('cratos: unknown command "lsit" (did you mean list?)')
    const flag = await cratos(["list", "--jsno"], { db })
    expect(flag.code).toBe(2)
    expect(lines(flag.stderr)[0]).toBe("cratos: unknown option --jsno (did you mean --json?)")
  })

  it("prune without --older-than is a usage error (exit 2), not an internal error", async () => {
    const r = await cratos(["prune"], { db })
    expect(r.code).toBe(2)
    expect(lines(r.stderr)[0]).toBe("cratos: missing --older-than DAYS")
    expect(r.stderr).not.toContain("BigInt")
  })

  it("completion bash completes commands and flags in a real bash", async () => {
    const script = await cratos(["completion", "bash"])
    expect(script.code).toBe(0)
    const file = path.join(dir, "cratos.bash")
    fs.writeFileSync(file, script.stdout)
    const complete = (words: string) =>
      spawnSync(
        "bash",
        [
          "-c",
          `source ${file}; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _cratos; echo "\${COMPREPLY[*]}"`
        ],
        {
          encoding: "utf8"
        }
      ).stdout.trim()
    expect(complete("cratos li")).toBe("list")
    expect(complete("cratos export --fo")).toBe("--force")
    const zsh = await cratos(["completion", "zsh"])
    expect(zsh.stdout).toContain("#compdef cratos")
    const fish = await cratos(["completion", "fish"])
    expect(fish.stdout).toContain('complete -c cratos -n "__fish_seen_subcommand_from list" -l status -r')
    const bad = await cratos(["completion", "tcsh"])
    expect(bad.code).toBe(2)
  })
})

describe("reading", () => {
  it("a unique id prefix of 6+ characters names the execution; an ambiguous one lists the candidates", async () => {
    const unique = await cratos(["show", "111111", "--json"], { db })
    expect(unique.code).toBe(0)
    expect(JSON.parse(unique.stdout).execution.id).toBe(ID.read)
    const ambiguous = await cratos(["show", "abcdef"], { db })
    expect(ambiguous.code).toBe(1)
    expect(ambiguous.stderr).toBe(`cratos: abcdef is the start of several executions: ${A1}, ${A2}\n`)
    const short = await cratos(["show", "11111"], { db })
    expect(short.stderr).toBe("cratos: no execution 11111\n")
  })

  it("a read on a missing database is an error and creates nothing", async () => {
    const missing = path.join(dir, "bad", "nodir", "x.db")
    const r = await cratos(["list", "--db", missing])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`cratos: no database at ${missing}`)
    expect(fs.existsSync(path.join(dir, "bad"))).toBe(false)
  })

  it("show --at past the end is an error, not clamped", async () => {
    const r = await cratos(["show", ID.read, "--at", "6"], { db })
    expect(r.code).toBe(2)
    expect(lines(r.stderr)[0]).toBe(`cratos: --at 6 is past the end: execution ${ID.read} has 5 events`)
    expect((await cratos(["show", ID.read, "--at", "5"], { db })).code).toBe(0)
  })
})

describe("colour", () => {
  it("statuses are coloured only when asked (a terminal or CLICOLOR_FORCE), never with NO_COLOR or through a pipe", async () => {
    const forced = await cratos(["list"], { db, env: { CLICOLOR_FORCE: "1" } })
    expect(forced.stdout).toContain("\u001b[32mcompleted\u001b[0m")
    expect(forced.stdout).toContain("\u001b[31mfailed\u001b[0m")
    const noColor = await cratos(["list"], { db, env: { CLICOLOR_FORCE: "1", NO_COLOR: "1" } })
    const piped = await cratos(["list"], { db })
    expect(noColor.stdout).not.toContain("\u001b")
    expect(piped.stdout).not.toContain("\u001b")
    expect(noColor.stdout).toBe(piped.stdout)
  })
})

describe("export --out", () => {
  it("onto a folder fails and leaves nothing beside it; a missing folder says so; an existing file needs --force", async () => {
    const outDir = fs.mkdtempSync(path.join(dir, "out-"))
    const onFolder = await cratos(["export", "--all", "--out", outDir], { db })
    expect(onFolder.code).toBe(1)
    expect(onFolder.stderr).toBe(`cratos: --out ${outDir} is a folder; give a file name\n`)
    expect(fs.readdirSync(path.dirname(outDir)).filter((n) => n.endsWith(".tmp"))).toEqual([])
    const missing = path.join(dir, "missing", "dir", "x.jsonl")
    const r = await cratos(["export", "--all", "--out", missing], { db })
    expect(r.stderr).toBe(`cratos: --out ${missing}: no such folder ${path.dirname(missing)}\n`)
    const file = path.join(outDir, "x.jsonl")
    fs.writeFileSync(file, "keep me\n")
    const exists = await cratos(["export", "--all", "--out", file], { db })
    expect(exists.code).toBe(1)
    expect(exists.stderr).toBe(`cratos: --out ${file} exists; add --force to replace it\n`)
    expect(fs.readFileSync(file, "utf8")).toBe("keep me\n")
    const forced = await cratos(["export", "--all", "--out", file, "--force"], { db })
    expect(forced.code).toBe(0)
    expect(lines(fs.readFileSync(file, "utf8")).length).toBe(19)
  })
})

describe("import", () => {
  it("a file imported twice in one stream stores each execution once: the second copy is skipped", async () => {
    const all = (await cratos(["export", "--all"], { db })).stdout
    const fresh = path.join(dir, "twice.db")
    const r = await cratos(["import", "-", "--json"], { db: fresh, input: all + all })
    expect(r.code).toBe(0)
    const reports = lines(r.stdout).map((l) => JSON.parse(l))
    expect(reports.filter((x) => x.status === "imported").length).toBe(6)
    expect(reports.filter((x) => x.status === "skipped").length).toBe(6)
    expect(lines((await cratos(["export", "--all"], { db: fresh })).stdout).length).toBe(lines(all).length)
  })

  it("refuses a line over the cap while reading it, naming it, without a stack trace", async () => {
    const file = path.join(dir, "huge.jsonl")
    const first = lines((await cratos(["export", ID.read], { db })).stdout)[0]!
    fs.writeFileSync(file, `${first}\n{"execution_id":"x","event":"${"a".repeat(17 * 1024 * 1024)}"}\n`)
    const r = await cratos(["import", file], { db: path.join(dir, "huge.db") })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /^cratos: .*huge\.jsonl: line 2 is longer than 16448 KiB, the most one event may take; stopped there\n$/
    )
    expect(r.stderr).not.toContain("RangeError")
  })

  it("an empty input says nothing to import", async () => {
    const r = await cratos(["import", "-"], { db: path.join(dir, "empty.db"), input: "\n" })
    expect(r).toMatchObject({ code: 0, stdout: "", stderr: "nothing to import\n" })
  })
})

describe("running", () => {
  it('run "list then read notes.txt" lists the workspace, then reads the file', async () => {
    const workspace = fs.mkdtempSync(path.join(dir, "ws-"))
    fs.writeFileSync(path.join(workspace, "notes.txt"), "remember the milk\n")
    const file = path.join(dir, "then.db")
    const r = await cratos(["run", "list then read notes.txt", "--workspace", workspace, "--json"], { db: file })
    expect(r.code).toBe(0)
    const shown = JSON.parse((await cratos(["show", "last", "--json"], { db: file })).stdout)
    const invoked = shown.events.filter((e: any) => e.type === "ToolInvoked").map((e: any) => [e.tool, e.input])
    expect(invoked).toEqual([
      ["file_list", { path: "." }],
      ["file_read", { path: "notes.txt" }]
    ])
  })
})

describe("rerun", () => {
  it("replay --mode rerun runs in the original execution's workspace, wherever it is started from", async () => {
    const workspace = fs.mkdtempSync(path.join(dir, "ws-"))
    fs.writeFileSync(path.join(workspace, "notes.txt"), "remember the milk\n")
    const file = path.join(dir, "rerun.db")
    expect((await cratos(["run", "read notes.txt", "--workspace", workspace], { db: file })).code).toBe(0)
    const rerun = await cratos(["replay", "last", "--mode", "rerun", "--json"], { db: file, cwd: ROOT })
    expect(rerun.code).toBe(0)
    expect(JSON.parse(rerun.stdout).response).toContain("remember the milk")
  })
})

describe("signals", () => {
  for (const signal of ["SIGTERM", "SIGHUP"] as const) {
    it(`${signal} during a run records the execution as interrupted (failed), exit 130`, async () => {
      const file = path.join(dir, `${signal}.db`)
      const workspace = fs.mkdtempSync(path.join(dir, "ws-"))
      const args = [
        "run",
        "run touch started.mark; sleep 30",
        "--approve",
        "yes",
        "--db",
        file,
        "--workspace",
        workspace
      ]
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] })
      const mark = path.join(workspace, "started.mark")
      await vi.waitFor(() => expect(fs.existsSync(mark)).toBe(true), { timeout: 60_000, interval: 100 })
      child.kill(signal)
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
      expect(code).toBe(130)
      const shown = JSON.parse((await cratos(["show", "last", "--json"], { db: file })).stdout)
      expect(shown.execution.status).toBe("failed")
      expect(JSON.stringify(shown.events)).toContain("interrupted")
      // the tool's process group went with it: no `sleep 30` of this workspace is left
      expect(spawnSync("pgrep", ["-f", "started.mark; sleep 30"], { encoding: "utf8" }).stdout.trim()).toBe("")
    })
  }
})

describe("live views", () => {
  const start = (args: ReadonlyArray<string>, file: string) => {
    const child = spawn(process.execPath, [BIN, ...args, "--db", file], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"]
    })
    const seen = { stdout: "", stderr: "" }
    child.stdout.setEncoding("utf8").on("data", (d: string) => (seen.stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (seen.stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve))
    return { child, seen, exited }
  }

  it("show --follow prints events as they are appended and ends when the execution responds", async () => {
    const file = path.join(dir, "follow.db")
    const id = "66666666-6666-4666-8666-666666666666"
    await seed(file, [{ id, events: [message(id, "erin", "read notes.txt", 600)] }])
    const { seen, exited } = start(["show", id, "--follow"], file)
    await vi.waitFor(() => expect(seen.stdout).toContain("📨 message from erin"), { timeout: 60_000, interval: 100 })
    await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* EventStore
        yield* store.append(
          id,
          [Events.toolInvoked({ tool: "file_read", input: { path: "notes.txt" }, timestamp: at(601) })],
          {
            expectedVersion: 1
          }
        )
      }).pipe(Effect.provide(EventStore.layer({ path: file })))
    )
    await vi.waitFor(() => expect(seen.stdout).toContain('🔧 file_read {"path":"notes.txt"}'), {
      timeout: 30_000,
      interval: 100
    })
    await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* EventStore
        yield* store.append(id, [Events.responseSent({ text: "done", channel: "cli", timestamp: at(602) })], {
          expectedVersion: 2
        })
      }).pipe(Effect.provide(EventStore.layer({ path: file })))
    )
    expect(await exited).toBe(0)
    expect(lines(seen.stdout).at(-1)).toBe("[00:02] 💬 response via cli: done")
  })

  it("list --watch prints the list again until Ctrl-C", async () => {
    const { child, seen, exited } = start(["list", "--watch"], db)
    await vi.waitFor(
      () =>
        expect(seen.stdout.match(/^— .* UTC \(every 2 s; Ctrl-C stops\)$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2),
      {
        timeout: 60_000,
        interval: 200
      }
    )
    child.kill("SIGINT")
    expect(await exited).toBe(130)
    expect(seen.stdout).toContain(ID.read)
    expect(seen.stderr).toBe("")
  })
})
