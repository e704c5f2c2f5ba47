/** The server's per-process state that every handler shares (limits, sessions, metrics, shutdown). */
import { Context, Deferred, Effect, Layer } from "effect"
import { type ApprovalRequests, makeApprovalRequests } from "./ApprovalRequests.js"
import { type Metrics, makeMetrics } from "./Metrics.js"
import { makeRateLimiter, type RateLimiter } from "./RateLimiter.js"
import type { ServerOptions } from "./ServerOptions.js"
import { makeSessions, type Sessions } from "./Sessions.js"
import { makeStreamQuota, type StreamQuota } from "./StreamQuota.js"
import { makeStreamLocks, type StreamLocks } from "./StreamLocks.js"
import { makeStreamStates, type StreamStates } from "./StreamStates.js"
import type { Principal } from "./tokens/Principal.js"
import { generateToken, hashToken } from "./tokens/TokenSecret.js"
import { makeVerifiedTokens, type VerifiedTokens } from "./tokens/VerifiedTokens.js"

/**
 * The token of the login link `cratos serve` prints: made at start, held in memory only (never
 * stored), scopes read and approve, valid until the process ends.
 */
export interface LoginToken {
  readonly text: string
  readonly hash: string
  readonly principal: Principal
}

const makeLoginToken = (): LoginToken => {
  const secret = generateToken()
  return {
    text: secret.text,
    hash: hashToken(secret.text),
    principal: { tokenId: `login-${secret.id}`, name: "login link", scopes: ["read", "approve"], userId: null }
  }
}

export interface ServerContextShape {
  readonly options: ServerOptions
  readonly sessions: Sessions
  readonly rateLimiter: RateLimiter
  readonly streams: StreamQuota
  readonly metrics: Metrics
  /** Completed when the server begins to shut down: SSE streams end on it. */
  readonly shuttingDown: Deferred.Deferred<void>
  readonly loginToken: LoginToken
  readonly states: StreamStates
  readonly locks: StreamLocks
  readonly verifiedTokens: VerifiedTokens
  readonly approvalRequests: ApprovalRequests
}

export class ServerContext extends Context.Tag("@cratos/server/ServerContext")<ServerContext, ServerContextShape>() {
  static readonly make = (options: ServerOptions): Effect.Effect<ServerContextShape> =>
    Effect.map(Deferred.make<void>(), (shuttingDown) => ({
      options,
      sessions: makeSessions(),
      rateLimiter: makeRateLimiter(options.ratePerSecond, options.rateBurst),
      streams: makeStreamQuota(options.maxStreamsPerToken),
      metrics: makeMetrics(),
      shuttingDown,
      loginToken: makeLoginToken(),
      states: makeStreamStates(),
      locks: makeStreamLocks(),
      verifiedTokens: makeVerifiedTokens(options.tokenCacheMs),
      approvalRequests: makeApprovalRequests()
    }))

  static readonly layer = (options: ServerOptions): Layer.Layer<ServerContext> =>
    Layer.effect(ServerContext, ServerContext.make(options))
}
