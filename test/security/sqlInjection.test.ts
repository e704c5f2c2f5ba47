/**
 * SQL only through bound parameters (issue #7).
 *
 * 1. SQL metacharacters through every CLI filter — list --user/--status/--channel/--search/
 *    --since, show <id>, export <id> — on a database whose executions have those very strings as
 *    ids, users and texts: each answer is exactly the rows a literal comparison selects (or a
 *    validation error, exit 2), never an error of another kind, never an extra row; afterwards
 *    the tables, their row counts and the schema are intact.
 * 2. The source (packages/*\/src, apps/*\/src) builds no SQL from values: every template literal
 *    holding SQL interpolates only allow-listed SQL fragments, never a value.
 */
import { Events, type MessageReceived, normalizeMessage, Timestamp, type Uuid } from "@cratos/domain"
import { EventStore } from "@cratos/store"
import BetterSqlite3 from "better-sqlite3"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "vitest"
import { runCli } from "./cliInProcess.js"

const ROOT = fileURLToPath(new URL("../..", import.meta.url))

const META = [
  "'",
  '"',
  ";",
  "--",
  "%",
  "_",
  "\\",
  "' OR 1=1 --",
  "); DROP TABLE executions; --",
  "'; DELETE FROM execution_events; --",
  "%' OR '1'='1",
  "\\%_",
  "*",
  "?",
  "x' UNION SELECT name FROM sqlite_master --"
] as const

const at = (n: number) =>
  Timestamp.fromEpochNanos(BigInt(Date.UTC(2025, 10, 20, 9, 0, 0)) * 1_000_000n + BigInt(n) * 1_000_000_000n)

interface Seeded {
  readonly id: string
  readonly user: string
  readonly text: string
  readonly events: number
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-sql-"))
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }))
const db = path.join(dir, "cratos.db")
const seeded: Array<Seeded> = [
  { id: "00000000-0000-4000-8000-000000000001", user: "alice", text: "read notes", events: 3 },
  { id: "00000000-0000-4000-8000-000000000002", user: "bob", text: "hello world", events: 2 },
  // Executions whose id, user and text are the metacharacter strings themselves.
  ...META.map((m, i) => ({ id: m, user: m, text: `text ${m} end`, events: 1 + (i % 3) }))
]

const schemaOf = (file: string) => {
  const conn = new BetterSqlite3(file, { readonly: true })
  try {
    return {
      objects: conn.prepare("SELECT type, name FROM sqlite_master ORDER BY type, name").all(),
      executions: conn.prepare("SELECT count(*) FROM executions").pluck().get(),
      events: conn.prepare("SELECT count(*) FROM execution_events").pluck().get(),
      integrity: conn.pragma("integrity_check", { simple: true })
    }
  } finally {
    conn.close()
  }
}

let before: ReturnType<typeof schemaOf>

beforeAll(async () => {
  await Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* EventStore
      let n = 0
      for (const s of seeded) {
        const message = normalizeMessage({
          id: "00000000-0000-4000-8000-00000000ffff" as Uuid.Uuid,
          channel_type: "cli",
          channel_id: "tty",
          user_id: s.user,
          message_id: `m-${n}`,
          text: s.text,
          timestamp: at(n++)
        })
        yield* store.startExecution(s.id, Events.messageReceived(message) as MessageReceived)
        const more = Array.from({ length: s.events - 1 }, (_, k) =>
          Events.toolInvoked({ tool: "file_read", input: { path: `f${k}` }, timestamp: at(n++) })
        )
        if (more.length > 0) yield* store.append(s.id, more, { expectedVersion: 1 })
      }
    }).pipe(Effect.provide(EventStore.layer({ path: db })))
  )
  // The read model is brought up to date by the first read; then the schema is the baseline.
  expect((await runCli(["list", "--db", db, "--json", "--limit", "1000"])).code).toBe(0)
  before = schemaOf(db)
})

const listIds = (stdout: string): Array<string> => (JSON.parse(stdout) as Array<{ id: string }>).map((r) => r.id).sort()
const ids = (rows: ReadonlyArray<Seeded>) => rows.map((r) => r.id).sort()

