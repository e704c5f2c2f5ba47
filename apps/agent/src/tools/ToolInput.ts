/** Decoding a tool's input; a mismatch is a Validation error that does not echo the input. */
import { Effect, Schema } from "effect"
import { validation, type ToolError } from "./ToolError.js"

export const decodeInput =
  <A, I>(schema: Schema.Schema<A, I>, tool: string, shape: string) =>
  (input: unknown): Effect.Effect<A, ToolError> =>
    Schema.decodeUnknown(schema)(input).pipe(
      // The parse error may quote the input (which can hold secrets): say what was expected only.
      Effect.mapError(() => validation(`invalid input for ${tool}: expected ${shape}`))
    )
