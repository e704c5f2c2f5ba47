/**
 * The planted-secrets suite through the real `cratos` (issue 14). Two users each run
 * `cratos run "read .env"` on a workspace whose `.env` holds an OpenAI key, an AWS secret, a
 * GitHub token and a database password. Then: nothing of them is in the database, its WAL or its
 * SHM (a reader connection holds the WAL open), nor on any command's stdout or stderr, unless
 * `--reveal`; reveal gives the exact originals; every stored row still decodes and re-encodes byte
 * for byte; export stays encrypted and `import` restores it; a missing or wrong key says so in one
 * line and still shows masked copies; a corrupted envelope is named and isolated; forget; key
 * rotation; `--encryption off` stores the values in the clear (what it costs).
 */
import { decodeEventJson, encodeEventJson, ENVELOPE_MARK, ENVELOPE_PREFIX_V3 } from "@cratos/domain"
import BetterSqlite3 from "better-sqlite3"
import { Either } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BIN, tempDir } from "../cli/harness.js"
import { PLANTED, plantWorkspace, SECRETS, secretsIn, secretsInDatabase } from "./plantedSecrets.js"

interface Run {
  readonly stdout: string
  readonly stderr: string
  readonly code: number | null
}

const KEY_VARS = ["CRATOS_HOME", "CRATOS_DB", "CRATOS_MASTER_KEY", "CRATOS_MASTER_KEY_FILE", "CRATOS_ENCRYPTION"]

/** Runs `cratos` with exactly the CRATOS_* variables given. */
const cratos = (args: ReadonlyArray<string>, env: Record<string, string>, cwd: string, input = ""): Promise<Run> =>
  new Promise((resolve, reject) => {
    const base = { ...process.env } as Record<string, string>
    for (const k of KEY_VARS) delete base[k]
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...base, ...env }, stdio: "pipe" })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ stdout, stderr, code }))
    child.stdin.end(input)
  })

