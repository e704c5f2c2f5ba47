/**
 * Realistic, deterministic events for the benchmarks, built with the domain's constructors (so
 * the masked copies are filled by the domain's masker, as in production).
 *
 * An execution is 10 events:
 *   MessageReceived, PlanGenerated (3 steps),
 *   ToolInvoked/ToolCompleted × 3 (the third call fails),
 *   ErrorOccurred (recoverable: the failed call), ResponseSent.
 * Tool inputs are nested objects of about 300–600 bytes of JSON, some with secrets (headers,
 * env, api keys) so the masked copy differs from the raw one.
 *
 * `BENCH_SECRET_SHARE` (0 to 1, default 1) is the share of executions whose tool inputs and
 * outputs hold those secrets; the others hold values of the same shapes and sizes that masking
 * leaves as they are (an Accept header, a page size, a time zone): what encryption at rest costs
 * depends on how many events hold anything to seal (issue 14).
 *
 * Everything is a pure function of the execution's index: the store run and its ceiling see the
 * same events, and a chunk can be rebuilt instead of being kept in memory.
 */
import {
  type Channel,
  Events,
  type ExecutionEvent,
  type MessageReceived,
  normalizeMessage,
  Timestamp,
  type Uuid
} from "@cratos/domain"

export const EVENTS_PER_EXECUTION = 10
export const USERS = 200

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, "0").slice(-width)

/** A deterministic UUID v4-shaped id: `kind` separates executions from messages. */
export const uuidOf = (kind: number, i: number): Uuid.Uuid =>
  `${hex(i * 2654435761, 8)}-${hex(kind, 4)}-4${hex(i >>> 20, 3)}-8${hex(i >>> 8, 3)}-${hex(i, 12)}` as Uuid.Uuid

export const executionIdOf = (i: number): string => uuidOf(0xe0e0, i)
export const userOf = (i: number): string => `user-${(i * 7919) % USERS}`

const BASE_MS = Date.UTC(2025, 10, 26, 10, 0, 0)
/** Executions start 1.5 s apart; event k of an execution is k × 137 ms after its start. */
export const at = (i: number, k: number): Timestamp.Timestamp =>
  Timestamp.fromEpochNanos(BigInt(BASE_MS + i * 1500 + k * 137) * 1_000_000n + BigInt((i * 31 + k) % 1000) * 1000n)

const CHANNELS: ReadonlyArray<Channel> = ["cli", "slack", "telegram", "discord", "api"]
const WORDS = [
  "deploy",
  "staging",
  "report",
  "quarterly",
  "invoice",
  "customer",
  "refund",
  "latency",
  "cluster",
  "migration",
  "backup",
  "rotate",
  "certificate",
  "summary",
  "weekly",
  "incident",
  "timeline",
  "review"
]
const word = (n: number) => WORDS[n % WORDS.length]!
const sentence = (seed: number, n: number) => Array.from({ length: n }, (_, j) => word(seed * 13 + j * 7)).join(" ")

const SECRET_SHARE = Number(process.env["BENCH_SECRET_SHARE"] ?? 1)
if (!(SECRET_SHARE >= 0 && SECRET_SHARE <= 1)) {
  console.error(`bench: BENCH_SECRET_SHARE must be a number from 0 to 1, not ${process.env["BENCH_SECRET_SHARE"]}`)
  process.exit(2)
}
/** Whether execution `i`'s tool inputs and outputs hold secrets (spread evenly over the indexes). */
export const holdsSecrets = (i: number): boolean => (i * 37) % 100 < SECRET_SHARE * 100

/** Tool inputs: nested, 300–600 bytes as JSON, some keys sensitive (see `holdsSecrets`). */
export const toolInput = (i: number, step: number): { readonly tool: string; readonly input: unknown } => {
  const secret = holdsSecrets(i)
  switch ((i + step) % 3) {
    case 0:
      return {
        tool: "http_request",
        input: {
          method: step % 2 === 0 ? "POST" : "GET",
          url: `https://api.example.com/v2/${word(i)}/${i}/items?page=${step}&limit=50`,
          headers: {
            ...(secret
              ? { Authorization: `Bearer eyJhbGciOiJIUzI1NiJ9.${hex(i * 97, 8)}${hex(step * 31, 8)}.sig` }
              : { Accept: `application/vnd.example.${word(i + step)}+json; version=${hex(i * 97, 8)}` }),
            "Content-Type": "application/json",
            "X-Request-Id": uuidOf(0xabcd, i * 8 + step)
          },
          body: {
            query: sentence(i + step, 6),
            filters: { status: ["open", "pending"], since: "2025-11-01", owner: userOf(i) },
            options: {
              retries: 3,
              timeout_ms: 30000,
              ...(secret ? { api_key: `sk-${hex(i * 7, 8)}${hex(step, 8)}` } : { page_size: i % 100 })
            }
          }
        }
      }
    case 1:
      return {
        tool: "shell_exec",
        input: {
          command: "rsync",
          args: ["-az", "--delete", `/srv/${word(i)}/data/`, `backup@10.0.${step}.${i % 250}:/backups/${word(i + 1)}/`],
          cwd: `/home/${userOf(i)}/projects/${word(i + step)}`,
          env: {
            PATH: "/usr/local/bin:/usr/bin:/bin",
            ...(secret ? { AWS_SECRET_ACCESS_KEY: `${hex(i, 8)}${hex(i * 3, 8)}` } : { AWS_REGION: "eu-central-1" }),
            LANG: "C.UTF-8"
          },
          timeout: { seconds: 600, kill_after: 10 },
          notes: sentence(i * 3 + step, 5)
        }
      }
    default:
      return {
        tool: "file_write",
        input: {
          path: `/home/${userOf(i)}/notes/${word(i)}-${i}.md`,
          content: `# ${sentence(i, 3)}\n\n${sentence(i + 1, 14)}\n\n- ${sentence(i + 2, 6)}\n- ${sentence(i + 3, 5)}\n`,
          options: { create_dirs: true, mode: "0644", encoding: "utf-8", backup: { keep: 3, suffix: ".bak" } },
          metadata: {
            tags: [word(i), word(i + step), "generated"],
            source: "assistant",
            ...(secret ? { credentials_ref: "vault:notes" } : { owner_ref: "team:notes" })
          }
        }
      }
  }
}

