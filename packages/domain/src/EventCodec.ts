/**
 * Decoding and encoding events: from and to wire objects and JSON text, with typed errors that
 * say which field is wrong and why.
 */
import { Data, Either, ParseResult, Schema } from "effect"
import { firstIssue } from "./IssueFormat.js"
import { ExecutionEvent } from "./ExecutionEvent.js"
import { parseJson, stringifyJson } from "./Json.js"

/** A document that is not a valid event: `path` is where (`plan.steps[1].depends_on[0]`). */
export class EventDecodeError extends Data.TaggedError("EventDecodeError")<{
  readonly path: string
  readonly reason: string
}> {
  override get message(): string {
    return this.path === "" ? this.reason : `${this.path}: ${this.reason}`
  }
}

/** An event that cannot be written as JSON serde would read back. */
export class EventEncodeError extends Data.TaggedError("EventEncodeError")<{
  readonly path: string
  readonly reason: string
}> {
  override get message(): string {
    return this.path === "" ? this.reason : `${this.path}: ${this.reason}`
  }
}

const decodeEither = Schema.decodeUnknownEither(ExecutionEvent, { errors: "first" })
const encodeEither = Schema.encodeEither(ExecutionEvent, { errors: "first" })

/** Decodes a wire object (already parsed JSON) into an event. */
export const decodeEvent = (json: unknown): Either.Either<ExecutionEvent, EventDecodeError> => {
  try {
    return Either.mapLeft(decodeEither(json), (e) => new EventDecodeError(firstIssue(e.issue)))
  } catch (e) {
    // Fail closed: whatever went wrong (a stack overflow on a hostile shape), it is a decode error.
    return Either.left(
      new EventDecodeError({ path: "", reason: `cannot be decoded (${(e as Error)?.name ?? "error"})` })
    )
  }
}

/** Encodes an event into its wire object. */
export const encodeEvent = (event: ExecutionEvent): Either.Either<typeof ExecutionEvent.Encoded, EventEncodeError> => {
  try {
    return Either.mapLeft(encodeEither(event), (e) => new EventEncodeError(firstIssue(e.issue)))
  } catch (e) {
    return Either.left(
      new EventEncodeError({ path: "", reason: `cannot be encoded (${(e as Error)?.name ?? "error"})` })
    )
  }
}

/** Decodes JSON text (an `event_data` column, a line of an export) into an event. */
export const decodeEventJson = (text: string): Either.Either<ExecutionEvent, EventDecodeError> =>
  Either.flatMap(
    Either.mapLeft(parseJson(text), (reason) => new EventDecodeError({ path: "", reason })),
    decodeEvent
  )

/** Encodes an event as the JSON text serde would write. */
export const encodeEventJson = (event: ExecutionEvent): Either.Either<string, EventEncodeError> =>
  Either.flatMap(encodeEvent(event), (wire) =>
    Either.mapLeft(stringifyJson(wire), (reason) => new EventEncodeError({ path: "", reason }))
  )

/** The JSON-string codec for whole events, as a schema: `string <-> ExecutionEvent`. */
export const ExecutionEventFromJson: Schema.Schema<ExecutionEvent, string> = Schema.transformOrFail(
  Schema.String,
  ExecutionEvent,
  {
    strict: true,
    decode: (text, _, ast) =>
      Either.match(parseJson(text), {
        onLeft: (reason) => ParseResult.fail(new ParseResult.Type(ast, text, reason)),
        onRight: (json) => ParseResult.succeed(json as typeof ExecutionEvent.Encoded)
      }),
    encode: (wire, _, ast) =>
      Either.match(stringifyJson(wire), {
        onLeft: (reason) => ParseResult.fail(new ParseResult.Type(ast, wire, reason)),
        onRight: ParseResult.succeed
      })
  }
).annotations({ identifier: "ExecutionEventFromJson" })
