/**
 * Tokens verified lately, by the SHA-256 of their text (the text itself is never kept): a
 * request with a token seen in the last `ttlMs` skips the `api_tokens` lookup. A token revoked by
 * `cratos token revoke` (another process, so this one is not told) stops working within `ttlMs`.
 * Only valid tokens are remembered, at most `max` of them (the oldest go first).
 */
import type { Principal } from "./Principal.js"

export interface VerifiedTokens {
  readonly get: (hash: string, nowMs: number) => Principal | undefined
  readonly set: (hash: string, principal: Principal, nowMs: number) => void
}

export const makeVerifiedTokens = (ttlMs: number, max = 1_000): VerifiedTokens => {
  const entries = new Map<string, { readonly principal: Principal; readonly at: number }>()
  return {
    get: (hash, nowMs) => {
      const entry = entries.get(hash)
      if (entry === undefined) return undefined
      if (nowMs - entry.at < ttlMs && nowMs >= entry.at) return entry.principal
      entries.delete(hash)
      return undefined
    },
    set: (hash, principal, nowMs) => {
      if (ttlMs <= 0) return
      entries.delete(hash)
      entries.set(hash, { principal, at: nowMs })
      if (entries.size > max) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
    }
  }
}
