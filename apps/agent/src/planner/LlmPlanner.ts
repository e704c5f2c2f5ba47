/**
 * The OpenAI-compatible chat-completions planner.
 *
 * POSTs `{base}/chat/completions` with a system prompt describing the tools and the plan's JSON
 * shape, reads the plan from the answer (a ```json fence is tolerated), decodes its steps with
 * the domain's PlanStep schema, refuses unknown tools, and builds the plan with `makePlan`: the
 * DAG is validated and risk/approval are recomputed from the registry (the model's own
 * `estimated_risk`/`requires_approval` are ignored). It records the answering model (or the
 * configured one) and the real token count (`usage.total_tokens`, a u32; 0 when absent).
 *
 * Configuration: CRATOS_LLM_BASE_URL, CRATOS_LLM_MODEL, CRATOS_LLM_API_KEY (a Redacted secret,
 * optional for local servers that need none), CRATOS_LLM_TIMEOUT_MS (default 60000).
 * The key is only ever put in the Authorization header: it is never logged, recorded, or
 * written into an error (every error reason is scrubbed of it as a last guard, and the
 * endpoint's answer is masked of it before anything is read from it).
 *
 * Errors: unreachable → Network; HTTP 401/403 → Permission; other HTTP errors → Network;
 * no answer within the timeout → Timeout; an answer that is not a valid plan → Validation.
 */
import {
  type ApprovalPolicy,
  defaultApprovalPolicy,
  defaultToolRisks,
  type ErrorType,
  makePlan,
  parseJson,
  PlanStep,
  type ToolRiskRegistry
} from "@cratos/domain"
import { Config, Duration, Effect, Either, Option, ParseResult, Redacted, Schema } from "effect"
import type { Tool } from "../tools/Tool.js"
import { builtinTools } from "../tools/Tools.js"
import { PlannerError } from "./PlannerError.js"
import type { PlannerShape } from "./PlannerShape.js"
import type { PlanResult } from "./PlanResult.js"

export interface LlmPlannerConfig {
  /** Up to the API root, e.g. `https://api.openai.com/v1` (no trailing `/chat/completions`). */
  readonly baseUrl: string
  readonly model: string
  readonly apiKey: Option.Option<Redacted.Redacted<string>>
  readonly timeout: Duration.Duration
}

export const DEFAULT_TIMEOUT = Duration.seconds(60)

/** The planner's configuration from the environment (through effect `Config`). */
export const config: Config.Config<LlmPlannerConfig> = Config.all({
  baseUrl: Config.nonEmptyString("CRATOS_LLM_BASE_URL"),
  model: Config.nonEmptyString("CRATOS_LLM_MODEL"),
  apiKey: Config.option(Config.redacted("CRATOS_LLM_API_KEY")),
  timeout: Config.integer("CRATOS_LLM_TIMEOUT_MS").pipe(
    Config.validate({ message: "must be a positive number of milliseconds", validation: (ms) => ms > 0 }),
    Config.map(Duration.millis),
    Config.withDefault(DEFAULT_TIMEOUT)
  )
})

export interface LlmPlannerOptions {
  /** The tools the model may use (default: the built-in six). */
  readonly tools?: ReadonlyArray<Pick<Tool, "name" | "summary" | "inputShape" | "risk">>
  readonly risks?: ToolRiskRegistry
  readonly policy?: ApprovalPolicy
}

/** The system prompt: the tools and the plan's JSON shape. */
export const systemPrompt = (tools: ReadonlyArray<Pick<Tool, "name" | "summary" | "inputShape" | "risk">>): string =>
  [
    "You are the planner of Cratos, an assistant that acts on a person's computer through tools.",
    "Turn the person's request into a plan. Tools (name, input JSON, risk: what it does):",
    ...tools.map((t) => `- ${t.name} ${t.inputShape} (${t.risk}): ${t.summary}`),
    "",
    "Answer with one JSON object and nothing else:",
    '{"goal": string, "steps": [{"description": string, "tool": string, "input": object, "depends_on": [number]}], "reply"?: string}',
    "- depends_on lists the indices (0-based) of earlier steps a step must wait for; independent steps list none.",
    "- Paths are relative to the workspace folder. Use only the tools above.",
    "- Steps cannot pass data to each other: put every value a step needs in its input.",
    '- If the request cannot be done with these tools, answer with "steps": [] and a short "reply" saying why.'
  ].join("\n")

