/**
 * What content a principal is shown (issue 14): masked copies, always, unless the request asks
 * `?reveal=true` with a token holding the `reveal` scope. Every raw field of an event is then
 * replaced by its masked value (the domain's `maskRawContent`, the same view `cratos show --json`
 * prints: decrypted by the store, then masked), and an execution's message text is masked. With
 * reveal the raw fields are given as appended (`cratos show --json --reveal`). A browser session
 * never reveals.
 */
import { type ExecutionEvent, maskRawContent } from "@cratos/domain"
import { maskedText } from "@cratos/store"
import { HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import { badRequest, fail, forbidden, type ProblemResponse } from "./Problems.js"
import type { Principal } from "./tokens/Principal.js"

/**
 * Whether the request asks for the raw content (`?reveal=true`) and may have it: a bearer token
 * with the `reveal` scope. Asking without the scope is a 403, not a silent masked answer.
 */
export const revealRequested = (
  principal: Principal
): Effect.Effect<boolean, ProblemResponse, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const value = new URL(request.url, "http://localhost").searchParams.get("reveal")
    if (value === null || value === "false") return false
    if (value !== "true") return yield* Effect.fail(fail(badRequest("reveal: must be true or false", "reveal")))
    if (principal.maskedOnly === true || !principal.scopes.includes("reveal")) {
      return yield* Effect.fail(fail(forbidden("?reveal=true needs a token with the reveal scope", "reveal")))
    }
    return true
  })

/** The event as shown: masked, or as appended with `reveal`. */
export const eventView =
  (reveal: boolean) =>
  (event: ExecutionEvent): ExecutionEvent =>
    reveal ? event : maskRawContent(event)

/** A message text as shown (rows from before encryption hold plaintext). */
export const textView = (text: string): string => maskedText(text)
