/**
 * A database written by the Rust program (the seed's DDL, rows as its `insert_event` writes
 * them, statuses never updated, no checkpoint yet) opens through the store, which adopts and
 * migrates it, and projects without loss.
 */
import { decodeEventJson, deriveStatus, type ExecutionEvent } from "@cratos/domain"
import { Projector, ReadModel } from "@cratos/projector"
import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import BetterSqlite3 from "better-sqlite3"
import { Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { snapshot } from "./harness.js"
import { SEED_DDL } from "../support/seedDdl.js"

const fixtures = new Map(
  fs
    .readFileSync(path.join(import.meta.dirname, "../fixtures/serde/cases.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const c = JSON.parse(line) as { name: string; event_type: string; text: string }
      return [c.name, c] as const
    })
)

const fixture = (name: string) => {
  const c = fixtures.get(name)
  if (c === undefined) throw new Error(`no fixture ${name}`)
  return c
}

/** Executions as the Rust program leaves them: its own created_at spelling, status untouched. */
const histories: ReadonlyArray<{
  id: string
  user: string
  createdAt: string
  status: string
  events: ReadonlyArray<string>
}> = [
  {
    id: "rust-a",
    user: "alice",
    createdAt: "2025-11-26T10:10:35.5+00:00",
    status: "pending",
    events: [
      "message_received_plain",
      "plan_generated",
      "approval_requested",
      "approval_received_yes",
      "tool_invoked",
      "tool_completed_ok",
      "response_sent"
    ]
  },
  {
    id: "rust-b",
    user: "bob",
    createdAt: "2025-11-26T10:10:36.000000001+00:00",
    status: "pending",
    events: [
      "message_received_command",
      "plan_generated_empty",
      "error_occurred",
      "tool_invoked_scalar_input",
      "tool_completed_err",
      "error_occurred_fatal",
      "response_sent"
    ]
  },
  // A status the Rust program set its own way: the fold of the events wins.
  {
    id: "rust-c",
    user: "alice",
    createdAt: "2025-11-26T10:10:36+00:00",
    status: "running",
    events: ["message_received_plain"]
  },
  {
    id: "rust-d",
    user: "carol",
    createdAt: "2025-11-26T10:10:37.25+00:00",
    status: "pending",
    events: ["message_received_plain", "plan_generated", "approval_requested_minimal", "error_occurred"]
  }
]

const writeSeedDatabase = (file: string) => {
  const db = new BetterSqlite3(file)
  db.exec(SEED_DDL)
  const insertExecution = db.prepare(
    `INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`
  )
  // The seed's insert_event, with `Utc::now().to_rfc3339()` as the timestamp.
  const insertEvent = db.prepare(
    `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)`
  )
  let second = 0
  for (const h of histories) {
    insertExecution.run(h.id, h.user, "cli", "hello from rust", h.status, h.createdAt)
    for (const name of h.events) {
      const c = fixture(name)
      insertEvent.run(
        h.id,
        h.user,
        c.event_type,
        c.text,
        `2025-11-26T11:00:${String(second++).padStart(2, "0")}.123456789+00:00`
      )
    }
  }
  db.close()
}

const decoded = (names: ReadonlyArray<string>): Array<ExecutionEvent> =>
  names.map((n) => Either.getOrThrow(decodeEventJson(fixture(n).text)))

describe("a database written by the seed's DDL", () => {
  it.effect("opens through the store, projects every history, and needs no checkpoint to start", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-seed-"))
    const file = path.join(dir, "cratos.db")
    writeSeedDatabase(file)
    const layer = Layer.mergeAll(Projector.layer(), ReadModel.layer).pipe(
      Layer.provideMerge(EventStore.layer({ path: file }))
    )
    return Effect.gen(function* () {
      const { connection: db } = yield* Database
      expect(snapshot(db).checkpoints).toEqual([])
      const result = yield* (yield* Projector).catchUp
      expect(result).toMatchObject({ events: 19, deadLetters: 0, position: 19 })
      const s = snapshot(db)
      for (const h of histories) {
        const row = s.executions.find((r) => r.id === h.id)
        expect({ status: row?.status, completed_at: row?.completed_at }).toEqual(deriveStatus(decoded(h.events)))
      }
      expect(s.executions.map((r) => [r.id, r.status, r.completed_at])).toEqual([
        ["rust-a", "completed", "2025-11-26T10:10:37.250Z"],
        ["rust-b", "failed", "2025-11-26T10:10:37.250Z"],
        ["rust-c", "pending", null],
        ["rust-d", "running", null]
      ])
      // The Rust rows keep their own columns untouched.
      expect(s.executions.map((r) => r.created_at)).toEqual(histories.map((h) => h.createdAt))

      const rm = yield* ReadModel
      const b = yield* rm.get("rust-b")
      expect(b).toMatchObject({
        event_count: 7,
        goal: "",
        step_count: 0,
        tools_used: ["echo", "s3_upload"],
        tool_calls: 1,
        tool_failures: 1,
        tool_time_ms: 9007199254740991,
        tokens_used: 0,
        model_used: "local",
        approval_pending: false,
        error_count: 2,
        first_event_at: "2025-11-26T10:10:37.250Z",
        last_event_at: "2025-11-26T10:10:37.250Z"
      })
      const a = yield* rm.get("rust-a")
      expect(a).toMatchObject({ tokens_used: 4294967295, model_used: "claude-sonnet-4", approval_pending: false })
      const d = yield* rm.get("rust-d")
      expect(d).toMatchObject({ approval_pending: true, error_count: 1, status: "running" })
      // Newest first, by instant, across the Rust program's `+00:00` spellings.
      expect((yield* rm.list()).map((r) => r.id)).toEqual(["rust-d", "rust-b", "rust-c", "rust-a"])
      expect((yield* rm.list({ since: "2025-11-26T10:10:36Z", user: "alice" })).map((r) => r.id)).toEqual(["rust-c"])
      const stats = yield* rm.stats()
      expect(stats.executions_by_status).toEqual({ pending: 1, running: 1, completed: 1, failed: 1 })
      expect(stats.tools).toEqual([
        { tool: "file_read", calls: 1, failures: 0, p50_ms: 1234, p95_ms: 1234 },
        { tool: "s3_upload", calls: 1, failures: 1, p50_ms: 9007199254740991, p95_ms: 9007199254740991 }
      ])
      expect(stats.tokens_by_model).toEqual([
        { model: "claude-sonnet-4", tokens: 4294967295 * 2, executions: 2 },
        { model: "local", tokens: 0, executions: 1 }
      ])
      expect((yield* rm.status()).projections.every((p) => p.lag === 0)).toBe(true)
    }).pipe(Effect.provide(layer), Effect.ensuring(Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))))
  })
})
