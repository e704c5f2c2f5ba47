/** The `:id` of a route. */
import { HttpRouter } from "@effect/platform"
import { Effect } from "effect"

export const executionId = Effect.map(HttpRouter.params, (p) => p["id"] ?? "")
