/**
 * Problem responses (RFC 9457): the API's problem classes written as
 * `application/problem+json` with their status. Details name what is wrong, never a value.
 */
import { HttpServerResponse } from "@effect/platform"
import {
  BadRequest,
  Conflict,
  Forbidden,
  NotFound,
  PayloadTooLarge,
  type Problem,
  problemContentType,
  ServerError,
  TooManyRequests,
  Unauthorized,
  Unavailable,
  Unprocessable
} from "@cratos/http"

export const respond = (
  problem: Problem,
  headers: Record<string, string> = {}
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson({ ...problem }, { status: problem.status, contentType: problemContentType, headers })

export const badRequest = (detail: string, path: string | null = null) =>
  new BadRequest({ type: "urn:cratos:problem:bad-request", title: "Bad request", status: 400, detail, path })

export const unauthorized = (detail: string) =>
  new Unauthorized({ type: "urn:cratos:problem:unauthorized", title: "Unauthorized", status: 401, detail })

export const forbidden = (detail: string, requiredScope: string | null = null) =>
  new Forbidden({
    type: "urn:cratos:problem:forbidden",
    title: "Forbidden",
    status: 403,
    detail,
    required_scope: requiredScope
  })

export const notFound = (detail: string) =>
  new NotFound({ type: "urn:cratos:problem:not-found", title: "Not found", status: 404, detail })

export const conflict = (detail: string, versions: { readonly expected?: number; readonly actual?: number } = {}) =>
  new Conflict({ type: "urn:cratos:problem:conflict", title: "Conflict", status: 409, detail, ...versions })

export const payloadTooLarge = (detail: string, limitBytes: number) =>
  new PayloadTooLarge({
    type: "urn:cratos:problem:payload-too-large",
    title: "Payload too large",
    status: 413,
    detail,
    limit_bytes: limitBytes
  })

export const unprocessable = (detail: string, rule: string | null = null) =>
  new Unprocessable({ type: "urn:cratos:problem:unprocessable", title: "Unprocessable", status: 422, detail, rule })

export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new TooManyRequests({
    type: "urn:cratos:problem:too-many-requests",
    title: "Too many requests",
    status: 429,
    detail,
    retry_after_seconds: retryAfterSeconds
  })

export const serverError = (detail = "the server failed; the error is in its log") =>
  new ServerError({ type: "urn:cratos:problem:server-error", title: "Server error", status: 500, detail })

export const unavailable = (detail: string) =>
  new Unavailable({ type: "urn:cratos:problem:unavailable", title: "Unavailable", status: 503, detail })

/** A problem as a failure a handler returns: the response, ready to send. */
export class ProblemResponse {
  readonly _tag = "ProblemResponse"
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {}
  ) {}
}

export const fail = (problem: Problem, headers: Record<string, string> = {}) => new ProblemResponse(problem, headers)
