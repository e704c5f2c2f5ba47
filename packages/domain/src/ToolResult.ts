/** What a tool returned. */
import { Schema } from "effect"
import { JsonValue } from "./Json.js"
import { OptionField } from "./SerdeFields.js"

export const ToolResult = Schema.Struct({
  success: Schema.Boolean,
  output: JsonValue,
  error: OptionField(Schema.String)
}).annotations({ identifier: "ToolResult" })
export type ToolResult = typeof ToolResult.Type
