import { defaultApprovalPolicy, defaultToolRisks, makePlan, type PlanStep } from "@cratos/domain"
import { EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Stream } from "effect"
import type { ApprovalPrompt } from "../../apps/agent/src/agent/AgentShape.js"
import * as LlmPlanner from "../../apps/agent/src/planner/LlmPlanner.js"
import type { PlannerShape } from "../../apps/agent/src/planner/PlannerShape.js"
import { completion, configFor, fakeLlm, json, SECRET_KEY } from "../../apps/agent/src/planner/testing.js"
import { agentLayer, eventsOf, ofType, request, run, workspace } from "./harness.js"

const fixedPlanner = (steps: ReadonlyArray<PlanStep>): PlannerShape => ({
  plan: (text) =>
    Effect.succeed({
      plan: Either.getOrThrow(makePlan({ goal: text, steps }, defaultToolRisks, defaultApprovalPolicy)),
      model_used: "fixed",
      tokens_used: 0
    })
})

/** Every masked copy the agent wrote or showed, as one JSON text. */
const maskedCopies = (executionId: string, prompts: ReadonlyArray<ApprovalPrompt>) =>
  Effect.map(eventsOf(executionId), (events) =>
    JSON.stringify([
      ofType(events, "ApprovalRequested").map((e) => [e.action, e.details]),
      ofType(events, "ToolInvoked").map((e) => e.input_masked),
      ofType(events, "ToolCompleted").map((e) => e.output_masked),
      ofType(events, "ErrorOccurred").map((e) => e.error),
      prompts
    ])
  )

describe("masked copies", () => {
  it.scopedLive("secrets under sensitive keys never reach input_masked, ApprovalDetails or the prompt", () => {
    const prompts: Array<ApprovalPrompt> = []
    return Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(
        request(ws, "run it", {
          approve: (p) => Effect.sync(() => prompts.push(p)).pipe(Effect.as(true))
        })
      )
      const events = yield* eventsOf(result.executionId)
      const copies = yield* maskedCopies(result.executionId, prompts)
      expect(prompts).toHaveLength(1)
      expect(copies).not.toContain("hunter2")
      expect(copies).not.toContain("sk-live-0123456789abcdefghij")
      expect(copies).toContain("***MASKED***")
      // the raw copy is kept (it is the record of what ran); only the masked copies are shown
      expect(JSON.stringify(ofType(events, "ToolInvoked")[0]!.input)).toContain("hunter2")
      expect(result.response).toBe("hi\n")
    }).pipe(
      Effect.provide(
        agentLayer({
          planners: {
            rules: fixedPlanner([
              {
                description: "Run a shell command",
                tool: "exec",
                input: {
                  command: "echo hi",
                  password: "hunter2",
                  headers: { Authorization: "Bearer sk-live-0123456789abcdefghij" }
                },
                depends_on: []
              }
            ])
          }
        })
      )
    )
  })

  it.scopedLive(
    "secrets planted inside an exec command are masked in input_masked, ApprovalDetails and the prompt",
    () => {
      const prompts: Array<ApprovalPrompt> = []
      return Effect.gen(function* () {
        const ws = yield* workspace()
        const result = yield* run(
          request(
            ws,
            `run echo password=hunter2 && curl -s -H "Authorization: Bearer sk-live-0123456789abcdefghij" http://127.0.0.1:9/`,
            { approve: (p) => Effect.sync(() => prompts.push(p)).pipe(Effect.as(false)) }
          )
        )
        const copies = yield* maskedCopies(result.executionId, prompts)
        expect(prompts).toHaveLength(1)
        expect(copies).toContain("***MASKED***")
        expect(copies).not.toContain("hunter2")
        expect(copies).not.toContain("sk-live-0123456789abcdefghij")
      }).pipe(Effect.provide(agentLayer()))
    }
  )
})

describe("LLM planner through the agent", () => {
  it.scopedLive("records the model and token count; the API key appears in no event, response or error", () =>
    Effect.gen(function* () {
      const fake = yield* fakeLlm
      const ws = yield* workspace({ "a.txt": "alpha" })
      const planner = LlmPlanner.make(configFor(fake.baseUrl))
      yield* Effect.gen(function* () {
        fake.respond = (_, res) =>
          json(
            res,
            200,
            completion(
              JSON.stringify({
                goal: "read a.txt",
                steps: [{ description: "Read a.txt", tool: "file_read", input: { path: "a.txt" }, depends_on: [] }]
              })
            )
          )
        const ok = yield* run(request(ws, "please read a.txt", { planner: "llm" }))
        expect(ok.response).toBe("alpha")
        expect(ok.status).toBe("completed")
        const plan = ofType(yield* eventsOf(ok.executionId), "PlanGenerated")[0]!
        expect(plan).toMatchObject({ model_used: "fake-model-2025", tokens_used: 123 })

        // the endpoint refuses, echoing the key back in its body
        fake.respond = (req, res) => json(res, 401, { error: `invalid key ${req.authorization}` })
        const refused = yield* run(request(ws, "please read a.txt", { planner: "llm" }))
        expect(refused.status).toBe("failed")
        expect(ofType(yield* eventsOf(refused.executionId), "ErrorOccurred")[0]).toMatchObject({
          error_type: "Permission",
          recoverable: false
        })

        // the model's answer echoes the key inside the plan it proposes
        fake.respond = (req, res) =>
          json(
            res,
            200,
            completion(
              JSON.stringify({
                goal: `${req.authorization}`,
                steps: [{ description: "x", tool: `${req.authorization}`, input: {}, depends_on: [] }]
              })
            )
          )
        const echoed = yield* run(request(ws, "please read a.txt", { planner: "llm" }))
        expect(echoed.status).toBe("failed")

        const everything = yield* Effect.flatMap(EventStore, (store) => Stream.runCollect(store.readAll())).pipe(
          Effect.orDie
        )
        const text = JSON.stringify([...everything])
        expect(text).toContain("fake-model-2025")
        expect(text).not.toContain(SECRET_KEY)
        expect(`${ok.response}${refused.response}${echoed.response}`).not.toContain(SECRET_KEY)
        expect(fake.requests.every((r) => r.authorization === `Bearer ${SECRET_KEY}`)).toBe(true)
      }).pipe(Effect.provide(agentLayer({ planners: { llm: planner } })))
    })
  )
})
