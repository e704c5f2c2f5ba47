/**
 * The agent on the real SQLite EventStore in memory, with a temporary workspace; helpers to read
 * back what was recorded.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { deriveStatus, type ExecutionEvent } from "@cratos/domain"
import { EventStore } from "@cratos/store"
import { Effect, Layer } from "effect"
import { Agent, type AgentOptions } from "../../apps/agent/src/agent/Agent.js"
import type { Approver, RunRequest } from "../../apps/agent/src/agent/AgentShape.js"
import { RandomBytes } from "../../apps/agent/src/agent/RandomBytes.js"
import type { PlannerShape } from "../../apps/agent/src/planner/PlannerShape.js"
import { Planners } from "../../apps/agent/src/planner/Planners.js"
import * as RulePlanner from "../../apps/agent/src/planner/RulePlanner.js"
import { Tools, type ToolsOptions } from "../../apps/agent/src/tools/Tools.js"

export const yes: Approver = () => Effect.succeed(true)
export const no: Approver = () => Effect.succeed(false)

/** A temporary workspace holding `files`, removed with the scope. */
export const workspace = (files: Record<string, string> = {}) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await realpath(await mkdtemp(path.join(tmpdir(), "cratos-agent-it-")))
      for (const [name, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
        await writeFile(path.join(dir, name), content)
      }
      return dir
    }),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

export interface AgentTestOptions {
  readonly planners?: Partial<Record<"rules" | "llm", PlannerShape>>
  readonly tools?: ToolsOptions
  readonly agent?: AgentOptions
}

/** Agent + EventStore (in-memory SQLite), fresh for each use. */
export const agentLayer = (options: AgentTestOptions = {}) =>
  Agent.layerWithoutDependencies(options.agent).pipe(
    Layer.provideMerge(EventStore.layerMemory),
    Layer.provide(
      Layer.mergeAll(
        Planners.layerFrom(options.planners ?? { rules: RulePlanner.make() }),
        Tools.layer(options.tools),
        RandomBytes.layer
      )
    )
  )

export const request = (ws: string, text: string, overrides: Partial<RunRequest> = {}): RunRequest => ({
  text,
  userId: "tester",
  workspace: ws,
  planner: "rules",
  approve: yes,
  ...overrides
})

export const run = (req: RunRequest) => Effect.flatMap(Agent, (agent) => agent.run(req))

export const eventsOf = (executionId: string): Effect.Effect<ReadonlyArray<ExecutionEvent>, never, EventStore> =>
  Effect.flatMap(EventStore, (store) => store.getEvents(executionId)).pipe(Effect.orDie)

export const typesOf = (events: ReadonlyArray<ExecutionEvent>) => events.map((e) => e.type)

export const statusOf = (events: ReadonlyArray<ExecutionEvent>) => deriveStatus(events).status

/** Narrows an event list to one variant. */
export const ofType = <T extends ExecutionEvent["type"]>(
  events: ReadonlyArray<ExecutionEvent>,
  type: T
): Array<Extract<ExecutionEvent, { type: T }>> =>
  events.filter((e): e is Extract<ExecutionEvent, { type: T }> => e.type === type)
