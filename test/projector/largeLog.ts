/**
 * Large, realistic event logs for catch-up tests and benchmarks: many executions interleaved in
 * the log (as concurrent executions are), each a plausible lifecycle, written straight into a
 * database the store has created (so the schema is the migrated one).
 */
import { encodeEventJson, Events, type ExecutionEvent, normalizeMessage, Timestamp, type Uuid } from "@cratos/domain"
import { Database } from "@cratos/store"
import { Effect, Either } from "effect"
import { prng } from "../support/prng.js"

export { prng }

const TOOLS = ["file_read", "file_write", "shell", "web_search", "http_get", "git_status"]
const MODELS = ["claude-sonnet-4", "gpt-4o", "local"]

const at = (ms: number) =>
  Timestamp.fromEpochNanos(BigInt(Date.UTC(2025, 10, 26)) * 1_000_000n + BigInt(ms) * 1_000_000n)

/** One execution's lifecycle (without the MessageReceived), decided by `random`. */
const lifecycle = (random: () => number, start: number): Array<ExecutionEvent> => {
  let t = start
  const next = () => at((t += 1 + Math.floor(random() * 900)))
  const events: Array<ExecutionEvent> = []
  events.push(
    Events.planGenerated({
      plan: {
        goal: `goal ${Math.floor(random() * 1000)}`,
        steps: [{ description: "step", tool: TOOLS[0]!, input: { path: "README.md" }, depends_on: [] }],
        estimated_risk: "Read",
        requires_approval: false
      },
      model_used: MODELS[Math.floor(random() * MODELS.length)]!,
      tokens_used: Math.floor(random() * 5000),
      timestamp: next()
    })
  )
  const calls = Math.floor(random() * 4)
  for (let i = 0; i < calls; i++) {
    const tool = TOOLS[Math.floor(random() * TOOLS.length)]!
    if (random() < 0.15) {
      events.push(
        Events.approvalRequested({
          action: `${tool} x`,
          risk_level: "Write",
          tool,
          description: "d",
          input: { path: "x" },
          timestamp: next()
        })
      )
      events.push(Events.approvalReceived({ approved: true, timestamp: next() }))
    }
    events.push(Events.toolInvoked({ tool, input: { path: "README.md", api_key: "k" }, timestamp: next() }))
    const success = random() < 0.85
    events.push(
      Events.toolCompleted({
        tool,
        output: { success, output: success ? "ok" : null, error: success ? null : "boom" },
        duration_ms: Math.floor(random() * 3000),
        timestamp: next()
      })
    )
    if (!success && random() < 0.5) {
      events.push(
        Events.errorOccurred({ error: "tool failed", error_type: "Internal", recoverable: true, timestamp: next() })
      )
    }
  }
  const end = random()
  if (end < 0.75) events.push(Events.responseSent({ text: "done", channel: "cli", timestamp: next() }))
  else if (end < 0.9) {
    events.push(Events.errorOccurred({ error: "fatal", error_type: "Timeout", recoverable: false, timestamp: next() }))
    events.push(Events.responseSent({ text: "failed", channel: "cli", timestamp: next() }))
  }
  return events
}

export interface LargeLog {
  readonly executions: number
  readonly events: number
  readonly lastPosition: number
}

/**
 * Appends about `events` events to the database the Database service has open, `active`
 * executions at a time interleaved in the log, in one transaction. Deterministic for a seed.
 */
export const writeLargeLog = (options: { readonly events: number; readonly seed?: number; readonly active?: number }) =>
  Effect.gen(function* () {
    const { connection: db } = yield* Database
    const random = prng(options.seed ?? 1)
    const active = options.active ?? 64
    const insertExecution = db.prepare(
      `INSERT INTO executions (id, user_id, channel, input_text, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`
    )
    const insertEvent = db.prepare(
      `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)`
    )
    const base = (db.prepare(`SELECT count(*) AS n FROM executions`).get() as { n: number }).n
    let executions = 0
    let written = 0
    let clock = 0
    const running: Array<{ id: string; user: string; queue: Array<ExecutionEvent> }> = []
    const write = (id: string, user: string, event: ExecutionEvent) => {
      const text = Either.getOrThrow(encodeEventJson(event))
      insertEvent.run(id, user, event.type, text, event.timestamp)
      written++
    }
    const start = () => {
      const n = base + executions++
      const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`
      const user = `user-${n % 17}`
      const message = normalizeMessage({
        id: id as Uuid.Uuid,
        channel_type: "cli",
        channel_id: "tty",
        user_id: user,
        message_id: `m-${n}`,
        text: `request number ${n}`,
        timestamp: at((clock += 50))
      })
      const first = Events.messageReceived(message)
      insertExecution.run(id, user, "cli", message.text, first.timestamp)
      write(id, user, first)
      running.push({ id, user, queue: lifecycle(random, clock) })
    }
    db.transaction(() => {
      while (written < options.events) {
        while (running.length < active) start()
        const i = Math.floor(random() * running.length)
        const r = running[i]!
        const event = r.queue.shift()
        if (event === undefined) running.splice(i, 1)
        else write(r.id, r.user, event)
      }
    }).immediate()
    const lastPosition = (db.prepare(`SELECT max(id) AS n FROM execution_events`).get() as { n: number }).n
    return { executions, events: written, lastPosition } satisfies LargeLog
  })