describe("SQL metacharacters through every CLI filter", () => {
  const counts = { invocations: 0, exact: 0, validation: 0, notFound: 0 }

  it(`answers ${META.length} hostile values through 7 filters with exactly the literal matches or a validation error`, async () => {
    for (const m of META) {
      const run = async (argv: ReadonlyArray<string>) => {
        counts.invocations++
        // --db right after the command; a positional id goes after "--" (it may start with "-").
        const r = await runCli([argv[0]!, "--db", db, ...argv.slice(1)])
        // Never an internal error, never a storage failure.
        expect(r.code, `${argv.join(" ")} → ${r.stderr}`).not.toBe(70)
        expect(r.stderr.replaceAll(JSON.stringify(m), "").replaceAll(m, ""), argv.join(" ")).not.toMatch(
          /SQLITE|syntax error|no such (table|column)/i
        )
        return r
      }
      // --user and --search: exactly the rows whose value matches literally.
      const byUser = await run(["list", "--user", m, "--json", "--limit", "1000"])
      expect(byUser.code, byUser.stderr).toBe(0)
      expect(listIds(byUser.stdout)).toEqual(ids(seeded.filter((s) => s.user === m)))
      const bySearch = await run(["list", "--search", m, "--json", "--limit", "1000"])
      expect(bySearch.code, bySearch.stderr).toBe(0)
      expect(listIds(bySearch.stdout)).toEqual(ids(seeded.filter((s) => s.text.includes(m))))
      counts.exact += 2
      // --status, --channel, --since: not a status, channel or time: a validation error (exit 2) and no rows.
      for (const flag of ["--status", "--channel", "--since"]) {
        const r = await run(["list", flag, m, "--json"])
        if (r.code === 0) expect(JSON.parse(r.stdout), `${flag} ${m}`).toEqual([])
        else {
          expect(r.code, `${flag} ${m}: ${r.stderr}`).toBe(2)
          expect(r.stdout).toBe("")
          counts.validation++
        }
      }
      // show and export by id: exactly that execution (its id is the hostile string).
      const target = seeded.find((s) => s.id === m)!
      const show = await run(["show", "--json", "--", m])
      expect(show.code, show.stderr).toBe(0)
      const shown = JSON.parse(show.stdout) as { execution: { id: string }; events: Array<unknown> }
      expect(shown.execution.id).toBe(m)
      expect(shown.events.length).toBe(target.events)
      const exported = await run(["export", "--", m])
      expect(exported.code, exported.stderr).toBe(0)
      const lines = exported.stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as { execution_id: string })
      expect(lines.length).toBe(target.events)
      expect(lines.every((l) => l.execution_id === m)).toBe(true)
      counts.exact += 2
      // An id that does not exist: "no such execution" (exit 1), nothing printed on stdout.
      for (const cmd of ["show", "export"]) {
        const r = await run([cmd, "--", `${m}x`])
        expect(r.code, `${cmd} ${m}x: ${r.stderr}`).toBe(1)
        expect(r.stdout).toBe("")
        expect(r.stderr).toMatch(/no execution|not found/i)
        counts.notFound++
      }
    }
    // Tables, row counts and schema intact.
    expect(schemaOf(db)).toEqual(before)
    console.log(
      `SQL metacharacters: ${META.length} hostile values, ${counts.invocations} CLI invocations (list --user/--search/--status/--channel/--since, show, export): ` +
        `${counts.exact} exact literal answers, ${counts.validation} validation errors, ${counts.notFound} not-found; 0 other errors, 0 extra rows; tables intact`
    )
  }, 120_000)
})

// ---- the source ----------------------------------------------------------------------------

/** Template literals of a TypeScript text: their text, interpolated expressions and line. */
const templates = (s: string): Array<{ text: string; exprs: Array<string>; line: number }> => {
  const out: Array<{ text: string; exprs: Array<string>; line: number }> = []
  const n = s.length
  let i = 0
  const scanTemplate = (start: number): number => {
    // s[start] is the opening backtick; returns the index after the closing one.
    let j = start + 1
    const exprs: Array<string> = []
    while (j < n && s[j] !== "`") {
      if (s[j] === "\\") j += 2
      else if (s.startsWith("${", j)) {
        let depth = 1
        const from = j + 2
        j += 2
        while (j < n && depth > 0) {
          if (s[j] === "`") j = scanTemplate(j)
          else if (s[j] === '"' || s[j] === "'") j = skipString(j)
          else {
            if (s[j] === "{") depth++
            else if (s[j] === "}") depth--
            j++
          }
        }
        exprs.push(s.slice(from, j - 1).trim())
      } else j++
    }
    out.push({ text: s.slice(start, j + 1), exprs, line: s.slice(0, start).split("\n").length })
    return j + 1
  }
  const skipString = (start: number): number => {
    const q = s[start]
    let j = start + 1
    while (j < n && s[j] !== q && s[j] !== "\n") j += s[j] === "\\" ? 2 : 1
    return j + 1
  }
  while (i < n) {
    if (s.startsWith("//", i)) i = s.indexOf("\n", i) === -1 ? n : s.indexOf("\n", i)
    else if (s.startsWith("/*", i)) i = s.indexOf("*/", i) === -1 ? n : s.indexOf("*/", i) + 2
    else if (s[i] === "`") i = scanTemplate(i)
    else if (s[i] === '"' || s[i] === "'") i = skipString(i)
    else i++
  }
  return out
}

