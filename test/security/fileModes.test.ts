/**
 * File modes (issue #7): when Cratos creates the database, its folder is 0700 and the file
 * (and SQLite's -wal and -shm beside it) 0600, whatever the umask; an existing file readable
 * by group or others gives a warning naming it (in DatabaseShape.warnings and logged).
 * The CLI case (CRATOS_HOME pointing at a fresh folder) is in cliFileModes.test.ts.
 */
import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Logger } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { messageReceived, newId, toolInvoked } from "../store/helpers.js"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-modes-"))
process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }))
let dirs = 0
const freshDir = () => path.join(root, `d${++dirs}`)

const mode = (p: string) => fs.statSync(p).mode & 0o777
const octal = (m: number) => m.toString(8).padStart(3, "0")
let checked = 0

/** Opens the store, writes a little (so -wal/-shm exist), returns the shape and what was logged. */
const openAndWrite = (options: { path?: string }) =>
  Effect.gen(function* () {
    const logged: Array<string> = []
    const logger = Logger.make(({ logLevel, message }) =>
      logged.push(`${logLevel.label} ${String(Array.isArray(message) ? message.join(" ") : message)}`)
    )
    const ctx = yield* Layer.build(EventStore.layer(options)).pipe(
      Effect.provide(Logger.replace(Logger.defaultLogger, logger))
    )
    const store = Context.get(ctx, EventStore)
    const db = Context.get(ctx, Database)
    const id = newId()
    yield* store.startExecution(id, messageReceived())
    yield* store.append(id, [toolInvoked(1)])
    return { db, logged }
  })

/** Runs `f` with the process umask set to `mask`. */
const withUmask = <A, E, R>(mask: number, f: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => process.umask(mask)),
    () => f,
    (old) => Effect.sync(() => process.umask(old))
  )

describe("modes of a database Cratos creates", () => {
  for (const umask of [0o000, 0o022, 0o077]) {
    it.scoped(`folder 0700, file, -wal and -shm 0600 under umask ${octal(umask)}`, () =>
      withUmask(
        umask,
        Effect.gen(function* () {
          const folder = path.join(freshDir(), "nested", ".cratos")
          const file = path.join(folder, "cratos.db")
          const { db, logged } = yield* openAndWrite({ path: file })
          expect(db.path).toBe(file)
          expect(octal(mode(folder))).toBe("700")
          expect(octal(mode(path.dirname(folder)))).toBe("700")
          expect(octal(mode(file))).toBe("600")
          expect(fs.existsSync(`${file}-wal`)).toBe(true)
          expect(octal(mode(`${file}-wal`))).toBe("600")
          expect(octal(mode(`${file}-shm`))).toBe("600")
          expect(db.warnings).toEqual([])
          expect(logged.filter((l) => l.startsWith("WARN"))).toEqual([])
          checked++
        })
      )
    )
  }

  it.scoped("through the default path: CRATOS_HOME pointing at a folder that does not exist yet", () =>
    Effect.gen(function* () {
      const home = path.join(freshDir(), "home")
      const saved = { home: process.env["CRATOS_HOME"], db: process.env["CRATOS_DB"] }
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          for (const [k, v] of [
            ["CRATOS_HOME", saved.home],
            ["CRATOS_DB", saved.db]
          ] as const) {
            if (v === undefined) delete process.env[k]
            else process.env[k] = v
          }
        })
      )
      process.env["CRATOS_HOME"] = home
      delete process.env["CRATOS_DB"]
      const { db } = yield* openAndWrite({})
      expect(db.path).toBe(path.join(home, "cratos.db"))
      expect(octal(mode(home))).toBe("700")
      expect(octal(mode(db.path))).toBe("600")
      checked++
    })
  )
})

describe("an existing database readable by others", () => {
  for (const existing of [0o644, 0o640, 0o604, 0o666]) {
    it.scoped(
      `mode ${octal(existing)}: a warning naming the file and its mode (logged too); the mode is left as is`,
      () =>
        Effect.gen(function* () {
          const folder = freshDir()
          const file = path.join(folder, "cratos.db")
          yield* Effect.scoped(openAndWrite({ path: file }))
          fs.chmodSync(file, existing)
          const { db, logged } = yield* openAndWrite({ path: file })
          expect(db.warnings.length).toBe(1)
          expect(db.warnings[0]).toContain(file)
          expect(db.warnings[0]).toContain(octal(existing))
          const warns = logged.filter((l) => l.startsWith("WARN"))
          expect(warns.length).toBe(1)
          expect(warns[0]).toContain(file)
          expect(octal(mode(file))).toBe(octal(existing))
          console.log(`file modes: warning captured for mode ${octal(existing)}: ${warns[0]}`)
          checked++
        })
    )
  }

  it.scoped("mode 600 in an existing folder: no warning, the folder's mode untouched", () =>
    Effect.gen(function* () {
      const folder = freshDir()
      fs.mkdirSync(folder, { mode: 0o755 })
      fs.chmodSync(folder, 0o755)
      const file = path.join(folder, "cratos.db")
      const first = yield* Effect.scoped(openAndWrite({ path: file }))
      expect(first.db.warnings).toEqual([])
      expect(octal(mode(file))).toBe("600")
      const { db, logged } = yield* openAndWrite({ path: file })
      expect(db.warnings).toEqual([])
      expect(logged.filter((l) => l.startsWith("WARN"))).toEqual([])
      expect(octal(mode(folder))).toBe("755")
      checked++
    })
  )

  it("prints the count", () => {
    console.log(
      `file modes: ${checked} store cases checked (0700 folder, 0600 file/-wal/-shm under umask 000/022/077 and via CRATOS_HOME; warnings for 644/640/604/666)`
    )
    expect(checked).toBe(9)
  })
})
