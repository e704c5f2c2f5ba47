import { EventStore, StorageError } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, Stream } from "effect"
import { Agent } from "../../apps/agent/src/agent/Agent.js"
import { RandomBytes } from "../../apps/agent/src/agent/RandomBytes.js"
import type { PlannerShape } from "../../apps/agent/src/planner/PlannerShape.js"
import { Planners } from "../../apps/agent/src/planner/Planners.js"
import * as RulePlanner from "../../apps/agent/src/planner/RulePlanner.js"
import { Tools } from "../../apps/agent/src/tools/Tools.js"
import { agentLayer, eventsOf, ofType, request, run, statusOf, typesOf, workspace } from "./harness.js"

describe("what goes wrong inside the agent", () => {
  it.scopedLive("a command the decider refuses is a bug: fatal Internal error, then a response", () => {
    // a planner that skips makePlan and hands over a cycle: the decider refuses PlanGenerated
    const cyclic: PlannerShape = {
      plan: () =>
        Effect.succeed({
          plan: {
            goal: "loop",
            steps: [
              { description: "a", tool: "file_read", input: { path: "a" }, depends_on: [1] },
              { description: "b", tool: "file_read", input: { path: "b" }, depends_on: [0] }
            ],
            estimated_risk: "Read",
            requires_approval: false
          },
          model_used: "broken",
          tokens_used: 0
        })
    }
    return Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "loop"))
      const events = yield* eventsOf(result.executionId)
      expect(typesOf(events)).toEqual(["MessageReceived", "ErrorOccurred", "ResponseSent"])
      expect(ofType(events, "ErrorOccurred")[0]).toMatchObject({ error_type: "Internal", recoverable: false })
      expect(ofType(events, "ErrorOccurred")[0]!.error).toContain("plan-is-a-dag")
      expect(result.status).toBe("failed")
      expect(statusOf(events)).toBe("failed")
    }).pipe(Effect.provide(agentLayer({ planners: { rules: cyclic } })))
  })

  it.scopedLive("a planner that crashes is a fatal Internal planning error", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "x"))
      const events = yield* eventsOf(result.executionId)
      expect(ofType(events, "ErrorOccurred")[0]).toMatchObject({
        error_type: "Internal",
        recoverable: false,
        error: "planning failed: the planner crashed: boom"
      })
      expect(result.status).toBe("failed")
    }).pipe(Effect.provide(agentLayer({ planners: { rules: { plan: () => Effect.die(new Error("boom")) } } })))
  )

  it.scopedLive("a tool that crashes is a recoverable Internal error", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "read a"))
      const events = yield* eventsOf(result.executionId)
      expect(ofType(events, "ErrorOccurred")[0]).toMatchObject({
        error_type: "Internal",
        recoverable: true,
        error: "step 1 (file_read) failed: file_read crashed: kaboom"
      })
      expect(result.status).toBe("completed")
    }).pipe(
      Effect.provide(
        agentLayer({
          tools: {
            tools: [
              {
                name: "file_read",
                risk: "Read",
                summary: "",
                inputShape: "{}",
                run: () =>
                  Effect.sync(() => {
                    throw new Error("kaboom")
                  })
              }
            ]
          }
        })
      )
    )
  )

  it.scopedLive("a store that fails to append: AgentFailure, nothing more written", () => {
    const failingAppends = Layer.effect(
      EventStore,
      Effect.map(EventStore, (store) => ({
        ...store,
        append: () =>
          Effect.fail(
            new StorageError({ operation: "append", path: ":memory:", code: "SQLITE_FULL", reason: "disk full" })
          )
      }))
    ).pipe(Layer.provideMerge(EventStore.layerMemory))
    return Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* Effect.either(run(request(ws, "read a")))
      expect(Either.isLeft(result) && result.left._tag).toBe("AgentFailure")
      expect(Either.isLeft(result) && result.left.message).toMatch(/could not record execution .*disk full/)
    }).pipe(
      Effect.provide(
        Agent.layerWithoutDependencies().pipe(
          Layer.provideMerge(failingAppends),
          Layer.provide(
            Layer.mergeAll(Planners.layerFrom({ rules: RulePlanner.make() }), Tools.layer(), RandomBytes.layer)
          )
        )
      )
    )
  })

  it.scopedLive("another writer on the stream: the version check refuses the next append (AgentFailure)", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const store = yield* EventStore
      const result = yield* Effect.either(
        run(
          request(ws, "write a.txt: x", {
            // someone else appends to this execution while the approval is pending
            approve: (prompt) =>
              store
                .insertEvent(prompt.executionId, "intruder", {
                  type: "ErrorOccurred",
                  error: "intruder",
                  error_type: "Internal",
                  recoverable: true,
                  timestamp: "2025-11-26T10:00:00Z" as never
                })
                .pipe(Effect.orDie, Effect.as(true))
          })
        )
      )
      expect(Either.isLeft(result) && result.left._tag).toBe("AgentFailure")
      expect(Either.isLeft(result) && result.left.message).toMatch(/is at version 4, expected 3/)
      // the agent still closed the execution as failed, after the intruder's event
      const executionId = (yield* Effect.flatMap(EventStore, (s) => Stream.runCollect(s.readAll())).pipe(
        Effect.orDie
      )).pipe((c) => [...c][0]!.executionId)
      const events = yield* eventsOf(executionId)
      expect(typesOf(events)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ApprovalRequested",
        "ErrorOccurred",
        "ErrorOccurred",
        "ResponseSent"
      ])
      expect(events[4]).toMatchObject({ error_type: "Internal", recoverable: false })
      expect(statusOf(events)).toBe("failed")
    }).pipe(Effect.provide(agentLayer()))
  )
})
