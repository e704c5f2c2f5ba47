/**
 * The read commands end to end: the real `cratos` process over a database seeded through the
 * store's API (list, show, stats, export/import, prune, project; bad input; corrupt rows).
 */
import { encodeEvent } from "@cratos/domain"
import { beforeAll, describe, expect, it, vi } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { Either } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { cratos, ID, lines, sampleHistories, SECRET, seed, tempDir } from "./harness.js"

// Every test spawns the real CLI (tsx + effect start in ~1-2 s of CPU each): generous timeouts.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 })

const dir = tempDir()
const db = path.join(dir, "cratos.db")
const histories = sampleHistories()
const wire = (id: string) =>
  histories.find((h) => h.id === id)!.events.map((e) => Either.getOrThrow(encodeEvent(e)) as unknown)

const json = (text: string): any => JSON.parse(text)

beforeAll(async () => {
  await seed(db)
})

describe("cratos list", () => {
  it("--json gives every execution newest first, field by field", async () => {
    const r = await cratos(["list", "--json"], { db })
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const rows = json(r.stdout)
    expect(rows.map((x: any) => x.id)).toEqual([ID.pending, ID.declined, ID.failed, ID.read])
    expect(rows[3]).toEqual({
      id: ID.read,
      user_id: "alice",
      channel: "cli",
      status: "completed",
      created_at: "2025-11-20T09:00:00Z",
      completed_at: "2025-11-20T09:01:05Z",
      input_text: "read notes.txt",
      event_count: 5,
      goal: "read notes.txt",
      step_count: 1,
      tools_used: ["file_read"],
      tool_calls: 1,
      tool_failures: 0,
      tool_time_ms: 12,
      tokens_used: 0,
      model_used: "rules",
      approval_pending: false,
      error_count: 0,
      first_event_at: "2025-11-20T09:00:00Z",
      last_event_at: "2025-11-20T09:01:05Z"
    })
    expect(rows[2]).toMatchObject({
      id: ID.failed,
      user_id: "bob",
      status: "failed",
      completed_at: "2025-11-20T09:01:43Z",
      tool_failures: 1,
      error_count: 1
    })
    expect(rows[1]).toMatchObject({ id: ID.declined, status: "completed", approval_pending: false })
    expect(rows[0]).toMatchObject({
      id: ID.pending,
      user_id: "carol",
      status: "pending",
      completed_at: null,
      input_text: "100% done_ok"
    })
  })

  it("filters by user, status, channel, time, and pages", async () => {
    const [user, status, channel, since, until, page] = await Promise.all([
      cratos(["list", "--json", "--user", "alice"], { db }),
      cratos(["list", "--json", "--status", "failed"], { db }),
      cratos(["list", "--json", "--channel", "slack"], { db }),
      cratos(["list", "--json", "--since", "2025-11-20T09:03:20Z"], { db }),
      cratos(["list", "--json", "--until", "2025-11-19"], { db }),
      cratos(["list", "--json", "--limit", "2", "--offset", "1"], { db })
    ])
    const ids = (r: { stdout: string }) => json(r.stdout).map((x: any) => x.id)
    expect(ids(user)).toEqual([ID.declined, ID.read])
    expect(ids(status)).toEqual([ID.failed])
    expect(ids(channel)).toEqual([])
    expect(ids(since)).toEqual([ID.pending, ID.declined])
    expect(ids(until)).toEqual([])
    expect(ids(page)).toEqual([ID.declined, ID.failed])
  })

  it("--search is plain text: SQL and LIKE metacharacters match only themselves", async () => {
    const [injection, percent, underscore, quote, plain] = await Promise.all([
      cratos(["list", "--json", "--search", "%' OR 1=1 --"], { db }),
      cratos(["list", "--json", "--search", "100%"], { db }),
      cratos(["list", "--json", "--search", "_ok"], { db }),
      cratos(["list", "--json", "--search", "'"], { db }),
      cratos(["list", "--json", "--search", "READ"], { db })
    ])
    const ids = (r: { stdout: string }) => json(r.stdout).map((x: any) => x.id)
    expect(injection.code).toBe(0)
    expect(ids(injection)).toEqual([])
    expect(ids(percent)).toEqual([ID.pending])
    expect(ids(underscore)).toEqual([ID.pending])
    expect(ids(quote)).toEqual([])
    expect(ids(plain)).toEqual([ID.failed, ID.read])
  })

  it("prints a table for people", async () => {
    const r = await cratos(["list"], { db })
    expect(r.code).toBe(0)
    const out = lines(r.stdout)
    expect(out[0]).toMatch(/^ID\s+CREATED \(UTC\)\s+USER\s+CHANNEL\s+STATUS\s+TOOLS\s+MESSAGE$/)
    expect(out).toHaveLength(5)
    expect(out[4]).toMatch(
      new RegExp(`^${ID.read}\\s+2025-11-20 09:00:00\\s+alice\\s+cli\\s+completed\\s+1\\s+read notes.txt$`)
    )
  })
})

