/**
 * Browser sessions made by the login link: a random id (the cookie's value) mapped to the id of
 * the token that logged in, in this process's memory. The token is checked again on every
 * request, so revoking it ends its sessions; a restart ends them all (open the link again).
 */
import { randomBytes } from "node:crypto"

const TTL_MS = 12 * 60 * 60 * 1000

export interface Sessions {
  readonly create: (tokenId: string, nowMs: number) => string
  readonly tokenOf: (sessionId: string, nowMs: number) => string | undefined
}

export const makeSessions = (): Sessions => {
  const sessions = new Map<string, { readonly tokenId: string; readonly expires: number }>()
  return {
    create: (tokenId, nowMs) => {
      for (const [id, s] of sessions) if (s.expires <= nowMs) sessions.delete(id)
      const id = randomBytes(32).toString("base64url")
      sessions.set(id, { tokenId, expires: nowMs + TTL_MS })
      return id
    },
    tokenOf: (sessionId, nowMs) => {
      const s = sessions.get(sessionId)
      if (s === undefined || s.expires <= nowMs) return undefined
      return s.tokenId
    }
  }
}

export const SESSION_MAX_AGE_SECONDS = TTL_MS / 1000
