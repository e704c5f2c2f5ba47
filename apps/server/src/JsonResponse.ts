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
