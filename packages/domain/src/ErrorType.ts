/** What kind of failure an ErrorOccurred reports. */
import { Schema } from "effect"

export const ErrorType = Schema.Literal("Network", "Permission", "Timeout", "Validation", "Internal").annotations({
  identifier: "ErrorType"
})
export type ErrorType = typeof ErrorType.Type