const ChatCompletion = Schema.Struct({
  model: Schema.optional(Schema.String),
  choices: Schema.NonEmptyArray(Schema.Struct({ message: Schema.Struct({ content: Schema.NullOr(Schema.String) }) })),
  usage: Schema.optional(Schema.Struct({ total_tokens: Schema.optional(Schema.Unknown) }))
})

const PlanAnswer = Schema.Struct({
  goal: Schema.optional(Schema.String),
  steps: Schema.Array(PlanStep),
  reply: Schema.optional(Schema.String)
})

const fail = (errorType: ErrorType, reason: string) => Effect.fail(new PlannerError({ errorType, reason }))

/** The JSON text of an answer: the whole of it, or the inside of a ``` / ```json fence. */
export const extractJson = (content: string): string => {
  const fenced = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(content)
  if (fenced !== null) return fenced[1]!.trim()
  const trimmed = content.trim()
  const first = trimmed.indexOf("{")
  const last = trimmed.lastIndexOf("}")
  return first > 0 && last > first ? trimmed.slice(first, last + 1) : trimmed
}

const formatParseError = (e: ParseResult.ParseError): string => {
  const text = ParseResult.TreeFormatter.formatErrorSync(e)
  return text.length > 600 ? text.slice(0, 600) + "…" : text
}

/** `usage.total_tokens` as a u32: absent → 0; anything else that is not a u32 is refused. */
const tokensOf = (usage: (typeof ChatCompletion.Type)["usage"]): Either.Either<number, string> => {
  const total = usage?.total_tokens
  if (total === undefined || total === null) return Either.right(0)
  return typeof total === "number" && Number.isInteger(total) && total >= 0 && total <= 4_294_967_295
    ? Either.right(total)
    : Either.left(`usage.total_tokens is not a u32: ${JSON.stringify(total)}`)
}

/** The reason of a failed fetch, without the URL's query or any header. */
const networkReason = (e: unknown): string => {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined
  return code ?? (cause instanceof Error ? cause.message : "request failed")
}

/** The endpoint URL; a base that is not http(s) is a Validation error. */
const endpointOf = (baseUrl: string): Either.Either<URL, PlannerError> => {
  const base = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined
  if (base === undefined || (base.protocol !== "http:" && base.protocol !== "https:")) {
    return Either.left(
      new PlannerError({ errorType: "Validation", reason: "CRATOS_LLM_BASE_URL is not an http(s) URL" })
    )
  }
  return Either.right(new URL(base.pathname.replace(/\/+$/, "") + "/chat/completions", base))
}

