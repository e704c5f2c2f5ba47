import { sample } from "@cratos/domain/testing"
import { Projector, ReadModel } from "@cratos/projector"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestSql } from "../store/helpers.js"
import { projectorBackends, record } from "./harness.js"

const insertExecution = (
  id: string,
  createdAt: string,
  fields: Partial<{ user: string; status: string; text: string; channel: string }> = {}
) =>
  Effect.flatMap(TestSql, (sql) =>
    sql.all(
      `INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      id,
      fields.user ?? "u1",
      fields.channel ?? "cli",
      fields.text ?? "hello",
      fields.status ?? "pending",
      createdAt
    )
  )

describe.each(projectorBackends())("ReadModel on $name", (backend) => {
  describe("ReadModel", () => {
    it.effect("lists newest first by instant, even when fraction digits differ", () =>
      Effect.gen(function* () {
        yield* insertExecution("a", "2025-11-26T10:10:37Z")
        yield* insertExecution("b", "2025-11-26T10:10:37.250Z")
        yield* insertExecution("c", "2025-11-26T10:10:36.999999999Z")
        yield* insertExecution("d", "2025-11-26T10:10:38.5+00:00")
        const rm = yield* ReadModel
        const rows = yield* rm.list()
        expect(rows.map((r) => r.id)).toEqual(["d", "b", "a", "c"])
        const since = yield* rm.list({ since: "2025-11-26T10:10:37.1Z" })
        expect(since.map((r) => r.id)).toEqual(["d", "b"])
        const until = yield* rm.list({ until: "2025-11-26T12:10:37+02:00" })
        expect(until.map((r) => r.id)).toEqual(["a", "c"])
        expect(yield* rm.latestId()).toBe("d")
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("searches input text literally: % and _ are not wildcards", () =>
      Effect.gen(function* () {
        yield* insertExecution("a", "2025-11-26T10:00:00Z", { text: "grow 100% now" })
        yield* insertExecution("b", "2025-11-26T10:00:01Z", { text: "grow 100 now" })
        yield* insertExecution("c", "2025-11-26T10:00:02Z", { text: "a_b" })
        yield* insertExecution("d", "2025-11-26T10:00:03Z", { text: "axb" })
        const rm = yield* ReadModel
        expect((yield* rm.list({ search: "100%" })).map((r) => r.id)).toEqual(["a"])
        expect((yield* rm.list({ search: "a_b" })).map((r) => r.id)).toEqual(["c"])
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect(
      "searches masked text only: a secret kept in the clear in input_text is not found, by whole or part",
      () =>
        Effect.gen(function* () {
          // Rows written with encryption off (or before it) keep the message's text as it was.
          const text = "read .env (my password is hunter2horse-Db-9)"
          yield* insertExecution("e1", "2025-11-26T10:00:00Z", { text })
          yield* insertExecution("e2", "2025-11-26T10:00:01Z", { text })
          const rm = yield* ReadModel
          const ids = (rows: ReadonlyArray<{ id: string }>) => rows.map((r) => r.id)
          expect(ids(yield* rm.list({ search: "hunter2horse-Db-9" }))).toEqual([])
          expect(ids(yield* rm.list({ search: "hunter2horse" }))).toEqual([])
          expect(ids(yield* rm.list({ search: "read .env" }))).toEqual(["e2", "e1"])
          // The masked view's own marker is not stored text: no match either.
          expect(ids(yield* rm.list({ search: "MASKED" }))).toEqual([])
        }).pipe(Effect.provide(backend.layer()))
    )

    it.effect(
      "pages a search over masked text by matching rows only: limit, offset and order hold across many stored-text matches",
      () =>
        Effect.gen(function* () {
          // 240 rows (two at each instant) whose stored text holds "hunter2"; in two of every
          // three it is a password, masked away, so only every third row matches.
          const n = 240
          const id = (i: number) => `s${String(i).padStart(3, "0")}`
          for (let i = 0; i < n; i++) {
            const t = Math.floor(i / 2)
            const at = `2025-11-26T1${Math.floor(t / 60)}:${String(t % 60).padStart(2, "0")}:00Z`
            yield* insertExecution(id(i), at, {
              text: i % 3 === 0 ? `hunter2 meme ${i}` : `note ${i}: my password is hunter2horse-Db-9`,
              user: i % 2 === 0 ? "ann" : "bob"
            })
          }
          const matching = Array.from({ length: n }, (_, i) => n - 1 - i)
            .filter((i) => i % 3 === 0)
            .map(id)
          const rm = yield* ReadModel
          const ids = (rows: ReadonlyArray<{ id: string }>) => rows.map((r) => r.id)
          expect(ids(yield* rm.list({ search: "hunter2", limit: 1000 }))).toEqual(matching)
          expect(ids(yield* rm.list({ search: "HUNTER2" }))).toEqual(matching.slice(0, 50))
          expect(ids(yield* rm.list({ search: "hunter2", limit: 7, offset: 30 }))).toEqual(matching.slice(30, 37))
          expect(ids(yield* rm.list({ search: "hunter2", limit: 10, offset: 75 }))).toEqual(matching.slice(75, 80))
          expect(ids(yield* rm.list({ search: "hunter2", offset: 80 }))).toEqual([])
          expect(ids(yield* rm.list({ search: "hunter2", limit: 0 }))).toEqual([])
          // With another filter in the same statement.
          expect(ids(yield* rm.list({ search: "meme", user: "bob", limit: 1000 }))).toEqual(
            matching.filter((x) => Number(x.slice(1)) % 2 === 1)
          )
        }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("get fails with ExecutionNotFound for an unknown id", () =>
      Effect.gen(function* () {
        const rm = yield* ReadModel
        const error = yield* Effect.flip(rm.get("nope"))
        expect(error._tag).toBe("ExecutionNotFound")
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("rejects a since that is not a timestamp with InvalidQuery", () =>
      Effect.gen(function* () {
        const rm = yield* ReadModel
        const error = yield* Effect.flip(rm.list({ since: "yesterday" }))
        expect(error._tag).toBe("InvalidQuery")
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("filters by user, status and channel, and pages with limit and offset", () =>
      Effect.gen(function* () {
        for (let i = 0; i < 6; i++) {
          yield* insertExecution(`x${i}`, `2025-11-26T10:00:0${i}Z`, {
            user: i % 2 === 0 ? "ann" : "bob",
            status: i < 3 ? "completed" : "running",
            channel: i === 5 ? "slack" : "cli"
          })
        }
        const rm = yield* ReadModel
        const ids = (rows: ReadonlyArray<{ id: string }>) => rows.map((r) => r.id)
        expect(ids(yield* rm.list({ user: "ann" }))).toEqual(["x4", "x2", "x0"])
        expect(ids(yield* rm.list({ status: "completed" }))).toEqual(["x2", "x1", "x0"])
        expect(ids(yield* rm.list({ channel: "slack" }))).toEqual(["x5"])
        expect(ids(yield* rm.list({ user: "bob", status: "running" }))).toEqual(["x5", "x3"])
        expect(ids(yield* rm.list({ limit: 2, offset: 1 }))).toEqual(["x4", "x3"])
        expect(yield* rm.latestId("bob")).toBe("x5")
        expect(yield* rm.latestId("nobody")).toBe(null)
        expect((yield* Effect.flip(rm.list({ limit: -1 })))._tag).toBe("InvalidQuery")
        expect((yield* Effect.flip(rm.list({ status: "done" as never })))._tag).toBe("InvalidQuery")
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("shows a projected execution with its summary, tools as an array and approval as a boolean", () =>
      Effect.gen(function* () {
        yield* record("e1", [sample.message(0), sample.plan(1), sample.approvalRequested(2)])
        yield* (yield* Projector).catchUp
        const row = yield* (yield* ReadModel).get("e1")
        expect(row).toEqual({
          id: "e1",
          user_id: "user-1",
          channel: "cli",
          status: "running",
          created_at: sample.message(0).timestamp,
          completed_at: null,
          input_text: "read README.md",
          event_count: 3,
          goal: "read README.md",
          step_count: 1,
          tools_used: [],
          tool_calls: 0,
          tool_failures: 0,
          tool_time_ms: 0,
          tokens_used: 0,
          model_used: "rules",
          approval_pending: true,
          error_count: 0,
          first_event_at: sample.message(0).timestamp,
          last_event_at: sample.approvalRequested(2).timestamp
        })
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("stats: nearest-rank p50/p95 per tool, failures, statuses and tokens since an instant", () =>
      Effect.gen(function* () {
        const sql = yield* TestSql
        yield* insertExecution("old", "2025-11-25T00:00:00Z", { status: "completed" })
        yield* insertExecution("new", "2025-11-26T12:00:00Z", { status: "failed" })
        const insert = `INSERT INTO tool_calls (position, execution_id, tool, success, duration_ms, completed_at) VALUES (?, ?, ?, ?, ?, ?)`
        // shell: 1..20 ms after the cut, one failure; http: 100 ms before the cut.
        for (let i = 1; i <= 20; i++)
          yield* sql.all(insert, i, "new", "shell", i === 7 ? 0 : 1, i, "2025-11-26T12:00:01Z")
        yield* sql.all(insert, 21, "old", "http", 1, 100, "2025-11-25T00:00:01Z")
        const summary = `INSERT INTO execution_summaries (execution_id, tokens_used, model_used) VALUES (?, ?, ?)`
        yield* sql.all(summary, "old", 10, "m1")
        yield* sql.all(summary, "new", 5, "m2")
        const rm = yield* ReadModel
        expect(yield* rm.stats({ since: "2025-11-26T00:00:00Z" })).toEqual({
          executions_by_status: { pending: 0, running: 0, completed: 0, failed: 1 },
          tools: [{ tool: "shell", calls: 20, failures: 1, p50_ms: 10, p95_ms: 19 }],
          tokens_by_model: [{ model: "m2", tokens: 5, executions: 1 }]
        })
        const all = yield* rm.stats()
        expect(all.executions_by_status).toEqual({ pending: 0, running: 0, completed: 1, failed: 1 })
        expect(all.tools.map((t) => [t.tool, t.calls, t.p50_ms, t.p95_ms])).toEqual([
          ["shell", 20, 10, 19],
          ["http", 1, 100, 100]
        ])
        expect(all.tokens_by_model).toEqual([
          { model: "m1", tokens: 10, executions: 1 },
          { model: "m2", tokens: 5, executions: 1 }
        ])
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("stats of one user count that user's executions, tool calls and tokens only", () =>
      Effect.gen(function* () {
        const sql = yield* TestSql
        yield* insertExecution("a1", "2025-11-25T00:00:00Z", { user: "alice", status: "completed" })
        yield* insertExecution("a2", "2025-11-26T12:00:00Z", { user: "alice", status: "failed" })
        yield* insertExecution("b1", "2025-11-26T12:00:00Z", { user: "bob", status: "completed" })
        const insert = `INSERT INTO tool_calls (position, execution_id, tool, success, duration_ms, completed_at) VALUES (?, ?, ?, ?, ?, ?)`
        yield* sql.all(insert, 1, "a1", "shell", 1, 10, "2025-11-25T00:00:01Z")
        yield* sql.all(insert, 2, "a2", "shell", 0, 30, "2025-11-26T12:00:01Z")
        yield* sql.all(insert, 3, "b1", "http", 1, 99, "2025-11-26T12:00:01Z")
        const summary = `INSERT INTO execution_summaries (execution_id, tokens_used, model_used) VALUES (?, ?, ?)`
        yield* sql.all(summary, "a1", 10, "m1")
        yield* sql.all(summary, "b1", 7, "m1")
        const rm = yield* ReadModel
        expect(yield* rm.stats({ user: "alice" })).toEqual({
          executions_by_status: { pending: 0, running: 0, completed: 1, failed: 1 },
          tools: [{ tool: "shell", calls: 2, failures: 1, p50_ms: 10, p95_ms: 30 }],
          tokens_by_model: [{ model: "m1", tokens: 10, executions: 1 }]
        })
        expect(yield* rm.stats({ user: "bob", since: "2025-11-26T00:00:00Z" })).toEqual({
          executions_by_status: { pending: 0, running: 0, completed: 1, failed: 0 },
          tools: [{ tool: "http", calls: 1, failures: 0, p50_ms: 99, p95_ms: 99 }],
          tokens_by_model: [{ model: "m1", tokens: 7, executions: 1 }]
        })
        expect((yield* rm.stats({ user: "alice", since: "2025-11-26T00:00:00Z" })).executions_by_status).toEqual({
          pending: 0,
          running: 0,
          completed: 0,
          failed: 1
        })
        expect((yield* rm.stats({ user: "nobody" })).tools).toEqual([])
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("the status series of one user counts that user's executions only", () =>
      Effect.gen(function* () {
        yield* insertExecution("a1", "2025-11-25T10:00:00Z", { user: "alice", status: "completed" })
        yield* insertExecution("a2", "2025-11-26T12:00:00Z", { user: "alice", status: "failed" })
        yield* insertExecution("b1", "2025-11-26T12:30:00Z", { user: "bob", status: "completed" })
        const rm = yield* ReadModel
        const point = (start: string, counts: Partial<Record<string, number>>) => ({
          start,
          pending: 0,
          running: 0,
          completed: 0,
          failed: 0,
          ...counts
        })
        expect(yield* rm.statusSeries({ bucket: "day", user: "alice" })).toEqual([
          point("2025-11-25T00:00:00Z", { completed: 1 }),
          point("2025-11-26T00:00:00Z", { failed: 1 })
        ])
        expect(yield* rm.statusSeries({ bucket: "hour", user: "bob", since: "2025-11-26T00:00:00Z" })).toEqual([
          point("2025-11-26T12:00:00Z", { completed: 1 })
        ])
        expect(
          yield* rm.statusSeries({
            bucket: "day",
            user: "alice",
            since: "2025-11-26T00:00:00Z",
            until: "2025-11-27T00:00:00Z"
          })
        ).toEqual([point("2025-11-26T00:00:00Z", { failed: 1 })])
        expect(yield* rm.statusSeries({ bucket: "day" })).toEqual([
          point("2025-11-25T00:00:00Z", { completed: 1 }),
          point("2025-11-26T00:00:00Z", { completed: 1, failed: 1 })
        ])
        expect(yield* rm.statusSeries({ bucket: "day", user: "nobody" })).toEqual([])
      }).pipe(Effect.provide(backend.layer()))
    )
  })
})