describe("cratos show", () => {
  it("--json gives the row and the wire events with every raw field masked; --reveal the raw fields", async () => {
    const masked = await cratos(["show", ID.read, "--json"], { db })
    expect(masked.code).toBe(0)
    expect(masked.stdout).not.toContain(SECRET)
    expect(json(masked.stdout).events[2]).toMatchObject({
      type: "ToolInvoked",
      input: { api_key: "***MASKED***" },
      input_masked: { api_key: "***MASKED***" }
    })
    const r = await cratos(["show", ID.read, "--json", "--reveal"], { db })
    expect(r.code).toBe(0)
    const body = json(r.stdout)
    expect(body.execution).toMatchObject({
      id: ID.read,
      user_id: "alice",
      channel: "cli",
      status: "completed",
      input_text: "read notes.txt"
    })
    expect(body.events).toEqual(wire(ID.read))
    expect(body.events[2]).toMatchObject({
      type: "ToolInvoked",
      input: { api_key: SECRET },
      input_masked: { api_key: "***MASKED***" }
    })
  })

  it("prints the timeline with masked copies only", async () => {
    const r = await cratos(["show", ID.read], { db })
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain(SECRET)
    const out = lines(r.stdout)
    expect(out[0]).toBe(`Execution ${ID.read}`)
    expect(out).toContain("  status:    completed")
    expect(out.slice(-5)).toEqual([
      "[00:00] 📨 message from alice via cli: read notes.txt",
      "[00:01] 🧠 plan: read notes.txt — 1 step (file_read), risk Read, no approval needed; rules, 0 tokens",
      '[00:02] 🔧 file_read {"path":"notes.txt","api_key":"***MASKED***"}',
      '[00:03] ✔ file_read ok in 12ms → {"text":"hello notes","token":"***MASKED***"}',
      "[01:05] 💬 response via cli: hello notes"
    ])
  })

  it("shows a failing tool and the error line; a declined approval", async () => {
    const [failed, declined] = await Promise.all([
      cratos(["show", ID.failed], { db }),
      cratos(["show", ID.declined], { db })
    ])
    expect(failed.stdout).toContain("  status:    failed")
    expect(failed.stdout).toContain("[00:02] ✖ file_read failed in 3ms: no such file: missing.txt")
    expect(failed.stdout).toContain("[00:03] 🔥 Validation error (fatal): file_read failed: no such file")
    expect(declined.stdout).toContain("[00:01] ⚠️ approval requested (Write) step 1: file_write — write out.txt")
    expect(declined.stdout).toContain("[00:02] ❌ declined")
    expect(declined.stdout).not.toContain(SECRET)
  })

  it("last is the newest execution; --at N shows the state after N events", async () => {
    const [last, at, atJson] = await Promise.all([
      cratos(["show", "last", "--json"], { db }),
      cratos(["show", ID.declined, "--at", "2"], { db }),
      cratos(["show", ID.declined, "--at", "2", "--json"], { db })
    ])
    expect(json(last.stdout).execution.id).toBe(ID.pending)
    expect(at.stdout).toContain("after 2 of 4 events")
    expect(at.stdout).toContain("status:           running")
    expect(at.stdout).toMatch(
      /pending approval: file_write out.txt — file_write \{"path":"out.txt","content":"hello","password":"\*\*\*MASKED\*\*\*"\}/
    )
    expect(at.stdout).not.toContain("❌")
    expect(at.stdout).not.toContain(SECRET)
    const body = json(atJson.stdout)
    expect(body).toMatchObject({
      at: 2,
      total_events: 4,
      state: { status: "running", open_tools: [], responded: false }
    })
    expect(body.state.pending_approval.details.input_masked.password).toBe("***MASKED***")
    expect(body.events).toEqual(wire(ID.declined).slice(0, 2))
  })

  it("an unknown id is one line, exit 1", async () => {
    const r = await cratos(["show", "1234"], { db })
    expect(r).toEqual({ code: 1, stdout: "", stderr: "cratos: no execution 1234\n" })
  })
})

