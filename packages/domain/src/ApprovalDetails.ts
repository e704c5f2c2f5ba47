/** What the person approving a step sees: the masked input, never the raw one. */
import { Schema } from "effect"
import { JsonValue } from "./Json.js"
import { Timestamp } from "./Timestamp.js"
import { OptionField, SafeU64 } from "./SerdeFields.js"

export const ApprovalDetails = Schema.Struct({
  tool: Schema.String,
  description: Schema.String,
  input_masked: JsonValue,
  step_index: OptionField(SafeU64),
  expires_at: OptionField(Timestamp)
}).annotations({ identifier: "ApprovalDetails" })
export type ApprovalDetails = typeof ApprovalDetails.Type
