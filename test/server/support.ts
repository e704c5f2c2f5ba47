/**
 * A real server for the tests: `startServer` on 127.0.0.1 port 0 over a fresh database file, the
 * tokens made through the TokenStore as `cratos token create` makes them, and wire-JSON events.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  createToken,
  defaultServerOptions,
  type RunningServer,
  type ServerOptions,
  serverStorage,
  startServer,
  TokenStore
} from "@cratos/server"
import { GroupCommit, type GroupCommitStats } from "@cratos/store"
import { Effect, Exit, ManagedRuntime, Option, Scope } from "effect"

export interface TestServer {
  readonly url: string
  readonly dir: string
  readonly db: string
  readonly server: RunningServer
  readonly token: (scopes: string, user?: string) => Promise<string>
  /** What the store's group commit has done so far (transactions, requests). */
  readonly groupStats: () => Promise<GroupCommitStats>
  /** `cratos token revoke` of a token `token` made. */
  readonly revoke: (token: string) => Promise<void>
  readonly close: () => Promise<void>
}

let tokenCount = 0

export const startTestServer = async (options: Partial<ServerOptions> = {}): Promise<TestServer> => {
  const dir = mkdtempSync(join(tmpdir(), "cratos-server-"))
  const db = join(dir, "cratos.db")
  const runtime = ManagedRuntime.make(serverStorage(db))
  const scope = await Effect.runPromise(Scope.make())
  const server = await runtime.runPromise(
    startServer({ ...defaultServerOptions, port: 0, ...options }).pipe(Scope.extend(scope))
  )
  const names = new Map<string, string>()
  return {
    url: server.url,
    dir,
    db,
    server,
    token: async (scopes, user) => {
      const name = `t${++tokenCount}`
      const token = await runtime.runPromise(createToken({ name, scopes, user }))
      names.set(token, name)
      return token
    },
    groupStats: () =>
      runtime.runPromise(
        Effect.map(Effect.serviceOption(GroupCommit), (g) =>
          Option.match(g, { onNone: () => ({ groups: 0, requests: 0 }), onSome: (x) => x.stats() })
        )
      ),
    revoke: (token) =>
      runtime.runPromise(Effect.flatMap(TokenStore, (tokens) => tokens.revoke(names.get(token) ?? ""))),
    close: async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await runtime.dispose()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

let clock = 0
/** Distinct, increasing timestamps. */
export const ts = () => new Date(Date.UTC(2026, 0, 1) + ++clock * 1000).toISOString()

export const message = (user: string, text = "deploy the site", channel = "cli") => {
  const t = ts()
  return {
    type: "MessageReceived",
    message: {
      id: "5f0e0000-0000-4000-8000-000000000001",
      channel_type: channel,
      channel_id: "chat-1",
      user_id: user,
      user_name: null,
      thread_id: null,
      message_id: "1001",
      text,
      attachments: [],
      timestamp: t,
      is_reply: false,
      is_command: false,
      command: null,
      command_args: null
    },
    timestamp: t
  }
}

export const plan = () => ({
  type: "PlanGenerated",
  plan: { goal: "answer", steps: [], estimated_risk: "Read", requires_approval: false },
  model_used: "local",
  tokens_used: 12,
  timestamp: ts()
})

export const recoverable = (text: string) => ({
  type: "ErrorOccurred",
  error: text,
  error_type: "Timeout",
  recoverable: true,
  timestamp: ts()
})

export const approvalRequested = () => ({
  type: "ApprovalRequested",
  action: "exec rm -rf build",
  risk_level: "Destructive",
  details: {
    tool: "exec",
    description: "runs a shell command",
    input_masked: { cmd: "rm -rf build", password: "***MASKED***" },
    step_index: 0,
    expires_at: null
  },
  timestamp: ts()
})

export const toolInvoked = (tool = "file_read") => ({
  type: "ToolInvoked",
  tool,
  input: { path: "README.md" },
  input_masked: { path: "README.md" },
  timestamp: ts()
})

export const response = (text = "done") => ({ type: "ResponseSent", text, channel: "cli", timestamp: ts() })

export const json = (token: string | undefined, body?: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: body === undefined ? "GET" : "POST",
  headers: {
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    ...(body === undefined ? {} : { "content-type": "application/json" }),
    ...headers
  },
  ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
})

/** Starts an execution and returns its id. */
export const create = async (s: TestServer, token: string, user = "user-1", text?: string): Promise<string> => {
  const r = await fetch(`${s.url}/api/v1/executions`, json(token, { user_id: user, event: message(user, text) }))
  if (r.status !== 201) throw new Error(`create: ${r.status} ${await r.text()}`)
  return ((await r.json()) as { execution_id: string }).execution_id
}

export const append = (
  s: TestServer,
  token: string,
  id: string,
  events: ReadonlyArray<unknown>,
  extra: object = {},
  headers: Record<string, string> = {}
) => fetch(`${s.url}/api/v1/executions/${id}/events`, json(token, { events, ...extra }, headers))
