import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { messageReceived, newId, tempDir } from "./helpers.js"

const mode = (p: string) => fs.statSync(p).mode & 0o777

const openedPath = (options: { path?: string }, env: Record<string, string>) =>
  Effect.map(Database, (d) => d.path).pipe(
    Effect.provide(Database.layer(options)),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

/** Opens `file` in a child process (test/store/openPath.ts), killed after `timeoutMs`. */
const openInChild = (file: string, timeoutMs: number) =>
  Effect.async<{ readonly killed: boolean; readonly line: Record<string, unknown> | undefined }>((resume) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "test/store/openPath.ts", file],
      { timeout: timeoutMs },
      (error, stdout) => {
        const text = stdout.trim()
        resume(Effect.succeed({ killed: error?.killed === true, line: text === "" ? undefined : JSON.parse(text) }))
      }
    )
  })

describe("where the database lives", () => {
  it.effect("never opens a SQLite file for a postgres:// URL: one masked line, no folder named postgres:", () =>
    Effect.gen(function* () {
      const url = "postgres://app:s3cret@127.0.0.1:1/cratos"
      for (const [options, env] of [
        [{ path: url }, {}],
        [{}, { CRATOS_DB: url }]
      ] as const) {
        const err = yield* Effect.flip(openedPath(options, env))
        expect(err._tag).toBe("DatabaseOpenError")
        expect(err.message).toMatch(
          /^cannot open postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/cratos: this is the SQLite opener/
        )
        expect(err.message).not.toContain("s3cret")
      }
      expect(fs.existsSync(path.join(process.cwd(), "postgres:"))).toBe(false)
    })
  )

  it.effect("creates the folder with mode 0700 and the file with 0600 whatever the umask", () =>
    Effect.gen(function* () {
      const file = path.join(tempDir(), "home", ".cratos", "cratos.db")
      const previous = process.umask(0)
      try {
        yield* Effect.flatMap(EventStore, (s) => s.startExecution(newId(), messageReceived())).pipe(
          Effect.provide(EventStore.layer({ path: file }))
        )
      } finally {
        process.umask(previous)
      }
      expect(mode(path.dirname(file))).toBe(0o700)
      expect(mode(file)).toBe(0o600)
    })
  )

  it.effect("warns when an existing file is readable by group or others", () =>
    Effect.gen(function* () {
      const file = path.join(tempDir(), "cratos.db")
      yield* Effect.provide(Effect.void, Database.layer({ path: file }))
      fs.chmodSync(file, 0o644)
      const warnings = yield* Effect.map(Database, (d) => d.warnings).pipe(
        Effect.provide(Database.layer({ path: file }))
      )
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain("644")
      expect(mode(file)).toBe(0o644)
    })
  )

  it.effect("prefers an explicit path, then CRATOS_DB, then CRATOS_HOME", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const explicit = path.join(dir, "explicit.db")
      const cratosDb = path.join(dir, "env.db")
      const home = path.join(dir, "cratos-home")
      const env = { CRATOS_DB: cratosDb, CRATOS_HOME: home }
      expect(yield* openedPath({ path: explicit }, env)).toBe(explicit)
      expect(yield* openedPath({}, env)).toBe(cratosDb)
      expect(yield* openedPath({}, { CRATOS_HOME: home })).toBe(path.join(home, "cratos.db"))
      expect(mode(home)).toBe(0o700)
      expect(fs.existsSync(path.join(home, "cratos.db"))).toBe(true)
    })
  )

  // Node 20's recursive mkdirSync loops forever on procfs; the store creates one level at a time.
  it.effect(
    "fails at once with DatabaseOpenError for a folder that cannot be created under /proc",
    (ctx) =>
      Effect.gen(function* () {
        ctx.skip(process.platform !== "linux", "needs Linux's /proc")
        const { killed, line } = yield* openInChild("/proc/nope/x.db", 20_000)
        expect(killed, "opening did not return within 20 s").toBe(false)
        expect(line).toMatchObject({ ok: false, tag: "DatabaseOpenError", path: "/proc/nope/x.db" })
        expect(line?.["reason"]).toMatch(/ENOENT.*\/proc\/nope/)
        expect(line?.["ms"]).toBeLessThan(1000)
      }),
    30_000
  )

  it.effect("opens :memory: without touching the file system", () =>
    Effect.gen(function* () {
      const opened = yield* openedPath({ path: ":memory:" }, { CRATOS_DB: "/nonexistent/x.db" })
      expect(opened).toBe(":memory:")
    })
  )

  it.effect("fails to open read-only a file that does not exist, creating nothing", () =>
    Effect.gen(function* () {
      const file = path.join(tempDir(), "missing", "cratos.db")
      const err = yield* Effect.flip(Effect.provide(Effect.void, Database.layer({ path: file, readonly: true })))
      expect(err).toMatchObject({ _tag: "DatabaseOpenError", path: file })
      expect(fs.existsSync(path.dirname(file))).toBe(false)
    })
  )
})