const SQL = /\b(SELECT|INSERT|UPDATE|DELETE|REPLACE|PRAGMA|CREATE|DROP|ALTER|WHERE|VALUES)\b/
const isSqlTemplate = (text: string) =>
  SQL.test(text) && /\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|PRAGMA)\b/.test(text)

/**
 * What an interpolation in SQL may be: a constant SQL fragment (UPPER_CASE), the store's
 * `instantKeySql("column")`, a literal, a ternary between allowed pieces, or a template whose
 * own interpolations are allowed. Anything else (a value) is refused.
 */
const allowedExpression = (e: string): boolean => {
  e = e.trim()
  if (/^[A-Z][A-Z0-9_]*$/.test(e)) return true
  if (/^instantKeySql\("[a-z_.]+"\)$/.test(e)) return true
  if (/^"[^"]*"$/.test(e) || /^'[^']*'$/.test(e)) return true
  const ternary = /^[^?]+\?\s*(.+?)\s*:\s*(""|''|"[^"]*")$/s.exec(e)
  if (ternary !== null) return allowedExpression(ternary[1]!) && allowedExpression(ternary[2]!)
  if (e.startsWith("`") && e.endsWith("`")) return templates(e)[0]?.exprs.every(allowedExpression) ?? false
  return false
}

/**
 * Interpolations reviewed by hand, by file: each is SQL text the code builds from constants.
 * - Database.ts `synchronous = ${synchronous}` (a pragma): checked against its four values first.
 */
const REVIEWED: ReadonlyArray<{ readonly file: RegExp; readonly expr: string }> = [
  { file: /packages\/store\/src\/Database\.ts$/, expr: "synchronous" }
]

const sourceFiles = (): Array<string> => {
  const out: Array<string> = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== "build") walk(p)
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) out.push(p)
    }
  }
  for (const group of ["packages", "apps"]) {
    for (const pkg of fs.readdirSync(path.join(ROOT, group))) {
      const src = path.join(ROOT, group, pkg, "src")
      if (fs.existsSync(src)) walk(src)
    }
  }
  return out
}

describe("SQL in the source", () => {
  it("interpolates no value into SQL text (template literals holding SQL use only constant fragments)", () => {
    // The scanner itself: it sees a value interpolated into SQL, and lets constant fragments through.
    const probe = templates('db.prepare(`SELECT * FROM t WHERE id = ${id} ${x ? `AND ${COL} = ?` : ""}`)')
    expect(probe.flatMap((t) => t.exprs)).toEqual(expect.arrayContaining(["id", "COL"]))
    expect(allowedExpression("id")).toBe(false)
    expect(allowedExpression("user.name")).toBe(false)
    expect(allowedExpression('x ? `AND ${COL} = ?` : ""')).toBe(true)
    expect(allowedExpression('x ? `AND ${name} = ?` : ""')).toBe(false)
    const files = sourceFiles()
    const offences: Array<string> = []
    let sqlTemplates = 0
    let interpolations = 0
    let reviewed = 0
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8")
      for (const t of templates(text)) {
        const pragma = /\.pragma\(\s*$/.test(text.slice(0, text.indexOf(t.text)).slice(-40))
        if (!isSqlTemplate(t.text) && !pragma) continue
        sqlTemplates++
        for (const e of t.exprs) {
          interpolations++
          if (allowedExpression(e)) continue
          if (REVIEWED.some((r) => r.file.test(file) && r.expr === e)) {
            reviewed++
            continue
          }
          offences.push(
            `${path.relative(ROOT, file)}:${t.line}: \${${e}} in ${t.text.slice(0, 80).replace(/\s+/g, " ")}`
          )
        }
      }
      // String concatenation onto SQL text with a lower-case (value) operand.
      const concat =
        /["'`][^"'`\n]*\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES)\b[^"'`\n]*["'`]\s*\+\s*([a-z_$][\w$.]*)/g
      for (const m of text.matchAll(concat)) {
        offences.push(`${path.relative(ROOT, file)}: "…" + ${m[2]} (concatenated SQL)`)
      }
    }
    // The reviewed `where` list only receives literal predicates.
    const readModel = files.find((f) => /packages\/projector\/src\/ReadModelQueries\.ts$/.test(f))
    if (readModel !== undefined) {
      const text = fs.readFileSync(readModel, "utf8")
      for (const m of text.matchAll(/where\.push\(([^)]*\)?)\)/g)) {
        const arg = m[1]!.trim()
        expect(
          allowedExpression(arg) || (arg.startsWith("`") && templates(arg)[0]!.exprs.every(allowedExpression)),
          `where.push(${arg})`
        ).toBe(true)
      }
    }
    console.log(
      `SQL in the source: ${files.length} files, ${sqlTemplates} SQL template literals, ${interpolations} interpolations ` +
        `(${reviewed} reviewed by hand), values interpolated: ${offences.length}`
    )
    expect(offences).toEqual([])
    expect(sqlTemplates).toBeGreaterThan(0)
  })
})
