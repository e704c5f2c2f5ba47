import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Either, Layer } from "effect"
import { extractJson, make } from "./LlmPlanner.js"
import { Planner } from "./Planner.js"
import { PlannerError } from "./PlannerError.js"
import { Planners } from "./Planners.js"
import { completion, configFor, fakeLlm, json, SECRET_KEY } from "./testing.js"

const goodPlan = {
  goal: "read two files",
  steps: [
    { description: "read a", tool: "file_read", input: { path: "a.txt" }, depends_on: [] },
    { description: "write b", tool: "file_write", input: { path: "b.txt", content: "x" }, depends_on: [0] }
  ],
  // the model's own risk is ignored: recomputed from the registry
  estimated_risk: "Read",
  requires_approval: false
}

const errorOf = (result: Either.Either<unknown, unknown>) =>
  Either.isLeft(result) && result.left instanceof PlannerError
    ? { errorType: result.left.errorType, reason: result.left.reason }
    : undefined

describe("LLM planner", () => {
  it.scopedLive("plans from a good answer: schema-checked, risk recomputed, model and tokens recorded", () =>
    Effect.gen(function* () {
      const fake = yield* fakeLlm
      fake.respond = (_, res) => json(res, 200, completion(JSON.stringify(goodPlan)))
      const result = yield* make(configFor(fake.baseUrl)).plan("read a.txt then write b.txt")
      expect(result.plan).toEqual({ ...goodPlan, estimated_risk: "Write", requires_approval: true })
      expect(result.model_used).toBe("fake-model-2025")
      expect(result.tokens_used).toBe(123)
      const seen = fake.requests[0]!
      expect(seen.method).toBe("POST")
      expect(seen.url).toBe("/v1/chat/completions")
      expect(seen.authorization).toBe(`Bearer ${SECRET_KEY}`)
      expect(seen.body).toMatchObject({
        model: "configured-model",
        messages: [{ role: "system" }, { role: "user", content: "read a.txt then write b.txt" }]
      })
      const system = (seen.body as { messages: Array<{ content: string }> }).messages[0]!.content
      // each tool with its input as derived from its Schema (defineTool), its risk and summary
      const toolLines = system.split("\n").filter((line) => line.startsWith("- ") && line.includes("): "))
      expect(toolLines.map((line) => line.slice(0, line.indexOf(" (")))).toEqual([
        '- file_read {"path": string}',
        '- file_list {"path"?: string}',
        '- file_search {"query": string, "path"?: string}',
        '- file_write {"path": string, "content": string}',
        '- http_get {"url": string}',
        '- exec {"command": string}'
      ])
      expect(system).toContain('- file_write {"path": string, "content": string} (Write): write a text file')
    })
  )

  it.scopedLive("tolerates a ```json fence, and falls back to the configured model and 0 tokens", () =>
    Effect.gen(function* () {
      const fake = yield* fakeLlm
      fake.respond = (_, res) =>
        json(res, 200, {
          choices: [{ message: { content: "Here you go:\n```json\n" + JSON.stringify(goodPlan) + "\n```\n" } }]
        })
      const result = yield* make(configFor(fake.baseUrl)).plan("x")
      expect(result.plan.steps).toHaveLength(2)
      expect(result.model_used).toBe("configured-model")
      expect(result.tokens_used).toBe(0)
    })
  )

  it("extracts JSON from fences and prose", () => {
    expect(extractJson('```\n{"a":1}\n```')).toBe('{"a":1}')
    expect(extractJson('Sure! {"a":1} Hope it helps')).toBe('{"a":1}')
    expect(extractJson(' {"a":1} ')).toBe('{"a":1}')
  })

  it.scopedLive("an empty plan carries the model's reply", () =>
    Effect.gen(function* () {
      const fake = yield* fakeLlm
      fake.respond = (_, res) =>
        json(res, 200, completion(JSON.stringify({ goal: "x", steps: [], reply: "I cannot order pizza." })))
      const result = yield* make(configFor(fake.baseUrl)).plan("order a pizza")
      expect(result.plan.steps).toEqual([])
      expect(result.reply).toBe("I cannot order pizza.")
    })
  )

  it.scopedLive("bad answers are Validation errors", () =>
    Effect.gen(function* () {
      const fake = yield* fakeLlm
      const planner = make(configFor(fake.baseUrl))
      const cases: Array<[string, unknown, RegExp]> = [
        ["not json", completion("I think you should read the file."), /not a JSON plan/],
        ["no steps", completion(JSON.stringify({ goal: "x" })), /malformed/],
        [
          "cyclic",
          completion(
            JSON.stringify({
              goal: "x",
              steps: [
                { description: "a", tool: "file_read", input: { path: "a" }, depends_on: [1] },
                { description: "b", tool: "file_read", input: { path: "b" }, depends_on: [0] }
              ]
            })
          ),
          /not a valid DAG: steps form a cycle: 0 -> 1 -> 0/
        ],
        [
          "dangling",
          completion(
            JSON.stringify({ goal: "x", steps: [{ description: "a", tool: "file_read", input: {}, depends_on: [7] }] })
          ),
          /not a valid DAG/
        ],
        [
          "unknown tool",
          completion(
            JSON.stringify({ goal: "x", steps: [{ description: "a", tool: "rm_rf", input: {}, depends_on: [] }] })
          ),
          /unknown tool "rm_rf"/
        ],
        [
          "tokens over u32",
          completion(JSON.stringify(goodPlan), { usage: { total_tokens: 4_294_967_296 } }),
          /not a u32/
        ],
        ["not a completion", { hello: "world" }, /not a chat completion/]
      ]
      for (const [name, body, reason] of cases) {
        fake.respond = (_, res) => json(res, 200, body)
        const error = errorOf(yield* Effect.either(planner.plan("x")))
        expect(error?.errorType, name).toBe("Validation")
        expect(error?.reason, name).toMatch(reason)
      }
      fake.respond = (_, res) => {
        res.setHeader("content-type", "application/json")
        res.end("{ this is not json")
      }
      expect(errorOf(yield* Effect.either(planner.plan("x")))?.errorType).toBe("Validation")
    })
  )

  it.scopedLive("401 and 403 are Permission; other statuses Network", () =>
    Effect.gen(function* () {
      const fake = yield* fakeLlm
      const planner = make(configFor(fake.baseUrl))
      for (const status of [401, 403]) {
        fake.respond = (_, res) => json(res, status, { error: { message: "bad key" } })
        expect(errorOf(yield* Effect.either(planner.plan("x")))?.errorType).toBe("Permission")
      }
      fake.respond = (_, res) => json(res, 500, { error: "down" })
      expect(errorOf(yield* Effect.either(planner.plan("x")))).toEqual({
        errorType: "Network",
        reason: "the LLM endpoint answered HTTP 500"
      })
    })
  )

  it.scopedLive("a slow endpoint is a Timeout", () =>
    Effect.gen(function* () {
      const fake = yield* fakeLlm
      fake.respond = (_, res) => {
        setTimeout(() => json(res, 200, completion(JSON.stringify(goodPlan))), 3_000)
      }
      const started = Date.now()
      const result = yield* Effect.either(make(configFor(fake.baseUrl, { timeout: Duration.millis(300) })).plan("x"))
      expect(errorOf(result)).toEqual({ errorType: "Timeout", reason: "the LLM endpoint did not answer within 300ms" })
      expect(Date.now() - started).toBeLessThan(2_500)
    })
  )

  it.live("an unreachable endpoint is a Network error", () =>
    Effect.gen(function* () {
      const result = yield* Effect.either(make(configFor("http://127.0.0.1:9/v1")).plan("x"))
      expect(errorOf(result)?.errorType).toBe("Network")
    })
  )

  it.scopedLive("the key never appears in error messages, even when the endpoint echoes it", () =>
    Effect.gen(function* () {
      const fake = yield* fakeLlm
      const planner = make(configFor(fake.baseUrl))
      const echoes: Array<(auth: string) => [number, unknown]> = [
        (auth) => [401, { error: auth }],
        (auth) => [200, completion(`not json ${auth}`)],
        (auth) => [
          200,
          completion(
            JSON.stringify({ goal: auth, steps: [{ description: auth, tool: auth, input: {}, depends_on: [] }] })
          )
        ],
        (auth) => [200, { choices: [], key: auth }],
        (auth) => [
          200,
          completion(JSON.stringify({ goal: "x", steps: [{ description: 1, tool: auth, input: {}, depends_on: [] }] }))
        ]
      ]
      for (const echo of echoes) {
        fake.respond = (req, res) => {
          const [status, body] = echo(req.authorization ?? "")
          json(res, status, body)
        }
        const result = yield* Effect.either(planner.plan("x"))
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          expect(result.left.message).not.toContain(SECRET_KEY)
          expect(JSON.stringify(result.left)).not.toContain(SECRET_KEY)
          expect(String(result.left)).not.toContain(SECRET_KEY)
        }
      }
    })
  )

  it.live("Planner.layerLlm and Planners.layer read the configuration; the key is never shown", () =>
    Effect.gen(function* () {
      const provider = ConfigProvider.fromMap(
        new Map([
          ["CRATOS_LLM_BASE_URL", "http://127.0.0.1:9/v1"],
          ["CRATOS_LLM_MODEL", "m"],
          ["CRATOS_LLM_API_KEY", SECRET_KEY],
          ["CRATOS_LLM_TIMEOUT_MS", "1000"]
        ])
      )
      const viaTag = yield* Effect.either(
        Effect.flatMap(Planner, (p) => p.plan("x")).pipe(
          Effect.provide(Planner.layerLlm.pipe(Layer.provide(Layer.setConfigProvider(provider))))
        )
      )
      expect(errorOf(viaTag)?.errorType).toBe("Network")
      const missing = yield* Effect.either(
        Effect.flatMap(Planners, (p) => p.get("llm")).pipe(
          Effect.provide(Planners.layer),
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
        )
      )
      expect(errorOf(missing)?.errorType).toBe("Validation")
      expect(errorOf(missing)?.reason).toContain("CRATOS_LLM_BASE_URL")
      const rules = yield* Effect.flatMap(Planners, (p) => Effect.flatMap(p.get("rules"), (r) => r.plan("ls"))).pipe(
        Effect.provide(Planners.layer),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      expect(rules.model_used).toBe("rules")
    })
  )
})