describe("cratos stats", () => {
  it("--json: executions by status, tools with percentiles, tokens by model", async () => {
    const r = await cratos(["stats", "--json"], { db })
    expect(r.code).toBe(0)
    expect(json(r.stdout)).toEqual({
      since: null,
      executions_by_status: { pending: 1, running: 0, completed: 2, failed: 1 },
      tools: [{ tool: "file_read", calls: 2, failures: 1, p50_ms: 3, p95_ms: 12 }],
      tokens_by_model: [{ model: "rules", tokens: 0, executions: 1 }]
    })
    const since = json((await cratos(["stats", "--json", "--since", "2025-11-20T09:03:00Z"], { db })).stdout)
    expect(since.executions_by_status).toEqual({ pending: 1, running: 0, completed: 1, failed: 0 })
    expect(since.since).toBe("2025-11-20T09:03:00Z")
  })
})

describe("cratos export and import", () => {
  it("export → import into a fresh database → the same events and rows", async () => {
    const file = path.join(dir, "all.jsonl")
    const fresh = path.join(dir, "fresh.db")
    const exported = await cratos(["export", "--all", "--out", file], { db })
    expect(exported.code).toBe(0)
    const records = lines(fs.readFileSync(file, "utf8")).map(json)
    expect(records).toHaveLength(15)
    expect(Object.keys(records[0])).toEqual(["execution_id", "user_id", "position", "event"])
    expect(records[0]).toMatchObject({ execution_id: ID.read, user_id: "alice", position: 1, event: wire(ID.read)[0] })
    expect(records.map((r: any) => r.position)).toEqual([...Array(15).keys()].map((i) => i + 1))

    const imported = await cratos(["import", file], { db: fresh })
    expect(imported.stderr).toBe("")
    expect(imported.code).toBe(0)
    expect(lines(imported.stdout)).toEqual([
      `imported ${ID.read} 5`,
      `imported ${ID.failed} 5`,
      `imported ${ID.declined} 4`,
      `imported ${ID.pending} 1`
    ])
    for (const h of histories) {
      const [a, b] = await Promise.all([
        cratos(["show", h.id, "--json"], { db }),
        cratos(["show", h.id, "--json"], { db: fresh })
      ])
      expect(json(b.stdout)).toEqual(json(a.stdout))
    }
    const again = await cratos(["import", file, "--json"], { db: fresh })
    expect(again.code).toBe(0)
    expect(lines(again.stdout).map(json)).toEqual(
      [ID.read, ID.failed, ID.declined, ID.pending].map((id) => ({ execution_id: id, status: "skipped", events: 0 }))
    )
  })

  it("exports chosen executions to stdout, and imports from stdin", async () => {
    const out = await cratos(["export", ID.failed, ID.pending], { db })
    expect(out.code).toBe(0)
    const records = lines(out.stdout).map(json)
    expect(records.map((r: any) => r.execution_id)).toEqual([...Array(5).fill(ID.failed), ID.pending])
    const fresh = path.join(dir, "stdin.db")
    const imported = await cratos(["import", "-", "--strict", "--json"], { db: fresh, input: out.stdout })
    expect(imported.code).toBe(0)
    expect(lines(imported.stdout).map(json)).toEqual([
      { execution_id: ID.failed, status: "imported", events: 5 },
      { execution_id: ID.pending, status: "imported", events: 1 }
    ])
    const list = json((await cratos(["list", "--json"], { db: fresh })).stdout)
    expect(list.map((r: any) => [r.id, r.status])).toEqual([
      [ID.pending, "pending"],
      [ID.failed, "failed"]
    ])
  })

  it("a bad line stops the import, naming its number; executions committed before it stay", async () => {
    const good = (await cratos(["export", ID.read], { db })).stdout
    const input = good + '{"execution_id":"x","user_id":"u","position":9,"event":{"type":"Nope"}}\n'
    const fresh = path.join(dir, "bad.db")
    const r = await cratos(["import", "-"], { db: fresh, input })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(`imported ${ID.read} 5\n`)
    expect(lines(r.stderr)).toHaveLength(1)
    expect(r.stderr).toMatch(
      /^cratos: line 6: event\.type: .*; stopped there \(the 1 execution imported before it stays\)\n$/
    )
    const list = json((await cratos(["list", "--json"], { db: fresh })).stdout)
    expect(list.map((x: any) => x.id)).toEqual([ID.read])
  })

  it("--strict refuses a history that breaks the lifecycle rules; without it the history is kept", async () => {
    const events = wire(ID.declined)
    const broken = [events[0], events[2], events[3]] // an approval answer with no request
    const input = broken
      .map((event, i) => JSON.stringify({ execution_id: "e-strict", user_id: "alice", position: i + 1, event }))
      .join("\n")
    const [strict, lax] = await Promise.all([
      cratos(["import", "-", "--strict"], { db: path.join(dir, "strict.db"), input }),
      cratos(["import", "-"], { db: path.join(dir, "lax.db"), input })
    ])
    expect(strict.code).toBe(1)
    expect(strict.stderr).toMatch(
      /^cratos: line 2: execution e-strict: ApprovalReceived refused \(approval-answers-a-request\)/
    )
    expect(strict.stdout).toBe("")
    expect(lax.code).toBe(0)
    expect(lax.stdout).toBe("imported e-strict 3\n")
  })

  it("export needs ids or --all", async () => {
    const r = await cratos(["export"], { db })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^cratos: give execution ids, or --all for every execution\n\nUsage: cratos export/)
  })
})

