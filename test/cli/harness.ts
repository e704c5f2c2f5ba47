/**
 * Runs the real `cratos` process (`node apps/agent/bin/cratos.mjs …` from the repo root) and
 * seeds databases through the store's API, for the CLI's end-to-end tests.
 */
import { Events, type ExecutionEvent, Timestamp, type Uuid } from "@cratos/domain"
import { normalizeMessage } from "@cratos/domain"
import { EventStore } from "@cratos/store"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
export const BIN = path.join(ROOT, "apps", "agent", "bin", "cratos.mjs")

export interface CliResult {
  readonly stdout: string
  readonly stderr: string
  readonly code: number | null
}

/** A temporary folder (removed at process exit). */
export const tempDir = (prefix = "cratos-cli-"): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Runs `cratos args…` with CRATOS_DB set; stdin is `input` (or empty: not a terminal). */
export const cratos = (
  args: ReadonlyArray<string>,
  options: {
    readonly db?: string
    readonly input?: string
    readonly env?: Record<string, string>
    readonly cwd?: string
  } = {}
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env }
    delete env["CRATOS_HOME"]
    if (options.db !== undefined) env["CRATOS_DB"] = options.db
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ stdout, stderr, code }))
    child.stdin.end(options.input ?? "")
  })

/** The n-th second after 2025-11-20T09:00:00Z. */
export const at = (n: number): Timestamp.Timestamp =>
  Timestamp.fromEpochNanos(BigInt(Date.UTC(2025, 10, 20, 9, 0, 0)) * 1_000_000n + BigInt(n) * 1_000_000_000n)

export const message = (id: string, user: string, text: string, n: number): ExecutionEvent =>
  Events.messageReceived(
    normalizeMessage({
      id: id as Uuid.Uuid,
      channel_type: "cli",
      channel_id: "tty",
      user_id: user,
      message_id: `m-${n}`,
      text,
      timestamp: at(n)
    })
  )

export const ID = {
  read: "11111111-1111-4111-8111-111111111111",
  failed: "22222222-2222-4222-8222-222222222222",
  declined: "33333333-3333-4333-8333-333333333333",
  pending: "44444444-4444-4444-8444-444444444444"
} as const

export const SECRET = "sk-live-DO-NOT-PRINT-123456"

/** Four executions: a completed read (with a secret in its input), a failed read, a declined write, a pending one. */
export const sampleHistories = (): ReadonlyArray<{
  readonly id: string
  readonly events: ReadonlyArray<ExecutionEvent>
}> => [
  {
    id: ID.read,
    events: [
      message(ID.read, "alice", "read notes.txt", 0),
      Events.planGenerated({
        plan: {
          goal: "read notes.txt",
          steps: [{ description: "read the file", tool: "file_read", input: { path: "notes.txt" }, depends_on: [] }],
          estimated_risk: "Read",
          requires_approval: false
        },
        model_used: "rules",
        tokens_used: 0,
        timestamp: at(1)
      }),
      Events.toolInvoked({ tool: "file_read", input: { path: "notes.txt", api_key: SECRET }, timestamp: at(2) }),
      Events.toolCompleted({
        tool: "file_read",
        output: { success: true, output: { text: "hello notes", token: SECRET }, error: null },
        duration_ms: 12,
        timestamp: at(3)
      }),
      Events.responseSent({ text: "hello notes", channel: "cli", timestamp: at(65) })
    ]
  },
  {
    id: ID.failed,
    events: [
      message(ID.failed, "bob", "read missing.txt", 100),
      Events.toolInvoked({ tool: "file_read", input: { path: "missing.txt" }, timestamp: at(101) }),
      Events.toolCompleted({
        tool: "file_read",
        output: { success: false, output: null, error: "no such file: missing.txt" },
        duration_ms: 3,
        timestamp: at(102)
      }),
      Events.errorOccurred({
        error: "file_read failed: no such file",
        error_type: "Validation",
        recoverable: false,
        timestamp: at(103)
      }),
      Events.responseSent({ text: "I could not read missing.txt", channel: "cli", timestamp: at(104) })
    ]
  },
  {
    id: ID.declined,
    events: [
      message(ID.declined, "alice", "write hello to out.txt", 200),
      Events.approvalRequested({
        action: "file_write out.txt",
        risk_level: "Write",
        tool: "file_write",
        description: "write out.txt",
        input: { path: "out.txt", content: "hello", password: SECRET },
        step_index: 0,
        timestamp: at(201)
      }),
      Events.approvalReceived({ approved: false, timestamp: at(202) }),
      Events.responseSent({ text: "Declined: nothing was written", channel: "cli", timestamp: at(203) })
    ]
  },
  { id: ID.pending, events: [message(ID.pending, "carol", "100% done_ok", 300)] }
]

/** Writes histories through the store's API (startExecution + append). */
export const seed = (
  file: string,
  histories: ReadonlyArray<{ readonly id: string; readonly events: ReadonlyArray<ExecutionEvent> }> = sampleHistories()
) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const store = yield* EventStore
      for (const h of histories) {
        const [first, ...rest] = h.events
        yield* store.startExecution(h.id, first as Extract<ExecutionEvent, { type: "MessageReceived" }>)
        if (rest.length > 0) yield* store.append(h.id, rest, { expectedVersion: 1 })
      }
    }).pipe(Effect.provide(EventStore.layer({ path: file })))
  )

/** The lines of a text, without the empty last one. */
export const lines = (text: string): ReadonlyArray<string> =>
  text.split("\n").filter((l, i, a) => !(l === "" && i === a.length - 1))
