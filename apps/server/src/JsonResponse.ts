/** A JSON response encoded through the API's schema (so events leave as the contract's wire JSON). */
import { HttpServerResponse } from "@effect/platform"
import { Effect, Either, type ParseResult, Schema } from "effect"

/** A schema's synchronous encoder, built once per schema (no fiber steps per response). */
const encoders = new WeakMap<object, (a: unknown) => Either.Either<unknown, ParseResult.ParseError>>()
const encoderOf = <A, I>(schema: Schema.Schema<A, I>) => {
  let encode = encoders.get(schema)
  if (encode === undefined) {
    encode = Schema.encodeEither(schema) as (a: unknown) => Either.Either<unknown, ParseResult.ParseError>
    encoders.set(schema, encode)
  }
  return encode
}

/** The response; a value the schema cannot encode is the server's bug (a defect: a bare 500). */
export const jsonResponse = <A, I>(schema: Schema.Schema<A, I>, value: A, status = 200) =>
  Either.match(encoderOf(schema)(value), {
    onLeft: (e) => Effect.die(e),
    onRight: (body) => Effect.succeed(HttpServerResponse.unsafeJson(body, { status }))
  })

/**
 * The response of a schema with no transformation (its encoded form is its type: the `Schema<A, A>`
 * bound checks that at compile time), such as the ingest answers `ExecutionCreated` and
 * `EventsAppended`: the value is its own wire JSON, so the encoder is not run per request. Its
 * filters (non-negative integers) hold for what the store returns; `JsonResponse.test.ts` checks
 * that both paths write the same bytes.
 */
export const plainJsonResponse = <A>(_schema: Schema.Schema<A, A>, value: A, status = 200) =>
  Effect.succeed(HttpServerResponse.unsafeJson(value, { status }))
