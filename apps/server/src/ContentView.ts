/**
 * What content a principal is shown. A browser session (the web UI's cookie) sees masked copies
 * only: every raw field of an event replaced by its masked value (the domain's `maskRawContent`,
 * the same view `show --json` gives of sealed content), and an execution's message text masked.
 * A bearer token sees what `cratos show --json` and `list --json` print, so `cratos --server`
 * prints what the local command prints.
 */
import { type ExecutionEvent, Events, maskRawContent, maskSecrets } from "@cratos/domain"
import type { Principal } from "./tokens/Principal.js"

const maskText = (text: string): string => Events.maskText(maskSecrets, text)

/** The event as `principal` may see it. */
export const eventView =
  (principal: Principal) =>
  (event: ExecutionEvent): ExecutionEvent =>
    principal.maskedOnly === true ? maskRawContent(event, maskText) : event

/** A message text as `principal` may see it. */
export const textView =
  (principal: Principal) =>
  (text: string): string =>
    principal.maskedOnly === true ? maskText(text) : text
