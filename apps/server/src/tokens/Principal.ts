/** Who a request is: the token it authenticated with, its scopes and its user restriction. */
import type { Scope } from "./Scope.js"

export interface Principal {
  readonly tokenId: string
  readonly name: string
  readonly scopes: ReadonlyArray<Scope>
  /** When set, only this user's executions exist for the principal. */
  readonly userId: string | null
  /** A browser session: raw content never reaches it, only masked copies (ContentView.ts). */
  readonly maskedOnly?: boolean
}

/** Whether the principal may see an execution of `userId`. */
export const canSee = (principal: Principal, userId: string): boolean =>
  principal.userId === null || principal.userId === userId
