/**
 * The `cratos-projector` process: exit codes, its one-line fatal errors, JSON-line logs without
 * payloads, following new events, and a clean exit on SIGTERM/SIGINT.
 */
import { sample } from "@cratos/domain/testing"
import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { Effect } from "effect"
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { insertRaw, record } from "./harness.js"
import { readCheckpoints, readModelOf, runWorkerToEnd, spawnWorker, WORKER_BIN } from "./killHelpers.js"
import { waitUntil } from "../support/waitUntil.js"

const fileLayer = (file: string) => EventStore.layer({ path: file })

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "cratos-worker-"))

const lines = (stderr: string) => stderr.split("\n").filter((l) => l !== "")
const logs = (stderr: string) => lines(stderr).map((l) => JSON.parse(l) as Record<string, unknown>)

/** A database file holding `e1` (message, plan) then a row that does not decode, then a response. */
const withPoison = async (file: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      yield* record("e1", [sample.message(0), sample.plan(1)])
      const { connection } = yield* Database
      const bad = insertRaw(connection, "e1", "PlanGenerated", `{"type":"PlanGenerated","token":"s3cr3t-value"`)
      yield* record("e1", [sample.response(3)])
      return bad
    }).pipe(Effect.provide(fileLayer(file)))
  )

describe("cratos-projector", () => {
  it("prints its usage on --help and exits 0; exits 2 with the usage on a bad flag", () => {
    const help = spawnSync(process.execPath, [WORKER_BIN, "--help"], { encoding: "utf8" })
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^Usage: cratos-projector/)
    const bad = spawnSync(process.execPath, [WORKER_BIN, "--frobnicate"], { encoding: "utf8" })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^cratos-projector: unknown option --frobnicate\n/)
    expect(bad.stderr).toContain("Usage: cratos-projector")
  }, 60_000)

  it("exits 1 with one clear line when the file is not a Cratos database", async () => {
    const dir = tempDir()
    try {
      const file = path.join(dir, "other.db")
      const other = new BetterSqlite3(file)
      other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`)
      other.close()
      const exited = await runWorkerToEnd(file)
      expect(exited.code).toBe(1)
      expect(lines(exited.stderr)).toHaveLength(1)
      expect(logs(exited.stderr)[0]).toMatchObject({ level: "fatal", error: "DatabaseOpenError" })
      expect(String(logs(exited.stderr)[0]?.msg)).toMatch(/not a Cratos database/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it("exits 1 with one clear line when the database path cannot be created", async () => {
    const dir = tempDir()
    try {
      const notAFolder = path.join(dir, "plain-file")
      fs.writeFileSync(notAFolder, "x")
      const exited = await runWorkerToEnd(path.join(notAFolder, "cratos.db"))
      expect(exited.code).toBe(1)
      expect(lines(exited.stderr)).toHaveLength(1)
      expect(logs(exited.stderr)[0]).toMatchObject({ level: "fatal", error: "DatabaseOpenError" })
      expect(String(logs(exited.stderr)[0]?.msg)).toContain("plain-file")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it("closes an execution whose writer died (its lease names an exited process) before projecting: failed, one 'abandoned' error", async () => {
    const dir = tempDir()
    try {
      const file = path.join(dir, "cratos.db")
      const id = "88888888-8888-4888-8888-888888888888"
      await Effect.runPromise(
        Effect.gen(function* () {
          const store = yield* EventStore
          yield* store.startExecution(id, sample.message() as never)
          yield* store.append(id, [sample.plan(), sample.toolInvoked()], { expectedVersion: 1 })
        }).pipe(Effect.provide(fileLayer(file)))
      )
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid
      const db = new BetterSqlite3(file)
      db.prepare(
        "INSERT INTO writer_leases (execution_id, pid, host, process_started_at, heartbeat_at) VALUES (?, ?, ?, 0, 0)"
      ).run(id, dead, os.hostname())
      db.close()
      const exited = await runWorkerToEnd(file)
      expect(exited.code, exited.stderr).toBe(0)
      expect(
        logs(exited.stderr)
          .filter((l) => l.level === "warn")
          .map((w) => [w.msg, w.executions])
      ).toEqual([["closed executions whose writer stopped", [id]]])
      expect(readModelOf(file).executions[0]).toMatchObject({ id, status: "failed" })
      const check = new BetterSqlite3(file, { readonly: true })
      const payloads = check
        .prepare("SELECT event_data FROM execution_events WHERE execution_id = ?")
        .pluck()
        .all(id) as Array<string>
      const leases = check.prepare("SELECT count(*) FROM writer_leases").pluck().get()
      check.close()
      expect(payloads.filter((p) => p.includes("abandoned: its writer stopped"))).toHaveLength(1)
      expect(leases).toBe(0)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it("dead-letters a poison event by default: exit 0, a warning naming it, no payload in the logs", async () => {
    const dir = tempDir()
    try {
      const file = path.join(dir, "cratos.db")
      const bad = await withPoison(file)
      const exited = await runWorkerToEnd(file)
      expect(exited.code, exited.stderr).toBe(0)
      const warnings = logs(exited.stderr).filter((l) => l.level === "warn")
      expect(warnings.map((w) => [w.msg, w.position, w.execution_id])).toEqual([
        ["poison event dead-lettered", bad, "e1"],
        ["poison event dead-lettered", bad, "e1"],
        ["poison event dead-lettered", bad, "e1"]
      ])
      expect(exited.stderr).not.toContain("s3cr3t")
      expect(readModelOf(file).executions[0]).toMatchObject({ status: "completed" })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it("stops at a poison event with --poison stop: exit 1, one fatal line naming position and execution", async () => {
    const dir = tempDir()
    try {
      const file = path.join(dir, "cratos.db")
      const bad = await withPoison(file)
      const exited = await runWorkerToEnd(file, ["--once", "--poison", "stop"])
      expect(exited.code).toBe(1)
      const fatal = logs(exited.stderr).filter((l) => l.level === "fatal")
      expect(fatal).toHaveLength(1)
      expect(fatal[0]).toMatchObject({ error: "PoisonEvent" })
      expect(String(fatal[0]?.msg)).toContain(`position ${bad} (execution e1)`)
      expect(exited.stderr).not.toContain("s3cr3t")
      // Restarting stops at the same event again: nothing was skipped.
      expect((await runWorkerToEnd(file, ["--once", "--poison", "stop"])).code).toBe(1)
      expect(Math.max(...readCheckpoints(file).values())).toBeLessThan(bad)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`follows new events, and exits 0 on ${signal}`, async () => {
      const dir = tempDir()
      try {
        const file = path.join(dir, "cratos.db")
        await Effect.runPromise(record("e1", [sample.message(0), sample.plan(1)]).pipe(Effect.provide(fileLayer(file))))
        const worker = spawnWorker(file, ["--follow"])
        await waitUntil("the first catch-up", () => [...readCheckpoints(file).values()].some((p) => p === 2))
        // Another process appends while the worker follows.
        await Effect.runPromise(record("e1", [sample.response(2)]).pipe(Effect.provide(fileLayer(file))))
        await waitUntil("the new event", () => {
          const cps = [...readCheckpoints(file).values()]
          return cps.length === 3 && cps.every((p) => p === 3)
        })
        expect(readModelOf(file).executions[0]).toMatchObject({ status: "completed" })
        worker.child.kill(signal)
        const exited = await worker.exited
        expect(exited.code, exited.stderr).toBe(0)
        expect(logs(exited.stderr).map((l) => l.msg)).toContain("stopped by signal")
        for (const l of logs(exited.stderr)) expect(Object.keys(l).slice(0, 3)).toEqual(["ts", "level", "msg"])
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }, 90_000)
  }

  it("`pnpm projector --follow` stopped with SIGTERM stops the worker too: no orphan", async () => {
    const dir = tempDir()
    const file = path.join(dir, "orphan.db")
    try {
      const root = path.resolve(path.dirname(WORKER_BIN), "..", "..", "..")
      const child = spawn("pnpm", ["--silent", "projector", "--follow", "--db", file], {
        cwd: root,
        stdio: ["ignore", "ignore", "pipe"]
      })
      let stderr = ""
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
      await waitUntil("the worker to follow", () => stderr.includes("following the log"), 90_000)
      child.kill("SIGTERM")
      await new Promise((resolve) => child.on("close", resolve))
      const alive = () =>
        spawnSync("pgrep", ["-f", `cratos-projector.mjs --follow --db ${file}`], { encoding: "utf8" }).stdout.trim()
      await waitUntil("the worker to exit", () => alive() === "", 10_000)
      expect(stderr).toContain("stopped by signal")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
