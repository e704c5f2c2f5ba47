/**
 * A read-only database file (issue #7): the file chmod 0400 in a folder chmod 0500, opened by
 * a child process those modes apply to (as root, which ignores modes: root without its DAC
 * capabilities). The write fails with a clear error naming the file — DatabaseOpenError
 * at open when SQLite cannot attach its -wal/-shm, else StorageError SQLITE_READONLY at the
 * append — and the file is unchanged. (Disk full and the in-process read-only cases are in
 * test/reliability/storageFailures.test.ts.)
 */
import { EventStore } from "@cratos/store"
import BetterSqlite3 from "better-sqlite3"
import { Context, Effect, Layer } from "effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { messageReceived, newId, repoRoot, tempDir, toolInvoked } from "../store/helpers.js"

const countRows = (db: BetterSqlite3.Database) => ({
  events: db.prepare("SELECT count(*) FROM execution_events").pluck().get() as number,
  executions: db.prepare("SELECT count(*) FROM executions").pluck().get() as number
})

const figures = { readOnly: 0 }

/** A file with one execution of two events, closed cleanly. */
const seeded = () =>
  Effect.gen(function* () {
    const file = path.join(tempDir(), "cratos.db")
    const id = newId()
    yield* Effect.scoped(
      Effect.gen(function* () {
        const store = Context.get(yield* Layer.build(EventStore.layer({ path: file })), EventStore)
        yield* store.startExecution(id, messageReceived())
        yield* store.append(id, [toolInvoked(1)])
      })
    )
    return { file, id }
  })

describe("read-only database file (chmod)", () => {
  /**
   * How the child runs so that file modes apply to it. As root (which ignores modes through its
   * DAC capabilities): still root, so it reads the checkout wherever it is (a clone under a 0700
   * folder included), but with CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER dropped
   * (`setpriv`), so the owner's bits of the locked file and folder bind it. Without setpriv:
   * as nobody, which needs a checkout others can read. As another user: directly.
   */
  const isRoot = process.getuid?.() === 0
  const hasSetpriv = isRoot && spawnSync("setpriv", ["--version"]).status === 0
  const asNobody = isRoot && !hasSetpriv

  /** Runs storageChild.ts as a process the file modes apply to. */
  const runChild = (args: ReadonlyArray<string>) => {
    const child = [process.execPath, "--import", "tsx", path.join(repoRoot, "test/faults/storageChild.ts"), ...args]
    const [command, ...rest] = hasSetpriv
      ? ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--", ...child]
      : child
    return spawnSync(command!, rest, {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, HOME: path.dirname(args[0]!) },
      ...(asNobody ? { uid: 65534, gid: 65534 } : {})
    })
  }

  /** Why the child cannot run here, or undefined when it can (probed once). */
  const cannotRun = (() => {
    let known: { readonly reason: string | undefined } | undefined
    return (): string | undefined => {
      if (known !== undefined) return known.reason
      const dir = tempDir()
      fs.chmodSync(dir, 0o777)
      const r = runChild([path.join(dir, "probe.db"), "ro", "x"])
      known = {
        reason:
          r.status === 0
            ? undefined
            : `the child cannot run ${hasSetpriv ? "under setpriv" : asNobody ? "as nobody (no setpriv; is the checkout readable by others?)" : ""}: ${(r.stderr ?? String(r.error)).trim().split("\n")[0]}`
      }
      return known.reason
    }
  })()

  const lockDown = (dir: string, file: string) => {
    if (asNobody) {
      for (const f of fs.readdirSync(dir)) fs.chownSync(path.join(dir, f), 65534, 65534)
      fs.chownSync(dir, 65534, 65534)
    }
    fs.chmodSync(file, 0o400)
    fs.chmodSync(dir, 0o500)
  }
  const unlock = (dir: string) => fs.chmodSync(dir, 0o700)

  it("file 0400 in a folder 0500, no -wal/-shm left: the open fails with a clear error naming the file, file unchanged", (ctx) => {
    const reason = cannotRun()
    if (reason !== undefined) return ctx.skip(reason)
    const { file, id } = Effect.runSync(seeded())
    const dir = path.dirname(file)
    const bytes = fs.readFileSync(file)
    lockDown(dir, file)
    try {
      for (const mode of ["rw", "ro"]) {
        const r = runChild([file, mode, id])
        expect(r.status, r.stderr).toBe(0)
        const out = JSON.parse(r.stdout) as {
          open: { ok: boolean; error?: { _tag: string; path: string; message: string } }
        }
        expect(out.open.ok).toBe(false)
        expect(out.open.error).toMatchObject({ _tag: "DatabaseOpenError", path: file })
        expect(out.open.error!.message).toContain(file)
        expect(out.open.error!.message).toMatch(/SQLITE_READONLY|readonly|read-only|permission/i)
        figures.readOnly++
      }
      expect(fs.readFileSync(file).equals(bytes)).toBe(true)
    } finally {
      unlock(dir)
    }
  }, 120_000)

  it("file 0400 in a folder 0500 while another process has it open: append and start fail with SQLITE_READONLY", (ctx) => {
    const reason = cannotRun()
    if (reason !== undefined) return ctx.skip(reason)
    const { file, id } = Effect.runSync(seeded())
    const dir = path.dirname(file)
    // Another (root) process keeps it open: -wal and -shm exist, so a reader can attach.
    const holder = new BetterSqlite3(file)
    try {
      holder.pragma("journal_mode = WAL")
      holder.prepare("SELECT count(*) FROM execution_events").get()
      const before = countRows(holder)
      lockDown(dir, file)
      try {
        for (const mode of ["rw", "ro"]) {
          const r = runChild([file, mode, id])
          expect(r.status, r.stderr).toBe(0)
          const out = JSON.parse(r.stdout) as {
            open: { ok: boolean }
            append: { ok: boolean; error?: { _tag: string; code: string; path: string; message: string } }
            start: { ok: boolean; error?: { _tag: string; code: string; path: string } }
            version: number
          }
          expect(out.open.ok).toBe(true)
          expect(out.append.error).toMatchObject({ _tag: "StorageError", code: "SQLITE_READONLY", path: file })
          expect(out.append.error!.message).toContain(file)
          expect(out.start.error).toMatchObject({ _tag: "StorageError", code: "SQLITE_READONLY", path: file })
          expect(out.version).toBe(2)
          figures.readOnly += 2
        }
      } finally {
        unlock(dir)
      }
      expect(countRows(holder)).toEqual(before)
      expect(holder.pragma("integrity_check", { simple: true })).toBe("ok")
    } finally {
      holder.close()
    }
    console.log(
      `read-only file: ${figures.readOnly} writes refused (DatabaseOpenError or StorageError SQLITE_READONLY naming the file), file unchanged`
    )
  }, 120_000)
})
