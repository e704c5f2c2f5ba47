/**
 * Who is asking: `Authorization: Bearer TOKEN`, or the web UI's session cookie. The cookie counts
 * only from the server's own origin (`Sec-Fetch-Site` same-origin or none, `Origin` this host when
 * sent) and, for a request that changes something, with the CSRF header the UI sends (a header a
 * cross-site form cannot set, and a cross-site script cannot send without a CORS preflight this
 * server never answers). Then the per-token rate limit.
 */
import { CSRF_HEADER, SESSION_COOKIE } from "@cratos/http"
import { HttpServerRequest } from "@effect/platform"
import { Clock, Effect } from "effect"
import { fail, forbidden, type ProblemResponse, tooManyRequests, unauthorized } from "./Problems.js"
import { ServerContext } from "./ServerContext.js"
import type { Principal } from "./tokens/Principal.js"
import type { Scope } from "./tokens/Scope.js"
import { hashToken, sameHash } from "./tokens/TokenSecret.js"
import { TokenStore } from "./tokens/TokenStore.js"

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"])

/** Whether a cookie-carrying request comes from the server's own pages. */
export const sameOrigin = (headers: Readonly<Record<string, string | undefined>>): boolean => {
  const site = headers["sec-fetch-site"]
  if (site !== undefined && site !== "same-origin" && site !== "none") return false
  const origin = headers["origin"]
  if (origin !== undefined && origin !== `http://${headers["host"] ?? ""}`) return false
  return true
}

/**
 * The principal of a presented token: the login link's (memory), one verified within the last
 * `tokenCacheMs` (VerifiedTokens), or a stored one.
 */
export const verifyToken = (text: string) =>
  Effect.gen(function* () {
    const { loginToken, verifiedTokens } = yield* ServerContext
    const hash = hashToken(text)
    if (sameHash(hash, loginToken.hash)) return loginToken.principal
    const now = yield* Clock.currentTimeMillis
    const known = verifiedTokens.get(hash, now)
    if (known !== undefined) return known
    const principal = yield* (yield* TokenStore).verify(text)
    if (principal !== null) verifiedTokens.set(hash, principal, now)
    return principal
  })

const principalById = (id: string) =>
  Effect.gen(function* () {
    const { loginToken } = yield* ServerContext
    if (id === loginToken.principal.tokenId) return loginToken.principal
    return yield* (yield* TokenStore).byId(id)
  })

const principalOf = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const authorization = request.headers["authorization"]
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    const principal = match?.[1] === undefined ? null : yield* verifyToken(match[1])
    if (principal === null) return yield* Effect.fail(fail(unauthorized("the bearer token is not a valid token")))
    return principal
  }
  const session = request.cookies[SESSION_COOKIE]
  if (session === undefined) {
    return yield* Effect.fail(fail(unauthorized("send Authorization: Bearer TOKEN (cratos token create)")))
  }
  const context = yield* ServerContext
  const tokenId = context.sessions.tokenOf(session, yield* Clock.currentTimeMillis)
  const principal = tokenId === undefined ? null : yield* principalById(tokenId)
  if (principal === null) {
    return yield* Effect.fail(fail(unauthorized("the session has ended: open the login link again")))
  }
  if (!sameOrigin(request.headers)) {
    return yield* Effect.fail(fail(forbidden("the session cookie is accepted from this server's own pages only")))
  }
  if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] === undefined) {
    return yield* Effect.fail(fail(forbidden(`a request that changes something needs the ${CSRF_HEADER} header`)))
  }
  // the browser sees masked copies only (issue 12)
  return { ...principal, maskedOnly: true }
})

/** The principal of the request, holding `scope`, within its rate limit. */
export const authenticate = (
  scope: Scope
): Effect.Effect<Principal, ProblemResponse, HttpServerRequest.HttpServerRequest | TokenStore | ServerContext> =>
  Effect.gen(function* () {
    const principal = yield* principalOf.pipe(Effect.catchTag("StorageError", (e) => Effect.die(e)))
    const context = yield* ServerContext
    const wait = context.rateLimiter.take(principal.tokenId, yield* Clock.currentTimeMillis)
    if (wait > 0) {
      return yield* Effect.fail(
        fail(tooManyRequests(`over ${context.options.ratePerSecond} requests a second for this token`, wait), {
          "retry-after": String(wait)
        })
      )
    }
    if (!principal.scopes.includes(scope)) {
      return yield* Effect.fail(fail(forbidden(`this token lacks the ${scope} scope`, scope)))
    }
    return principal
  })
