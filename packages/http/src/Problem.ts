/**
 * Errors as RFC 9457 problem details (`application/problem+json`): `type` (a URN naming the
 * problem), `title`, `status`, `detail`, plus the members a problem adds (`expected`/`actual` of
 * a version conflict, `rule` of a refused history, `path` of a value that does not decode).
 *
 * One class per HTTP status the API answers with, so the OpenAPI document lists each and the
 * typed client decodes each by its status. `detail` never holds a secret or a payload value.
 */
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

const PROBLEM_JSON = "application/problem+json"

/** The members every problem has. */
const base = <T extends string>(type: T) => ({
  type: Schema.Literal(type),
  title: Schema.String,
  status: Schema.Int,
  detail: Schema.String
})

// Typed loosely: the class annotations' own type cannot carry the encoding symbol.
const http = (status: number, identifier: string): any => ({
  ...HttpApiSchema.annotations({ status, identifier, description: `RFC 9457 problem (${status})` }),
  [HttpApiSchema.AnnotationEncoding]: { kind: "Json", contentType: PROBLEM_JSON } satisfies HttpApiSchema.Encoding
})

export class BadRequest extends Schema.Class<BadRequest>("BadRequest")(
  {
    ...base("urn:cratos:problem:bad-request"),
    /** Where the bad value is, e.g. `events[2].timestamp`; null when the body is not JSON. */
    path: Schema.NullOr(Schema.String)
  },
  http(400, "BadRequest")
) {}

export class Unauthorized extends Schema.Class<Unauthorized>("Unauthorized")(
  base("urn:cratos:problem:unauthorized"),
  http(401, "Unauthorized")
) {}

export class Forbidden extends Schema.Class<Forbidden>("Forbidden")(
  { ...base("urn:cratos:problem:forbidden"), required_scope: Schema.NullOr(Schema.String) },
  http(403, "Forbidden")
) {}

export class NotFound extends Schema.Class<NotFound>("NotFound")(
  base("urn:cratos:problem:not-found"),
  http(404, "NotFound")
) {}

/** A stale `expected_version`, an existing execution id, or no pending approval. */
export class Conflict extends Schema.Class<Conflict>("Conflict")(
  {
    ...base("urn:cratos:problem:conflict"),
    expected: Schema.optional(Schema.Int),
    actual: Schema.optional(Schema.Int)
  },
  http(409, "Conflict")
) {}

export class PayloadTooLarge extends Schema.Class<PayloadTooLarge>("PayloadTooLarge")(
  { ...base("urn:cratos:problem:payload-too-large"), limit_bytes: Schema.Int },
  http(413, "PayloadTooLarge")
) {}

/** A history the decider refuses (naming the rule), or an idempotency key reused for another body. */
export class Unprocessable extends Schema.Class<Unprocessable>("Unprocessable")(
  { ...base("urn:cratos:problem:unprocessable"), rule: Schema.NullOr(Schema.String) },
  http(422, "Unprocessable")
) {}

export class TooManyRequests extends Schema.Class<TooManyRequests>("TooManyRequests")(
  { ...base("urn:cratos:problem:too-many-requests"), retry_after_seconds: Schema.Int },
  http(429, "TooManyRequests")
) {}

export class ServerError extends Schema.Class<ServerError>("ServerError")(
  base("urn:cratos:problem:server-error"),
  http(500, "ServerError")
) {}

export class Unavailable extends Schema.Class<Unavailable>("Unavailable")(
  base("urn:cratos:problem:unavailable"),
  http(503, "Unavailable")
) {}

/** Every problem the API answers with. */
export const Problem = Schema.Union(
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  Conflict,
  PayloadTooLarge,
  Unprocessable,
  TooManyRequests,
  ServerError,
  Unavailable
)
export type Problem = typeof Problem.Type

/** The content type problems are written with. */
export const problemContentType = PROBLEM_JSON
