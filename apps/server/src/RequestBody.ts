/**
 * Reads and decodes a JSON body against one of the API's schemas: over the cap → 413; not JSON →
 * 400 with no path; a value that does not decode → 400 naming its path (`events[2].timestamp`).
 * The detail says what was expected, never the value sent.
 */
import { HttpServerRequest } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, Either, ParseResult, Schema } from "effect"
import { badRequest, fail, payloadTooLarge, type ProblemResponse } from "./Problems.js"
import { ServerContext } from "./ServerContext.js"

/** `events[2].timestamp` from a parse issue's path. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`),
    ""
  )

/** A parse issue's message without the value it saw (it may be a secret). */
export const withoutValue = (message: string): string => message.replace(/,?\s*actual[\s\S]*$/, "").trim()

export const describeParseError = (
  error: ParseResult.ParseError
): { readonly path: string; readonly detail: string } => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  const path = issue === undefined ? "" : formatPath(issue.path)
  const what =
    issue === undefined ? "invalid value" : issue._tag === "Missing" ? "is missing" : withoutValue(issue.message)
  return { path, detail: `${path === "" ? "the body" : path}: ${what}` }
}

const tooLarge = (limit: number) => fail(payloadTooLarge(`the request body is over ${limit} bytes`, limit))

/**
 * The body as UTF-8 text, read straight from node's request (the platform's reader destroys the
 * request when it stops early, so a client still sending saw a reset instead of the 413). Past
 * `limit` bytes it stops keeping what arrives and answers 413 at once; node then discards the rest
 * of the body (within the slow-client timeout) and the connection stays usable.
 */
export const readText = (request: HttpServerRequest.HttpServerRequest, limit: number) =>
  Effect.async<string, ProblemResponse>((resume) => {
    const source = NodeHttpServerRequest.toIncomingMessage(request)
    const chunks: Array<Buffer> = []
    let bytes = 0
    const done = () => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onError)
      source.off("aborted", onError)
    }
    const onData = (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes <= limit) return void chunks.push(chunk)
      done()
      chunks.length = 0
      resume(Effect.fail(tooLarge(limit)))
    }
    const onEnd = () => {
      done()
      resume(Effect.succeed(Buffer.concat(chunks, bytes).toString("utf8")))
    }
    const onError = () => {
      done()
      resume(Effect.fail(fail(badRequest("the body could not be read"))))
    }
    if (source.readableEnded) return resume(Effect.fail(fail(badRequest("the body could not be read"))))
    source.on("data", onData)
    source.once("end", onEnd)
    source.once("error", onError)
    source.once("aborted", onError)
    return Effect.sync(done)
  })

const DECODE_OPTIONS = { errors: "first", onExcessProperty: "ignore" } as const

/** A schema's synchronous decoder, built once per schema (no fiber steps per request). */
const decoders = new WeakMap<object, (u: unknown) => Either.Either<unknown, ParseResult.ParseError>>()
const decoderOf = <A, I>(schema: Schema.Schema<A, I>) => {
  let decode = decoders.get(schema)
  if (decode === undefined) {
    decode = Schema.decodeUnknownEither(schema, DECODE_OPTIONS)
    decoders.set(schema, decode)
  }
  return decode as (u: unknown) => Either.Either<A, ParseResult.ParseError>
}

const decodeWith = <A, I>(schema: Schema.Schema<A, I>, u: unknown): Either.Either<A, ProblemResponse> =>
  Either.mapLeft(decoderOf(schema)(u), (e) => {
    const { path, detail } = describeParseError(e)
    return fail(badRequest(detail, path))
  })

/**
 * The body decoded by `schema`. `fast`, when given, may answer first with the value the schema
 * would give (see CanonicalBodies.ts); when it answers undefined the schema decides.
 */
export const decodeBody = <A, I>(
  schema: Schema.Schema<A, I>,
  fast?: (json: unknown) => A | undefined
): Effect.Effect<A, ProblemResponse, HttpServerRequest.HttpServerRequest | ServerContext> =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const { options } = yield* ServerContext
    const length = Number(request.headers["content-length"] ?? "0")
    if (length > options.maxBodyBytes) return yield* Effect.fail(tooLarge(options.maxBodyBytes))
    const text = yield* readText(request, options.maxBodyBytes)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return yield* Effect.fail(fail(badRequest("the body is not JSON")))
    }
    const quick = fast?.(json)
    return quick !== undefined ? quick : yield* decodeWith(schema, json)
  })

/** Decodes the query string against a schema (400 naming the parameter). */
export const decodeQuery = <A, I>(
  schema: Schema.Schema<A, I>
): Effect.Effect<A, ProblemResponse, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://localhost")
    const params: Record<string, string> = {}
    for (const [k, v] of url.searchParams) params[k] = v
    return yield* decodeWith(schema, params)
  })
