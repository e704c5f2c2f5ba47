/**
 * Sealing and opening the raw content of one event (issue 14), given the keys. The field list is
 * the domain's (`mapRawContent`); this file adds the cipher. A sealed event is still a valid
 * event: every raw field becomes an envelope string (`cratos:enc:v1:…`).
 *
 * Opening never fails as a whole: a field that does not open (key forgotten or missing, envelope
 * corrupted, moved from another event) becomes {@link ENCRYPTED_PLACEHOLDER} and is named in
 * `unreadable`, and every other field and event still reads.
 */
import {
  associatedData,
  type ContentEnvelope,
  ENVELOPE_PREFIX,
  type ExecutionEvent,
  formatEnvelope,
  isEnvelope,
  type JsonValue,
  mapRawContent
} from "@cratos/domain"
import { counterNonce, openBytes, sealBytes, syntheticNonce } from "./ContentCipher.js"
import type { DataKey } from "./ContentKeys.js"

/** What a raw field that cannot be opened reads as. */
export const ENCRYPTED_PLACEHOLDER = "[encrypted]"

const KEY_ID = /^[A-Za-z0-9_-]+$/

/**
 * An envelope's key id and sealed part, checking the key id only: the sealed part is checked by
 * `openBytes` (its decoded length and the GCM tag), so a stored row is not scanned twice.
 */
const envelopeParts = (value: string): ContentEnvelope | undefined => {
  const colon = value.indexOf(":", ENVELOPE_PREFIX.length)
  if (colon <= ENVELOPE_PREFIX.length || colon === value.length - 1) return undefined
  const keyId = value.slice(ENVELOPE_PREFIX.length, colon)
  return KEY_ID.test(keyId) ? { keyId, sealed: value.slice(colon + 1) } : undefined
}

/** Why a field did not open. */
export type Unreadable = "no-key" | "corrupted"

export interface OpenedEvent {
  readonly event: ExecutionEvent
  /** The fields that did not open, with why (never their content). */
  readonly unreadable: ReadonlyArray<{ readonly path: string; readonly reason: Unreadable }>
}

/**
 * `event` with every raw field sealed under `key` (fields already sealed are kept). Each value gets
 * a fresh nonce (ContentCipher's counter); with `deterministic` one derived from the value and its
 * place, so an append retried with an idempotency key seals to the same bytes.
 */
export const sealEvent = (
  key: DataKey,
  executionId: string,
  event: ExecutionEvent,
  deterministic = false
): ExecutionEvent =>
  mapRawContent(event, (value, path) => {
    if (isEnvelope(value)) return value
    const plaintext = JSON.stringify(value)
    const aad = associatedData(executionId, event, path)
    const nonce = deterministic ? syntheticNonce(key.key, aad, plaintext) : counterNonce()
    return formatEnvelope({ keyId: key.keyId, sealed: sealBytes(key.key, plaintext, aad, nonce) })
  })

/** `event` with every envelope opened by the key `keyFor` gives; plaintext fields pass through. */
export const openEvent = (
  keyFor: (keyId: string) => DataKey | undefined,
  executionId: string,
  event: ExecutionEvent
): OpenedEvent => {
  const unreadable: Array<{ path: string; reason: Unreadable }> = []
  const opened = mapRawContent(event, (value, path): JsonValue => {
    if (!isEnvelope(value)) return value
    const envelope = envelopeParts(value)
    if (envelope === undefined) {
      unreadable.push({ path, reason: "corrupted" })
      return ENCRYPTED_PLACEHOLDER
    }
    const key = keyFor(envelope.keyId)
    if (key === undefined) {
      unreadable.push({ path, reason: "no-key" })
      return ENCRYPTED_PLACEHOLDER
    }
    const plain = openBytes(key.key, envelope.sealed, associatedData(executionId, event, path))
    if (plain === undefined) {
      unreadable.push({ path, reason: "corrupted" })
      return ENCRYPTED_PLACEHOLDER
    }
    try {
      return JSON.parse(plain.toString("utf8")) as JsonValue
    } catch {
      unreadable.push({ path, reason: "corrupted" })
      return ENCRYPTED_PLACEHOLDER
    }
  })
  return { event: opened, unreadable }
}

/** The key ids the envelopes of `event` name (to load them before a synchronous open). */
export const envelopeKeyIds = (event: ExecutionEvent): ReadonlyArray<string> => {
  const ids = new Set<string>()
  mapRawContent(event, (value) => {
    if (isEnvelope(value)) {
      const envelope = envelopeParts(value)
      if (envelope !== undefined) ids.add(envelope.keyId)
    }
    return value
  })
  return [...ids]
}
