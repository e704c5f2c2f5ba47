/**
 * The planner: turns a person's text into an ExecutionPlan. Two implementations: the offline
 * rule planner (`RulePlanner`, the default) and an OpenAI-compatible chat-completions planner
 * (`LlmPlanner`). Both build the plan with the domain's `makePlan`, so risk and approval come
 * from the tool registry and the policy, never from the planner's own say-so.
 *
 * A service with two implementations: each implementation module has its own `make`; the tag
 * offers `make` and `layer` for the default (rules) and `layerLlm` for the other.
 */
import { Context, Effect, Layer } from "effect"
import * as LlmPlanner from "./LlmPlanner.js"
import type { PlannerShape } from "./PlannerShape.js"
import * as RulePlanner from "./RulePlanner.js"

export class Planner extends Context.Tag("@cratos/agent/Planner")<Planner, PlannerShape>() {
  /** The built-in rule planner (offline, model "rules", 0 tokens). */
  static readonly make: Effect.Effect<PlannerShape> = Effect.sync(() => RulePlanner.make())
  static readonly layer: Layer.Layer<Planner> = Layer.effect(Planner, Planner.make)
  /** The chat-completions planner, configured by CRATOS_LLM_BASE_URL / _MODEL / _API_KEY. */
  static readonly layerLlm = Layer.effect(Planner, LlmPlanner.fromConfig)
}
