/**
 * Turning events into rows and rows back into events: the wire JSON of the domain's codec, a
 * size cap per event, and the hash that identifies an idempotent request.
 */
import type { ExecutionEvent } from "@cratos/domain"
import { Either } from "effect"
import { createHash } from "node:crypto"
import { decodeStoredEventJson, encodeStoredEventJson } from "./CanonicalDecode.js"
import { CorruptEvent, InvalidEvent } from "./errors.js"
import type { StoredEvent } from "./EventStoreShape.js"
import type { EncodedEvent } from "./sql/EncodedEvent.js"

/** Default cap on one event's `event_data`: 16 MiB of UTF-8. */
export const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024

const utf8Length = (text: string, cap: number): number =>
  // Every UTF-16 unit is 1 to 3 UTF-8 bytes: count only when the bound does not decide.
  text.length * 3 <= cap ? text.length : text.length > cap ? text.length : Buffer.byteLength(text, "utf8")

/** The row values of an event, or why it cannot be stored. */
export const encodeForStore = (
  executionId: string,
  index: number,
  event: ExecutionEvent,
  maxEventBytes: number
): EncodedEvent | InvalidEvent => {
  const encoded = encodeStoredEventJson(event)
  if (Either.isLeft(encoded)) return new InvalidEvent({ executionId, index, reason: encoded.left.message })
  const eventData = encoded.right
  if (utf8Length(eventData, maxEventBytes) > maxEventBytes) {
    return new InvalidEvent({
      executionId,
      index,
      reason: `event_data is over the cap of ${maxEventBytes} bytes`
    })
  }
  return { eventType: event.type, eventData, timestamp: event.timestamp }
}

/** Encodes a batch; the first event that cannot be stored fails it all. */
export const encodeAll = (
  executionId: string,
  events: ReadonlyArray<ExecutionEvent>,
  maxEventBytes: number
): Array<EncodedEvent> | InvalidEvent => {
  const out = new Array<EncodedEvent>(events.length)
  for (let i = 0; i < events.length; i++) {
    const e = encodeForStore(executionId, i, events[i]!, maxEventBytes)
    if (e instanceof InvalidEvent) return e
    out[i] = e
  }
  return out
}

/** SHA-256 of what an idempotent request writes: which stream, and the exact event texts. */
export const requestHash = (operation: string, executionId: string, events: ReadonlyArray<EncodedEvent>): string => {
  const h = createHash("sha256")
  h.update(`${operation}\0${executionId.length}:${executionId}\0`)
  // JSON text never holds a raw NUL (JSON.stringify escapes it), so NUL separates unambiguously.
  for (const e of events) h.update(e.eventData).update("\0")
  return h.digest("hex")
}

/**
 * Why a row does not decode, without echoing it: V8's JSON.parse messages quote the text
 * (`Unexpected token ']', "[1,]x" is not valid JSON`), which may hold a secret.
 */
export const corruptionReason = (message: string): string => {
  const quiet = message.replace(/, ".*" is not valid JSON/s, " (not valid JSON)")
  return quiet.length > 200 ? quiet.slice(0, 200) + "…" : quiet
}

/** A stored row as an event (the domain's decoding, fast for canonical rows), or the CorruptEvent naming it. */
export const decodeRow = (
  position: number,
  executionId: string,
  userId: string,
  eventData: string
): StoredEvent | CorruptEvent => {
  const decoded = decodeStoredEventJson(eventData)
  return Either.isRight(decoded)
    ? { position, executionId, userId, event: decoded.right }
    : new CorruptEvent({ position, executionId, reason: corruptionReason(decoded.left.message) })
}