export const make = (cfg: LlmPlannerConfig, options: LlmPlannerOptions = {}): PlannerShape => {
  const tools = options.tools ?? builtinTools
  const toolNames = new Set(tools.map((t) => t.name))
  const risks = options.risks ?? { ...defaultToolRisks, ...Object.fromEntries(tools.map((t) => [t.name, t.risk])) }
  const policy = options.policy ?? defaultApprovalPolicy
  const prompt = systemPrompt(tools)
  const key = Option.map(cfg.apiKey, Redacted.value)
  /** The key masked out of the endpoint's answer, so nothing accepted from it can carry it. */
  const maskKey = (answer: string): string =>
    Option.match(key, {
      onNone: () => answer,
      onSome: (k) => (k.length > 0 ? answer.replaceAll(k, "***MASKED***") : answer)
    })
  /** Last guard: no error reason may carry the key, whatever produced it. */
  const scrub = (reason: string): string =>
    Option.match(key, { onNone: () => reason, onSome: (k) => (k.length > 0 ? reason.replaceAll(k, "***") : reason) })

  const request = (endpoint: URL, text: string) =>
    Effect.tryPromise({
      try: async (signal) => {
        const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" }
        if (Option.isSome(key)) headers["authorization"] = `Bearer ${key.value}`
        const res = await fetch(endpoint, {
          method: "POST",
          headers,
          body: JSON.stringify({
            model: cfg.model,
            temperature: 0,
            messages: [
              { role: "system", content: prompt },
              { role: "user", content: text }
            ]
          }),
          signal
        })
        return { status: res.status, body: await res.text() }
      },
      catch: (e) =>
        new PlannerError({
          errorType: "Network",
          reason: `cannot reach the LLM endpoint at ${endpoint.origin}: ${networkReason(e)}`
        })
    })

  const plan = (text: string): Effect.Effect<PlanResult, PlannerError> =>
    Effect.gen(function* () {
      const endpoint = yield* endpointOf(cfg.baseUrl)
      const { status, body } = yield* request(endpoint, text)
      if (status === 401 || status === 403) {
        return yield* fail(
          "Permission",
          `the LLM endpoint refused the request (HTTP ${status}): check CRATOS_LLM_API_KEY`
        )
      }
      if (status < 200 || status >= 300) return yield* fail("Network", `the LLM endpoint answered HTTP ${status}`)
      // An endpoint may echo the Authorization header back (in the plan's goal, a step, the
      // reply): nothing of its answer is accepted before the key is masked out of it.
      const json = parseJson(maskKey(body))
      if (Either.isLeft(json)) return yield* fail("Validation", `the LLM endpoint's answer is not JSON (${json.left})`)
      const completion = yield* Schema.decodeUnknown(ChatCompletion)(json.right).pipe(
        Effect.mapError(
          (e) => new PlannerError({ errorType: "Validation", reason: `not a chat completion: ${formatParseError(e)}` })
        )
      )
      const content = completion.choices[0].message.content ?? ""
      const planJson = parseJson(extractJson(content))
      if (Either.isLeft(planJson)) {
        return yield* fail("Validation", `the model's answer is not a JSON plan (${planJson.left})`)
      }
      const answer = yield* Schema.decodeUnknown(PlanAnswer)(planJson.right).pipe(
        Effect.mapError(
          (e) =>
            new PlannerError({
              errorType: "Validation",
              reason: `the model's plan is malformed: ${formatParseError(e)}`
            })
        )
      )
      const unknown = answer.steps.findIndex((s) => !toolNames.has(s.tool))
      if (unknown !== -1) {
        return yield* fail(
          "Validation",
          `step ${unknown} of the model's plan uses an unknown tool ${JSON.stringify(answer.steps[unknown]!.tool)}`
        )
      }
      const built = makePlan({ goal: answer.goal ?? text, steps: answer.steps }, risks, policy)
      if (Either.isLeft(built))
        return yield* fail("Validation", `the model's plan is not a valid DAG: ${built.left.message}`)
      const tokens = tokensOf(completion.usage)
      if (Either.isLeft(tokens)) return yield* fail("Validation", tokens.left)
      const model = completion.model !== undefined && completion.model.length > 0 ? completion.model : cfg.model
      return {
        plan: built.right,
        model_used: model,
        tokens_used: tokens.right,
        ...(built.right.steps.length === 0
          ? { reply: answer.reply ?? "The model found nothing to do for this request." }
          : {})
      }
    }).pipe(
      Effect.timeoutFail({
        duration: cfg.timeout,
        onTimeout: () =>
          new PlannerError({
            errorType: "Timeout",
            reason: `the LLM endpoint did not answer within ${Duration.format(cfg.timeout)}`
          })
      }),
      Effect.mapError((e) => new PlannerError({ errorType: e.errorType, reason: scrub(e.reason) })),
      Effect.withSpan("LlmPlanner.plan", { attributes: { model: cfg.model } })
    )

  return { plan }
}

/** The planner configured from the environment; missing settings fail with a ConfigError. */
export const fromConfig = Effect.map(config, (cfg) => make(cfg))
