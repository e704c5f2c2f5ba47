/**
 * Sealing and opening the raw content of one event (issue 14), given the keys. The field list is
 * the domain's (`mapRawContent`); this file adds the cipher. A sealed event is still a valid
 * event: every raw field becomes an envelope string `cratos:enc:v2:…:<masked copy>`, one AES-GCM
 * ciphertext per event (see the domain's ContentEnvelope); v1 envelopes (one per field, from
 * before v2) open as they did.
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
  isEnvelopeV2,
  type JsonValue,
  mapRawContent,
  maskRawValue,
  SEALED_WITH_EVENT
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

interface Field {
  readonly path: string
  readonly masked: string
}

/**
 * `event` with every raw field sealed under `key` (fields already sealed are kept): one v2
 * ciphertext of all of them, each field carrying its masked copy (`maskRawValue`; `maskedOf` may
 * give it when the caller has it already), or none where the event has one elsewhere (the tool
 * input and output). The ciphertext gets a fresh nonce (ContentCipher's counter); with
 * `deterministic` one derived from the values and their place, so an append retried with an
 * idempotency key seals to the same bytes. An event that holds v2 envelopes already (an
 * imported, hand-edited one) gets a v1 envelope per remaining plaintext field.
 */
export const sealEvent = (
  key: DataKey,
  executionId: string,
  event: ExecutionEvent,
  deterministic = false,
  maskedOf?: (value: JsonValue, path: string) => JsonValue | undefined
): ExecutionEvent => {
  const fields: Array<Field> = []
  let plaintext = "["
  let sealedV2 = false
  mapRawContent(event, (value, path, copied) => {
    if (isEnvelope(value)) {
      if (isEnvelopeV2(value)) sealedV2 = true
      return value
    }
    plaintext += `${fields.length === 0 ? "" : ","}${JSON.stringify(value)}`
    fields.push({ path, masked: copied ? "" : JSON.stringify(maskedOf?.(value, path) ?? maskRawValue(value)) })
    return value
  })
  if (fields.length === 0) return event
  if (sealedV2) return sealEachV1(key, executionId, event, deterministic)
  plaintext += "]"
  const aad = associatedDataV2(executionId, event, fields)
  const nonce = deterministic ? syntheticNonce(key.key, aad, plaintext) : counterNonce()
  const sealed = sealBytes(key.key, plaintext, aad, nonce)
  let i = 0
  return mapRawContent(event, (value) => {
    if (isEnvelope(value)) return value
    const out = `${ENVELOPE_PREFIX_V2}${key.keyId}:${i === 0 ? sealed : SEALED_WITH_EVENT}:${fields[i]!.masked}`
    i++
    return out
  })
}

/** Each plaintext raw field of `event` in a v1 envelope of its own. */
const sealEachV1 = (key: DataKey, executionId: string, event: ExecutionEvent, deterministic: boolean) =>
  mapRawContent(event, (value, path) => {
    if (isEnvelope(value)) return value
    const plaintext = JSON.stringify(value)
    const aad = associatedData(executionId, event, path)
    const nonce = deterministic ? syntheticNonce(key.key, aad, plaintext) : counterNonce()
    return `${ENVELOPE_PREFIX}${key.keyId}:${sealBytes(key.key, plaintext, aad, nonce)}`
  })

/** The JSON value of `plain`, or undefined when it is not JSON. */
const parsed = (plain: Buffer): { readonly value: JsonValue } | undefined => {
  try {
    return { value: JSON.parse(plain.toString("utf8")) as JsonValue }
  } catch {
    return undefined
  }
}

/**
 * The values of an event's v2 fields (`fields`, in order), opened with the one ciphertext among
 * them, or why they do not open: any malformed envelope, not exactly one ciphertext, two key ids,
 * a failed tag or a value count that differs makes all of them unreadable.
 */
const openV2 = (
  keyFor: (keyId: string) => DataKey | undefined,
  executionId: string,
  event: ExecutionEvent,
  fields: ReadonlyArray<(Field & { readonly keyId: string; readonly sealed: string }) | undefined>
): ReadonlyArray<JsonValue> | Unreadable => {
  let carrier: string | undefined
  const keyId = fields[0]?.keyId
  for (const f of fields) {
    if (f === undefined || f.keyId !== keyId) return "corrupted"
    if (f.sealed !== SEALED_WITH_EVENT) {
      if (carrier !== undefined) return "corrupted"
      carrier = f.sealed
    }
  }
  if (carrier === undefined || keyId === undefined) return "corrupted"
  const key = keyFor(keyId)
  if (key === undefined) return "no-key"
  const plain = openBytes(key.key, carrier, associatedDataV2(executionId, event, fields as ReadonlyArray<Field>))
  const values = plain === undefined ? undefined : parsed(plain)?.value
  return Array.isArray(values) && values.length === fields.length ? values : "corrupted"
}

/** `event` with every envelope opened by the key `keyFor` gives; plaintext fields pass through. */
export const openEvent = (
  keyFor: (keyId: string) => DataKey | undefined,
  executionId: string,
  event: ExecutionEvent
): OpenedEvent => {
  const unreadable: Array<{ path: string; reason: Unreadable }> = []
  // the v2 fields first: their one ciphertext opens them all
  let v2: Array<(Field & { readonly keyId: string; readonly sealed: string }) | undefined> | undefined
  mapRawContent(event, (value, path) => {
    if (isEnvelopeV2(value)) {
      const parts = envelopeParts(value)
      ;(v2 ??= []).push(
        parts?.masked === undefined
          ? undefined
          : { path, keyId: parts.keyId, sealed: parts.sealed, masked: parts.masked }
      )
    }
    return value
  })
  const values = v2 === undefined ? undefined : openV2(keyFor, executionId, event, v2)
  let k = 0
  const opened = mapRawContent(event, (value, path): JsonValue => {
    if (!isEnvelope(value)) return value
    if (values !== undefined && isEnvelopeV2(value)) {
      const i = k++
      if (typeof values !== "string") return values[i]!
      unreadable.push({ path, reason: values })
      return ENCRYPTED_PLACEHOLDER
    }
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
    const result = plain === undefined ? undefined : parsed(plain)
    if (result === undefined) {
      unreadable.push({ path, reason: "corrupted" })
      return ENCRYPTED_PLACEHOLDER
    }
    return result.value
  })
  return { event: opened, unreadable }
}
