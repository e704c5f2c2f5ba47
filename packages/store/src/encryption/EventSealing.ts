/**
 * Sealing and opening the raw content of one event (issue 14), given the keys. The field list is
 * the domain's (`mapRawContent`); this file adds the cipher. A sealed event is still a valid
 * event: every raw field becomes an envelope string, `cratos:enc:v2:…:<masked copy>` where the
 * event has no masked copy of the field, `cratos:enc:v1:…` for the tool input and output (whose
 * masked copies are `input_masked` and `output_masked`). Both versions open.
 *
 * Opening never fails as a whole: a field that does not open (key forgotten or missing, envelope
 * corrupted, moved from another event) becomes {@link ENCRYPTED_PLACEHOLDER} and is named in
 * `unreadable`, and every other field and event still reads.
 */
import {
  associatedData,
  associatedDataV2,
  ENCRYPTED_PLACEHOLDER,
  ENVELOPE_PREFIX,
  ENVELOPE_PREFIX_V2,
  type ExecutionEvent,
  isEnvelope,
  type JsonValue,
  mapRawContent,
  maskRawValue
} from "@cratos/domain"
import { counterNonce, openBytes, sealBytes, syntheticNonce } from "./ContentCipher.js"
import type { DataKey } from "./ContentKeys.js"

/** What a raw field that cannot be opened reads as. */
export { ENCRYPTED_PLACEHOLDER }

const KEY_ID = /^[A-Za-z0-9_-]+$/

/**
 * An envelope's key id, sealed part and (v2) masked copy, checking the key id only: the sealed
 * part is checked by `openBytes` (its decoded length and the GCM tag) and the masked copy by the
 * tag too (it is associated data), so a stored row is not scanned twice.
 */
const envelopeParts = (value: string): { keyId: string; sealed: string; masked?: string } | undefined => {
  const start = ENVELOPE_PREFIX.length
  const colon = value.indexOf(":", start)
  if (colon <= start || colon === value.length - 1) return undefined
  const keyId = value.slice(start, colon)
  if (!KEY_ID.test(keyId)) return undefined
  if (!value.startsWith(ENVELOPE_PREFIX_V2)) return { keyId, sealed: value.slice(colon + 1) }
  const second = value.indexOf(":", colon + 1)
  if (second < 0) return undefined
  return { keyId, sealed: value.slice(colon + 1, second), masked: value.slice(second + 1) }
}

/** Why a field did not open. */
export type Unreadable = "no-key" | "corrupted"

export interface OpenedEvent {
  readonly event: ExecutionEvent
  /** The fields that did not open, with why (never their content). */
  readonly unreadable: ReadonlyArray<{ readonly path: string; readonly reason: Unreadable }>
}

/**
 * `event` with every raw field sealed under `key` (fields already sealed are kept): a v1 envelope
 * where the event carries a masked copy of the field (the tool input and output), else a v2
 * envelope carrying the field's masked copy (`maskRawValue`; `maskedOf` may give it when the
 * caller has it already). Each value gets a fresh nonce (ContentCipher's counter); with
 * `deterministic` one derived from the value and its place, so an append retried with an
 * idempotency key seals to the same bytes.
 */
export const sealEvent = (
  key: DataKey,
  executionId: string,
  event: ExecutionEvent,
  deterministic = false,
  maskedOf?: (value: JsonValue, path: string) => JsonValue | undefined
): ExecutionEvent =>
  mapRawContent(event, (value, path, copied) => {
    if (isEnvelope(value)) return value
    const plaintext = JSON.stringify(value)
    if (copied) {
      const aad = associatedData(executionId, event, path)
      const nonce = deterministic ? syntheticNonce(key.key, aad, plaintext) : counterNonce()
      return `${ENVELOPE_PREFIX}${key.keyId}:${sealBytes(key.key, plaintext, aad, nonce)}`
    }
    const masked = JSON.stringify(maskedOf?.(value, path) ?? maskRawValue(value))
    const aad = associatedDataV2(executionId, event, path, masked)
    const nonce = deterministic ? syntheticNonce(key.key, aad, plaintext) : counterNonce()
    return `${ENVELOPE_PREFIX_V2}${key.keyId}:${sealBytes(key.key, plaintext, aad, nonce)}:${masked}`
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
    const aad =
      envelope.masked === undefined
        ? associatedData(executionId, event, path)
        : associatedDataV2(executionId, event, path, envelope.masked)
    const plain = openBytes(key.key, envelope.sealed, aad)
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
