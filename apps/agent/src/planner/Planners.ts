/**
 * The planners a run can choose from by kind (`RunRequest.planner`): "rules" and "llm".
 *
 * `Planners.layer` offers the rule planner and the LLM planner configured from the environment;
 * the LLM configuration is read when an "llm" plan is asked for, so the rules work offline
 * with nothing configured, and a missing setting is a PlannerError (Validation) naming it.
 */
import { type ConfigError, Context, Effect, Layer } from "effect"
import * as LlmPlanner from "./LlmPlanner.js"
import { Planner } from "./Planner.js"
import { PlannerError } from "./PlannerError.js"
import type { PlannerKind } from "./PlannerKind.js"
import type { PlannerShape } from "./PlannerShape.js"
import * as RulePlanner from "./RulePlanner.js"

export interface PlannersShape {
  readonly get: (kind: PlannerKind) => Effect.Effect<PlannerShape, PlannerError>
}

const notConfigured = (kind: PlannerKind) =>
  new PlannerError({ errorType: "Validation", reason: `no ${kind} planner is configured` })

export class Planners extends Context.Tag("@cratos/agent/Planners")<Planners, PlannersShape>() {
  /** Planners from effects that build them (an absent kind fails with Validation). */
  static readonly make = (
    entries: Partial<Record<PlannerKind, Effect.Effect<PlannerShape, PlannerError>>>
  ): PlannersShape => ({
    get: (kind) => entries[kind] ?? Effect.fail(notConfigured(kind))
  })

  /** Fixed planners by kind (tests, embedding). */
  static readonly layerFrom = (planners: Partial<Record<PlannerKind, PlannerShape>>): Layer.Layer<Planners> =>
    Layer.succeed(
      Planners,
      Planners.make(Object.fromEntries(Object.entries(planners).map(([k, p]) => [k, Effect.succeed(p)])))
    )

  /** Every kind answered by the `Planner` in context. */
  static readonly layerFromPlanner: Layer.Layer<Planners, never, Planner> = Layer.effect(
    Planners,
    Effect.map(Planner, (planner) => Planners.make({ rules: Effect.succeed(planner), llm: Effect.succeed(planner) }))
  )

  /** The rule planner, and the LLM planner read from the environment when first asked for. */
  static readonly layer: Layer.Layer<Planners> = Layer.sync(Planners, () =>
    Planners.make({
      rules: Effect.succeed(RulePlanner.make()),
      llm: LlmPlanner.fromConfig.pipe(
        Effect.mapError(
          (e: ConfigError.ConfigError) =>
            new PlannerError({
              errorType: "Validation",
              reason: `the LLM planner is not configured (set CRATOS_LLM_BASE_URL, CRATOS_LLM_MODEL and CRATOS_LLM_API_KEY): ${e.message}`
            })
        )
      )
    })
  )
}
