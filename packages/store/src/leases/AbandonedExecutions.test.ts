import { Execution, type ExecutionEvent } from "@cratos/domain"
import { at, sample } from "@cratos/domain/testing"
import { Database } from "../Database.js"
import { EventStore } from "../EventStore.js"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ABANDONED_ERROR, AbandonedExecutions, closingEvents } from "./AbandonedExecutions.js"
import { currentWriter, WriterLeases } from "./WriterLeases.js"
import { procInfo } from "./WriterLiveness.js"

const ID = "66666666-6666-4666-8666-666666666666"
const types = (events: ReadonlyArray<ExecutionEvent>) => events.map((e) => e.type)

describe("closingEvents", () => {
  it("a running execution gets a fatal ErrorOccurred then the ResponseSent", () => {
    const state = Execution.fold([sample.message(), sample.plan(), sample.toolInvoked()])
    const events = Either.getOrThrow(closingEvents(state, at(9)))
    expect(types(events)).toEqual(["ErrorOccurred", "ResponseSent"])
    expect(events[0]).toMatchObject({ error: ABANDONED_ERROR, recoverable: false, error_type: "Internal" })
    expect(Execution.fold(events, state).status).toBe("failed")
  })

  it("an execution waiting for an approval is closed the same way", () => {
    const state = Execution.fold([sample.message(), sample.plan(), sample.approvalRequested()])
    expect(types(Either.getOrThrow(closingEvents(state, at(9))))).toEqual(["ErrorOccurred", "ResponseSent"])
  })

  it("one already failed (fatal error, no response yet) only gets its response", () => {
    const state = Execution.fold([sample.message(), sample.error(false)])
    expect(types(Either.getOrThrow(closingEvents(state, at(9))))).toEqual(["ResponseSent"])
  })

  it("one that has responded, or never started, needs nothing", () => {
    expect(closingEvents(Execution.fold([sample.message(), sample.response()]), at(9))).toEqual(Either.right([]))
    expect(closingEvents(Execution.initialState, at(9))).toEqual(Either.right([]))
  })
})

const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid

/** One process's view of the database file: its own connection, store, leases and detector. */
const processLayer = (file: string, identity = currentWriter()) =>
  AbandonedExecutions.layer().pipe(
    Layer.provideMerge(WriterLeases.make({ identity }).pipe(Layer.effect(WriterLeases))),
    Layer.provideMerge(EventStore.layerFromDatabase()),
    Layer.provideMerge(Database.layer({ path: file }))
  )

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cratos-lease-")), "t.db")

/** A writer that started ID and its tool, then was SIGKILLed: its events and its lease are left behind. */
const deadWriter = (dead: { readonly pid: number; readonly host: string; readonly processStartedAt: number }) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    yield* store.startExecution(ID, sample.message() as never)
    yield* store.append(ID, [sample.plan(), sample.toolInvoked()], { expectedVersion: 1 })
    const { connection } = yield* Database
    connection
      .prepare(
        "INSERT INTO writer_leases (execution_id, pid, host, process_started_at, heartbeat_at) VALUES (?, ?, ?, ?, 0)"
      )
      .run(ID, dead.pid, dead.host, dead.processStartedAt)
  })

describe("AbandonedExecutions", () => {
  it.effect("a live writer's execution is left alone", () =>
    Effect.gen(function* () {
      const file = tempFile()
      yield* Effect.gen(function* () {
        const store = yield* EventStore
        const leases = yield* WriterLeases
        const detector = yield* AbandonedExecutions
        const closed = yield* leases.hold(
          ID,
          Effect.gen(function* () {
            yield* store.startExecution(ID, sample.message() as never)
            return yield* detector.sweep
          })
        )
        expect(closed).toEqual([])
        expect((yield* store.readStream(ID)).length).toBe(1)
        expect(yield* leases.all).toEqual([])
      }).pipe(Effect.provide(processLayer(file)))
    })
  )

  it.effect("a dead writer's execution is closed as failed exactly once when two processes sweep together", () =>
    Effect.gen(function* () {
      const file = tempFile()
      const dead = { ...currentWriter(), pid: deadPid() }
      yield* deadWriter(dead).pipe(Effect.provide(processLayer(file)))
      const sweepIn = Effect.flatMap(AbandonedExecutions, (a) => a.sweep).pipe(Effect.provide(processLayer(file)))
      const [a, b] = yield* Effect.all([sweepIn, sweepIn], { concurrency: 2 })
      expect([...a, ...b]).toEqual([ID])
      const events = yield* Effect.flatMap(EventStore, (s) => s.readStream(ID)).pipe(Effect.provide(processLayer(file)))
      expect(types(events.map((e) => e.event))).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ToolInvoked",
        "ErrorOccurred",
        "ResponseSent"
      ])
      expect(Execution.fold(events.map((e) => e.event)).status).toBe("failed")
      const left = yield* Effect.flatMap(WriterLeases, (l) => l.all).pipe(Effect.provide(processLayer(file)))
      expect(left).toEqual([])
    })
  )

  it.effect.skipIf(!fs.existsSync("/proc/self/stat"))(
    "every tool child's process group a dead writer's lease names is killed, not only the latest",
    () =>
      Effect.gen(function* () {
        const file = tempFile()
        const dead = { ...currentWriter(), pid: deadPid() }
        // two exec children running side by side, each a shell leading its own group with a child of its own
        const children = [1, 2].map(() =>
          spawn("/bin/sh", ["-c", "sleep 300 & wait"], { detached: true, stdio: "ignore" })
        )
        // a member of the group that is not a zombie (a killed orphan waits for init to reap it)
        const alive = (pgid: number) =>
          fs.readdirSync("/proc").some((entry) => {
            if (!/^\d+$/.test(entry)) return false
            try {
              const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8")
              const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
              return Number(pgrp) === pgid && state !== "Z" && state !== "X"
            } catch {
              return false
            }
          })
        try {
          yield* deadWriter(dead).pipe(Effect.provide(processLayer(file)))
          yield* Effect.gen(function* () {
            const { connection } = yield* Database
            const insert = connection.prepare(
              "INSERT INTO writer_lease_children (execution_id, pgid, started_at) VALUES (?, ?, ?)"
            )
            for (const c of children) insert.run(ID, c.pid!, procInfo(c.pid!)?.startedAt ?? null)
          }).pipe(Effect.provide(processLayer(file)))
          expect(children.map((c) => alive(c.pid!))).toEqual([true, true])
          const closed = yield* Effect.flatMap(AbandonedExecutions, (a) => a.sweep).pipe(
            Effect.provide(processLayer(file))
          )
          expect(closed).toEqual([ID])
          yield* Effect.promise(() => Promise.all(children.map((c) => new Promise((r) => c.once("exit", r)))))
          expect(children.map((c) => alive(c.pid!))).toEqual([false, false])
          const named = yield* Effect.map(Database, ({ connection }) =>
            connection.prepare("SELECT count(*) FROM writer_lease_children").pluck().get()
          ).pipe(Effect.provide(processLayer(file)))
          expect(named).toBe(0)
        } finally {
          for (const c of children) if (alive(c.pid!)) process.kill(-c.pid!, "SIGKILL")
        }
      })
  )
})
