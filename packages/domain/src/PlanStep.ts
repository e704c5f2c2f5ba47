/** One step of a plan: a tool call and the steps (by index) it waits for. */
import { Schema } from "effect"
import { JsonValue } from "./Json.js"
import { SafeU64 } from "./SerdeFields.js"

export const PlanStep = Schema.Struct({
  description: Schema.String,
  tool: Schema.String,
  input: JsonValue,
  depends_on: Schema.Array(SafeU64)
}).annotations({ identifier: "PlanStep" })
export type PlanStep = typeof PlanStep.Type