const toolOutput = (i: number, step: number, success: boolean) =>
  success
    ? {
        success: true,
        output: {
          status: 200,
          items: [
            { id: i * 10 + step, name: word(i + step), score: ((i * 37 + step) % 100) / 10 },
            { id: i * 10 + step + 1, name: word(i + step + 1), score: ((i * 41 + step) % 100) / 10 }
          ],
          elapsed_ms: 40 + ((i + step) % 200),
          session: holdsSecrets(i)
            ? { token: `tok-${hex(i * 13, 8)}`, expires_in: 3600 }
            : { region: "eu-west", expires_in: 3600 }
        },
        error: null
      }
    : { success: false, output: null, error: `connection reset by peer after ${(i % 30) + 1}s (attempt ${step})` }

/** The 10 events of execution `i`, in append order. */
export const executionEvents = (i: number): Array<ExecutionEvent> => {
  const channel = CHANNELS[i % CHANNELS.length]!
  const text = `please ${sentence(i, 7)} for ${userOf(i)}`
  const first = Events.messageReceived(
    normalizeMessage({
      id: uuidOf(0x3e55, i),
      channel_type: channel,
      channel_id: `chan-${i % 17}`,
      user_id: userOf(i),
      user_name: `User ${(i * 7919) % USERS}`,
      message_id: `m-${i}`,
      text,
      timestamp: at(i, 0)
    })
  )
  const calls = [0, 1, 2].map((s) => toolInput(i, s))
  const events: Array<ExecutionEvent> = [
    first,
    Events.planGenerated({
      plan: {
        goal: sentence(i + 5, 6),
        steps: calls.map((c, s) => ({
          description: `${c.tool}: ${sentence(i + s, 4)}`,
          tool: c.tool,
          input: c.input,
          depends_on: s === 0 ? [] : [s - 1]
        })),
        estimated_risk: "Write",
        requires_approval: false
      },
      model_used: i % 4 === 0 ? "claude-sonnet" : "rules",
      tokens_used: 500 + (i % 1500),
      timestamp: at(i, 1)
    })
  ]
  let k = 2
  for (let s = 0; s < 3; s++) {
    const c = calls[s]!
    events.push(Events.toolInvoked({ tool: c.tool, input: c.input, timestamp: at(i, k++) }))
    events.push(
      Events.toolCompleted({
        tool: c.tool,
        output: toolOutput(i, s, s !== 2),
        duration_ms: 20 + ((i * 7 + s) % 900),
        timestamp: at(i, k++)
      })
    )
  }
  events.push(
    Events.errorOccurred({
      error: "step 3 failed: connection reset",
      error_type: "Network",
      recoverable: true,
      timestamp: at(i, k++)
    })
  )
  events.push(Events.responseSent({ text: `Done: ${sentence(i + 9, 8)}`, channel, timestamp: at(i, k++) }))
  return events
}

export interface Execution {
  readonly index: number
  readonly id: string
  readonly userId: string
  readonly first: MessageReceived
  readonly events: ReadonlyArray<ExecutionEvent>
  /** `events` without the first (W2's 9-event append after startExecution). */
  readonly rest: ReadonlyArray<ExecutionEvent>
}

export const execution = (i: number): Execution => {
  const events = executionEvents(i)
  return {
    index: i,
    id: executionIdOf(i),
    userId: userOf(i),
    first: events[0] as MessageReceived,
    events,
    rest: events.slice(1)
  }
}

/** Executions [from, to) in memory: one chunk of a run (built outside the timed section). */
export const chunk = (from: number, to: number): Array<Execution> => {
  const out: Array<Execution> = []
  for (let i = from; i < to; i++) out.push(execution(i))
  return out
}

/** Realistic tool payloads for the masking benchmark: inputs and outputs of many executions. */
export const payloads = (n: number): Array<unknown> => {
  const out: Array<unknown> = []
  for (let i = 0; out.length < n; i++) {
    for (let s = 0; s < 3 && out.length < n; s++) {
      out.push(toolInput(i, s).input)
      if (out.length < n) out.push(toolOutput(i, s, s !== 2).output)
    }
  }
  return out
}
