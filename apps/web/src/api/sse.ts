/**
 * Server-sent events of `/api/v1` (`id: position`, `event: <type>`, `data: <wire JSON>`, and a
 * final `event: end` for one execution's stream). The browser's EventSource resumes with
 * Last-Event-ID by itself after a cut; `end` closes it for good.
 */
import { EventType } from "@cratos/domain"
import type { ExecutionEvent } from "./types.js"

export interface StreamHandlers {
  /** Each event, parsed. */
  readonly onEvent?: (event: ExecutionEvent, position: number) => void
  /** Each event's type only (nothing parsed: the list only needs to know that something was appended). */
  readonly onType?: (type: string) => void
  readonly onEnd?: () => void
  readonly onState?: (open: boolean) => void
}

/** Follows an SSE URL; returns the function that stops it. */
export const follow = (url: string, handlers: StreamHandlers): (() => void) => {
  const source = new EventSource(url, { withCredentials: true })
  const onMessage = (message: MessageEvent<string>) => {
    handlers.onType?.(message.type)
    if (handlers.onEvent === undefined) return
    try {
      handlers.onEvent(JSON.parse(message.data) as ExecutionEvent, Number(message.lastEventId))
    } catch {
      // a frame that is not an event's JSON is ignored
    }
  }
  for (const type of EventType.literals) source.addEventListener(type, onMessage)
  source.addEventListener("message", onMessage)
  source.addEventListener("end", () => {
    source.close()
    handlers.onState?.(false)
    handlers.onEnd?.()
  })
  source.addEventListener("open", () => handlers.onState?.(true))
  source.addEventListener("error", () => handlers.onState?.(source.readyState === EventSource.OPEN))
  return () => source.close()
}