const dir = tempDir("cratos-planted-")
const home = path.join(dir, "home")
const db = path.join(home, "cratos.db")
const ws = plantWorkspace(dir)
const env = { CRATOS_HOME: home }
const run = (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => cratos(args, { ...env, ...extra }, ws)
/** Every run's output, checked for the secrets at the end. */
const printed: Array<{ readonly args: string; readonly text: string }> = []
const unrevealed = async (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => {
  const r = await run(args, extra)
  printed.push({ args: args.join(" "), text: r.stdout + r.stderr })
  return r
}

let holder: BetterSqlite3.Database
const ids: Record<string, string> = {}

const idOf = async (user: string) => {
  const r = await run(["list", "--user", user, "--json"])
  return (JSON.parse(r.stdout) as Array<{ id: string }>)[0]!.id
}

beforeAll(async () => {
  const alice = await unrevealed(["run", "read .env", "--user", "alice"])
  expect(alice.code, alice.stderr).toBe(0)
  // While this connection is open the WAL stays: the next writer's pages are in it.
  holder = new BetterSqlite3(db)
  holder.prepare("SELECT count(*) FROM executions").get()
  const bob = await unrevealed(["run", "read .env", "--user", "bob"])
  expect(bob.code, bob.stderr).toBe(0)
  ids["alice"] = await idOf("alice")
  ids["bob"] = await idOf("bob")
}, 120_000)

afterAll(() => holder?.close())

describe('cratos run "read .env" by two users, encryption on by default', { timeout: 240_000 }, () => {
  it("creates the master key file 0600 in CRATOS_HOME and leaves no secret in the database, WAL or SHM", () => {
    expect(fs.statSync(path.join(home, "master.key")).mode & 0o777).toBe(0o600)
    expect(fs.existsSync(`${db}-wal`)).toBe(true)
    expect(secretsInDatabase(db)).toEqual([])
    const rows = holder.prepare("SELECT input_text FROM executions").all() as Array<{ input_text: string }>
    expect(rows.map((r) => r.input_text)).toEqual(["read .env", "read .env"])
  })

  it("stores envelopes that still decode, and re-encode byte for byte, as serde events", () => {
    const rows = holder.prepare("SELECT event_data AS data FROM execution_events ORDER BY id").all() as Array<{
      data: string
    }>
    expect(rows.length).toBeGreaterThan(4)
    for (const { data } of rows) {
      const event = decodeEventJson(data)
      expect(Either.isRight(event)).toBe(true)
      expect(Either.getOrThrow(encodeEventJson(Either.getOrThrow(event)))).toBe(data)
    }
    expect(rows.filter((r) => r.data.includes(ENVELOPE_PREFIX_V3)).length).toBeGreaterThan(2)
  })

  it("prints no secret on any read without --reveal; list --search finds none by its value", async () => {
    for (const args of [
      ["list"],
      ["list", "--json"],
      ["show", ids["alice"]!],
      ["show", ids["alice"]!, "--json"],
      ["show", ids["bob"]!, "--json", "--full"],
      ["show", ids["bob"]!, "--at", "3", "--json"],
      ["stats"],
      ["export", "--all"],
      ["export", ids["alice"]!]
    ]) {
      const r = await unrevealed(args)
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0)
    }
    for (const secret of SECRETS) {
      const r = await unrevealed(["list", "--search", secret, "--json"])
      expect(JSON.parse(r.stdout)).toEqual([])
    }
    const masked = JSON.parse((await unrevealed(["show", ids["bob"]!, "--json"])).stdout)
    const response = masked.events.find((e: { type: string }) => e.type === "ResponseSent")
    expect(response.text).toContain("OPENAI_API_KEY=***MASKED***")
    expect(printed.flatMap((p) => secretsIn(p.text).map((s) => `${s} in ${p.args}`))).toEqual([])
  })

  it("gives the exact originals with --reveal: show --json and export, byte for byte what was appended", async () => {
    const shown = await run(["show", ids["alice"]!, "--json", "--reveal"])
    expect(secretsIn(shown.stdout).sort()).toEqual(["aws", "dbPassword", "github", "openai"])
    const revealed = await run(["export", "--all", "--reveal"])
    expect(secretsIn(revealed.stdout).sort()).toEqual(["aws", "dbPassword", "github", "openai"])
    expect(revealed.stdout).not.toContain(ENVELOPE_MARK)
    // Imported with encryption off, the plaintext is stored as given: its export is the same bytes.
    const file = path.join(dir, "revealed.jsonl")
    fs.writeFileSync(file, revealed.stdout)
    const plainHome = path.join(dir, "plain")
    const imported = await cratos(["import", file, "--encryption", "off"], { CRATOS_HOME: plainHome }, ws)
    expect(imported.code, imported.stderr).toBe(0)
    const again = await cratos(["export", "--all"], { CRATOS_HOME: plainHome }, ws)
    const events = (text: string) =>
      text
        .trim()
        .split("\n")
        .map((l) => JSON.stringify(JSON.parse(l).event))
    expect(events(again.stdout)).toEqual(events(revealed.stdout))
    expect(fs.existsSync(path.join(plainHome, "master.key"))).toBe(false)
  })

  it("exports a backup that stays encrypted, and imports plaintext sealed", async () => {
    const backup = await run(["export", "--all"])
    expect(secretsIn(backup.stdout)).toEqual([])
    expect(backup.stdout).toContain(ENVELOPE_PREFIX_V3)
    // into a new database (its data keys stay behind): stored as is, the rows say [encrypted]
    const backupFile = path.join(dir, "backup.jsonl")
    fs.writeFileSync(backupFile, backup.stdout)
    const elsewhere = { CRATOS_HOME: path.join(dir, "elsewhere") }
    const moved = await cratos(["import", backupFile], elsewhere, ws)
    expect(moved.code, moved.stderr).toBe(0)
    // the rows' masked text comes from the messages' masked copies: nothing needs opening
    expect(moved.stderr).toBe("")
    const listed = JSON.parse((await cratos(["list", "--json"], elsewhere, ws)).stdout) as Array<{ input_text: string }>
    expect(listed.map((r) => r.input_text)).toEqual(["read .env", "read .env"])
    const unopened = await cratos(["show", ids["bob"]!, "--json", "--reveal"], elsewhere, ws)
    expect(unopened.stderr).toMatch(/some content is encrypted under a key that is gone/)
    const file = path.join(dir, "plain.jsonl")
    fs.writeFileSync(file, (await run(["export", "--all", "--reveal"])).stdout)
    const otherHome = path.join(dir, "restored")
    const imported = await cratos(["import", file], { CRATOS_HOME: otherHome }, ws)
    expect(imported.code, imported.stderr).toBe(0)
    expect(secretsInDatabase(path.join(otherHome, "cratos.db"))).toEqual([])
    const shown = await cratos(["show", ids["bob"]!, "--json", "--reveal"], { CRATOS_HOME: otherHome }, ws)
    expect(secretsIn(shown.stdout).sort()).toEqual(["aws", "dbPassword", "github", "openai"])
  })

  it("without the key, or with a wrong one, shows the masked copies; --reveal says in one line it cannot open", async () => {
    const withKey = await unrevealed(["show", ids["bob"]!])
    for (const extra of [
      { CRATOS_MASTER_KEY_FILE: path.join(dir, "no-such.key") },
      { CRATOS_MASTER_KEY: Buffer.alloc(32, 7).toString("base64") }
    ]) {
      // the masked view opens nothing (envelopes carry their masked copy): the same as with the key
      const r = await unrevealed(["show", ids["bob"]!], extra)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toBe("")
      expect(r.stdout).toBe(withKey.stdout)
      expect(r.stdout).toContain('"content":"OPENAI_API_KEY=***MASKED*')
      expect(r.stdout).not.toContain("[encrypted]")
      const json = await unrevealed(["show", ids["bob"]!, "--json", "--reveal"], extra)
      expect(json.code).toBe(0)
      expect(json.stderr.trim().split("\n")).toHaveLength(1)
      expect(json.stderr).toMatch(
        /^cratos: warning: (content is encrypted and cannot be opened|some content is encrypted)/
      )
      const events = JSON.parse(json.stdout).events as Array<{ type: string; text?: string }>
      expect(events).toHaveLength(5)
      expect(events.find((e) => e.type === "ResponseSent")?.text).toBe("[encrypted]")
    }
    // "read .env" holds nothing masking hides, so it is stored as it is: a replay needs no key
    const replay = await unrevealed(["replay", ids["bob"]!, "--mode", "dry-run"], {
      CRATOS_MASTER_KEY_FILE: path.join(dir, "no-such.key")
    })
    expect(replay.code, replay.stderr).toBe(0)
    expect(printed.flatMap((p) => secretsIn(p.text))).toEqual([])
  })

  it("isolates a corrupted envelope in one row: named, shown as [encrypted], the rest reads", async () => {
    const copyHome = path.join(dir, "corrupt")
    fs.mkdirSync(copyHome)
    holder.pragma("wal_checkpoint(FULL)")
    fs.copyFileSync(db, path.join(copyHome, "cratos.db"))
    fs.copyFileSync(path.join(home, "master.key"), path.join(copyHome, "master.key"))
    const copy = new BetterSqlite3(path.join(copyHome, "cratos.db"))
    const row = copy
      .prepare(
        "SELECT id, event_data AS data FROM execution_events WHERE execution_id = ? AND event_type = 'ResponseSent'"
      )
      .get(ids["alice"]) as { id: number; data: string }
    const at = row.data.indexOf(ENVELOPE_PREFIX_V3) + ENVELOPE_PREFIX_V3.length + 30
    const flipped = row.data.slice(0, at) + (row.data[at] === "A" ? "B" : "A") + row.data.slice(at + 1)
    copy.exec("DROP TRIGGER execution_events_no_update")
    copy.prepare("UPDATE execution_events SET event_data = ? WHERE id = ?").run(flipped, row.id)
    copy.close()
    const at2 = { CRATOS_HOME: copyHome }
    const broken = await cratos(["show", ids["alice"]!, "--json", "--reveal"], at2, ws)
    expect(broken.code, broken.stderr).toBe(0)
    expect(broken.stderr).toContain(`execution ${ids["alice"]} (event row ${row.id}): field text`)
    const events = JSON.parse(broken.stdout).events as Array<{ type: string; text?: string }>
    expect(events.find((e) => e.type === "ResponseSent")?.text).toBe("[encrypted]")
    // the tool output of the same execution, and the other execution, still open
    expect(secretsIn(broken.stdout).sort()).toEqual(["aws", "dbPassword", "github", "openai"])
    const other = await cratos(["show", ids["bob"]!, "--json", "--reveal"], at2, ws)
    expect(other.stderr).toBe("")
    expect(secretsIn(other.stdout).sort()).toEqual(["aws", "dbPassword", "github", "openai"])
  })

  it("forgets a user: their raw content is gone for everyone, the other user's still opens", async () => {
    const refused = await run(["forget", "--user", "alice"])
    expect(refused.code).toBe(1)
    const done = await run(["forget", "--user", "alice", "--yes"])
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toMatch(/^forgot alice: data key \S+ destroyed at /)
    const list = await run(["forget", "--list", "--json"])
    expect(JSON.parse(list.stdout).map((r: { user_id: string }) => r.user_id)).toEqual(["alice"])
    const alice = await run(["show", ids["alice"]!, "--json", "--reveal"])
    expect(secretsIn(alice.stdout)).toEqual([])
    expect(alice.stderr).toMatch(/some content is encrypted under a key that is gone/)
    expect(JSON.parse(alice.stdout).events.map((e: { type: string }) => e.type)).toHaveLength(5)
    const bob = await run(["show", ids["bob"]!, "--json", "--reveal"])
    expect(secretsIn(bob.stdout).sort()).toEqual(["aws", "dbPassword", "github", "openai"])
    expect((await run(["forget", "--user", "alice", "--yes"])).code).toBe(1)
  })

  it("rotates the master key: the data keys re-wrapped, the old key kept and no longer opening them", async () => {
    const oldKey = fs.readFileSync(path.join(home, "master.key"), "utf8")
    const rotated = await run(["key", "rotate"])
    expect(rotated.code, rotated.stderr).toBe(0)
    const oldFile = /the old key is kept in (\S+):/.exec(rotated.stdout)?.[1]
    expect(oldFile).toBeDefined()
    expect(fs.readFileSync(oldFile!, "utf8")).toBe(oldKey)
    expect(fs.readFileSync(path.join(home, "master.key"), "utf8")).not.toBe(oldKey)
    const bob = await run(["show", ids["bob"]!, "--json", "--reveal"])
    expect(secretsIn(bob.stdout).sort()).toEqual(["aws", "dbPassword", "github", "openai"])
    const withOld = await run(["show", ids["bob"]!, "--json", "--reveal"], { CRATOS_MASTER_KEY_FILE: oldFile! })
    expect(secretsIn(withOld.stdout)).toEqual([])
    expect(secretsInDatabase(db)).toEqual([])
  })

  it("seals what the chat records (lines from stdin) too", async () => {
    const chat = await cratos(["--user", "carol"], env, ws, "read .env\n")
    expect(chat.code, chat.stderr).toBe(0)
    expect(secretsIn(chat.stdout + chat.stderr)).toEqual([])
    expect(secretsInDatabase(db)).toEqual([])
    const shown = await run(["show", await idOf("carol"), "--json", "--reveal"])
    expect(secretsIn(shown.stdout).sort()).toEqual(["aws", "dbPassword", "github", "openai"])
  })

  it("seals a plan's goal and step input: masked in show and the summary (with or without the key), exact with --reveal, masked after a forget", async () => {
    const text = `write notes.md: my password is ${PLANTED.dbPassword}`
    const masked = "write notes.md: my password is ***MASKED***"
    const r = await unrevealed(["run", text, "--user", "dave", "--approve", "yes"])
    expect(r.code, r.stderr).toBe(0)
    expect(secretsInDatabase(db)).toEqual([])
    const id = await idOf("dave")
    type Plan = { type: string; plan: { goal: string; steps: Array<{ description: string; input: unknown }> } }
    // as stored (export writes rows as they are; this process's own connection may not read the
    // file after the suite's raw reads of it dropped its locks)
    const exported = (await run(["export", id])).stdout.split("\n").filter((l) => l.includes("PlanGenerated"))
    expect(exported).toHaveLength(1)
    const plan = (JSON.parse(exported[0]!) as { event: Plan }).event
    expect(plan.plan.goal.startsWith(ENVELOPE_PREFIX_V3)).toBe(true)
    expect(String(plan.plan.steps[0]!.input).startsWith(ENVELOPE_PREFIX_V3)).toBe(true)
    const goal = async () => {
      const listed = await unrevealed(["list", "--user", "dave", "--json"])
      return (JSON.parse(listed.stdout) as Array<{ goal: string }>)[0]!.goal
    }
    expect(await goal()).toBe(masked)
    // a projector without the key rebuilds the same masked goal
    const rebuilt = await run(["project", "--rebuild"], { CRATOS_MASTER_KEY_FILE: path.join(dir, "no-such.key") })
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(await goal()).toBe(masked)
    const planOf = (stdout: string) =>
      (JSON.parse(stdout).events as Array<Plan>).find((e) => e.type === "PlanGenerated")!.plan
    const shown = planOf((await unrevealed(["show", id, "--json"])).stdout)
    expect(shown.goal).toBe(masked)
    expect(shown.steps[0]!.input).toEqual({ path: "notes.md", content: "my password is ***MASKED***" })
    const revealed = planOf((await run(["show", id, "--json", "--reveal"])).stdout)
    expect(revealed.goal).toBe(text)
    expect(revealed.steps[0]!.input).toEqual({ path: "notes.md", content: `my password is ${PLANTED.dbPassword}` })
    // forget: the masked plan still reads; the raw one reads [encrypted] for everyone
    expect((await run(["forget", "--user", "dave", "--yes"])).code).toBe(0)
    const forgotten = planOf((await unrevealed(["show", id, "--json"])).stdout)
    expect(forgotten).toEqual(shown)
    const after = await unrevealed(["show", id, "--json", "--reveal"])
    expect(planOf(after.stdout).goal).toBe("[encrypted]")
    // the message holds the password: nothing to replay without its key
    const replay = await unrevealed(["replay", id, "--mode", "dry-run"])
    expect(replay.code).toBe(1)
    expect(replay.stderr).toContain("is encrypted and cannot be opened (no master key here, or its user was forgotten)")
    expect(printed.flatMap((p) => secretsIn(p.text))).toEqual([])
  })

  it("--encryption off (or CRATOS_ENCRYPTION=off) stores the raw values in the clear: what it costs", async () => {
    for (const [args, extra] of [
      [["--encryption", "off"], {}],
      [[], { CRATOS_ENCRYPTION: "off" }]
    ] as const) {
      const offHome = fs.mkdtempSync(path.join(dir, "off-"))
      const r = await cratos(["run", "read .env", "--user", "carol", ...args], { CRATOS_HOME: offHome, ...extra }, ws)
      expect(r.code, r.stderr).toBe(0)
      expect(fs.existsSync(path.join(offHome, "master.key"))).toBe(false)
      expect(secretsInDatabase(path.join(offHome, "cratos.db")).length).toBeGreaterThan(0)
    }
  })
})