describe("cratos prune and project", () => {
  it("--dry-run lists finished executions and removes nothing; then prune removes them whole", async () => {
    const file = path.join(dir, "prune.db")
    await seed(file)
    const dry = await cratos(["prune", "--older-than", "0", "--dry-run", "--json"], { db: file })
    expect(dry.code).toBe(0)
    const body = json(dry.stdout)
    expect(body).toMatchObject({ dry_run: true, older_than_days: 0 })
    expect(body.executions).toEqual([
      { execution_id: ID.read, status: "completed", completed_at: "2025-11-20T09:01:05Z", events: 5 },
      { execution_id: ID.failed, status: "failed", completed_at: "2025-11-20T09:01:43Z", events: 5 },
      { execution_id: ID.declined, status: "completed", completed_at: "2025-11-20T09:03:23Z", events: 4 }
    ])
    expect(json((await cratos(["list", "--json"], { db: file })).stdout)).toHaveLength(4)

    const real = await cratos(["prune", "--older-than", "0"], { db: file })
    expect(real.code).toBe(0)
    expect(lines(real.stdout)).toEqual([
      `removed ${ID.read} (completed 2025-11-20T09:01:05Z, 5 events)`,
      `removed ${ID.failed} (failed 2025-11-20T09:01:43Z, 5 events)`,
      `removed ${ID.declined} (completed 2025-11-20T09:03:23Z, 4 events)`,
      expect.stringMatching(/^removed 3 executions \(14 events\) finished before /)
    ])
    const [list, show, stats] = await Promise.all([
      cratos(["list", "--json"], { db: file }),
      cratos(["show", ID.read], { db: file }),
      cratos(["stats", "--json"], { db: file })
    ])
    expect(json(list.stdout).map((r: any) => r.id)).toEqual([ID.pending])
    expect(show).toMatchObject({ code: 1, stderr: `cratos: no execution ${ID.read}\n` })
    expect(json(stats.stdout)).toMatchObject({
      executions_by_status: { pending: 1, completed: 0, failed: 0 },
      tools: []
    })
    const none = await cratos(["prune", "--older-than", "36500", "--json"], { db: file })
    expect(json(none.stdout)).toMatchObject({ dry_run: false, executions: [] })
  })

  it("project --once catches up, --rebuild replays", async () => {
    const file = path.join(dir, "project.db")
    await seed(file)
    const once = await cratos(["project", "--json"], { db: file })
    expect(once.code).toBe(0)
    expect(json(once.stdout)).toMatchObject({ mode: "once", events: 15, position: 15 })
    const rebuild = await cratos(["project", "--rebuild"], { db: file })
    expect(rebuild.stdout).toMatch(/^rebuilt: 15 events in \d+ batch(es)?, position 15\n$/)
    const unknown = await cratos(["project", "--rebuild", "nope"], { db: file })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^cratos: no projection named "nope" \(known: /)
  })
})

