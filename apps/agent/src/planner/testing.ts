/**
 * A fake OpenAI-compatible endpoint on loopback for the planner's tests: it answers
 * `POST /chat/completions` with whatever the test sets, and remembers the requests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Duration, Effect, Option, Redacted } from "effect"
import type { LlmPlannerConfig } from "./LlmPlanner.js"

export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
  readonly body: unknown
}

export type Handler = (req: SeenRequest, res: ServerResponse) => void

export interface FakeLlm {
  readonly baseUrl: string
  readonly requests: Array<SeenRequest>
  /** What the next requests get. */
  respond: Handler
}

/** A chat-completions answer whose message content is `content`. */
export const completion = (content: string, extra: Record<string, unknown> = {}) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  model: "fake-model-2025",
  choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  usage: { prompt_tokens: 100, completion_tokens: 23, total_tokens: 123 },
  ...extra
})

export const json = (res: ServerResponse, status: number, value: unknown) => {
  res.statusCode = status
  res.setHeader("content-type", "application/json")
  res.end(JSON.stringify(value))
}

/** Starts the fake endpoint on 127.0.0.1 (a free port); closed with the scope. */
export const fakeLlm = Effect.acquireRelease(
  Effect.async<FakeLlm & { close: () => Promise<void> }>((resume) => {
    const state = {
      requests: [] as Array<SeenRequest>,
      respond: ((_, res) => json(res, 500, { error: "no handler" })) as Handler
    }
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8")
        const seen: SeenRequest = {
          method: req.method ?? "",
          url: req.url ?? "",
          authorization: req.headers.authorization,
          body: text.length > 0 ? (JSON.parse(text) as unknown) : null
        }
        state.requests.push(seen)
        state.respond(seen, res)
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(
        Effect.succeed({
          baseUrl: `http://127.0.0.1:${port}/v1`,
          get requests() {
            return state.requests
          },
          get respond() {
            return state.respond
          },
          set respond(h: Handler) {
            state.respond = h
          },
          close: () =>
            new Promise<void>((r) => {
              server.closeAllConnections()
              server.close(() => r())
            })
        })
      )
    })
  }),
  (fake) => Effect.promise(() => fake.close())
)

export const SECRET_KEY = "sk-test-DO-NOT-LEAK-0123456789abcdef"

export const configFor = (baseUrl: string, overrides: Partial<LlmPlannerConfig> = {}): LlmPlannerConfig => ({
  baseUrl,
  model: "configured-model",
  apiKey: Option.some(Redacted.make(SECRET_KEY)),
  timeout: Duration.seconds(5),
  ...overrides
})
