/** A JSON response encoded through the API's schema (so events leave as the contract's wire JSON). */
import { HttpServerResponse } from "@effect/platform"
import { Effect, Schema } from "effect"

export const jsonResponse = <A, I>(schema: Schema.Schema<A, I>, value: A, status = 200) =>
  Schema.encode(schema)(value).pipe(
    Effect.orDie,
    Effect.map((body) => HttpServerResponse.unsafeJson(body, { status }))
  )