describe("bad input", () => {
  it.each([
    [["frobnicate"], /^cratos: unknown command "frobnicate"\n\nUsage: cratos \[command\]/],
    [["list", "--frob"], /^cratos: unknown option --frob\n\nUsage: cratos list/],
    [
      ["list", "--limit", "many"],
      /^cratos: --limit must be an integer from 1 to 10000, got "many"\n\nUsage: cratos list/
    ],
    [["list", "--since", "last tuesday"], /^cratos: --since: expected an RFC 3339 time.*\n\nUsage: cratos list/],
    [["show"], /^cratos: missing <id\|last>\n\nUsage: cratos show/]
  ])("%j → usage on stderr, exit 2", async (argv, stderr) => {
    const r = await cratos(argv, { db: path.join(dir, "never-created.db") })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).toMatch(stderr)
    expect(fs.existsSync(path.join(dir, "never-created.db"))).toBe(false)
  })

  it("--help prints usage on stdout, exit 0", async () => {
    const [top, list] = await Promise.all([cratos(["--help"]), cratos(["list", "--help"])])
    expect(top).toMatchObject({ code: 0, stderr: "" })
    expect(top.stdout).toMatch(/^Usage: cratos \[command\]/)
    expect(list.stdout).toMatch(/^Usage: cratos list \[options\]/)
  })

  it("a text file as --db: one line naming the file, non-zero, the file unchanged", async () => {
    const file = path.join(dir, "notes.txt")
    fs.writeFileSync(file, "just some notes\n")
    const before = createHash("sha256").update(fs.readFileSync(file)).digest("hex")
    for (const argv of [["list"], ["import", "-"]]) {
      const r = await cratos([...argv, "--db", file], { input: "" })
      expect(r.code).toBe(1)
      expect(r.stdout).toBe("")
      expect(lines(r.stderr)).toHaveLength(1)
      expect(r.stderr).toContain(file)
      expect(r.stderr).toMatch(/^cratos: cannot open .*not a SQLite database/)
    }
    expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(before)
  })

  it("a row that does not decode: show names its row id, exit 1; list keeps working", async () => {
    const file = path.join(dir, "corrupt.db")
    await seed(file)
    const raw = new BetterSqlite3(file)
    const position = Number(
      raw
        .prepare(
          `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)`
        )
        .run(ID.pending, "carol", "PlanGenerated", "{not json", "2025-11-20T09:05:01Z").lastInsertRowid
    )
    raw.close()
    // The projector dead-letters the row (a warning per projection, once); then reads are quiet.
    const projected = await cratos(["project"], { db: file })
    expect(projected.code).toBe(0)
    expect(lines(projected.stderr)).toHaveLength(3)
    for (const line of lines(projected.stderr)) {
      expect(line).toMatch(/^cratos: warning: poison event dead-lettered \(.*\)$/)
      expect(line).toMatch(new RegExp(`[( ]position=${position}[ )]`))
      expect(line).toMatch(new RegExp(`[( ]execution_id=${ID.pending}[ )]`))
    }
    const [show, list, other] = await Promise.all([
      cratos(["show", ID.pending], { db: file }),
      cratos(["list", "--json"], { db: file }),
      cratos(["show", ID.read, "--json"], { db: file })
    ])
    expect(show.code).toBe(1)
    expect(show.stdout).toBe("")
    expect(lines(show.stderr)).toHaveLength(1)
    expect(show.stderr).toMatch(new RegExp(`^cratos: event row ${position} of execution ${ID.pending} does not decode`))
    expect(list.code).toBe(0)
    expect(json(list.stdout)).toHaveLength(4)
    expect(other.code).toBe(0)
    const exported = await cratos(["export", "--all"], { db: file })
    expect(exported.code).toBe(1)
    expect(lines(exported.stdout)).toHaveLength(15)
    expect(exported.stderr).toMatch(
      new RegExp(`^cratos: skipped event row ${position} of execution ${ID.pending} does not decode`)
    )
  })
})
