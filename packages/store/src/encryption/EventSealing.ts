/**
 * Sealing and opening the raw content of one event (issue 14), given the keys. The field list is
 * the domain's (`mapRawContent`); this file adds the cipher. A sealed event is still a valid
 * event: every raw field that masking changes becomes an envelope string
 * `cratos:enc:v3:…:<masked copy>`, with one AES-GCM ciphertext per event of what masking took out
 * (the domain's ContentPatch); a field masking leaves as it is stays as it is (see the domain's
 * ContentEnvelope). v2 envelopes (the whole values in the event's ciphertext) and v1 (one per
 * field), written before, open as they did.
 *
 * Opening never fails as a whole: a field that does not open (key forgotten or missing, envelope
 * corrupted, moved from another event) becomes {@link ENCRYPTED_PLACEHOLDER} and is named in
 * `unreadable`, and every other field and event still reads.
 */
import {
  applyPatch,
  associatedData,
  associatedDataV2,
  associatedDataV3,
  copiedMaskedOf,
  ENCRYPTED_PLACEHOLDER,
  ENVELOPE_PREFIX,
  ENVELOPE_PREFIX_V3,
  type ExecutionEvent,
  isEnvelope,
  isEventEnvelope,
  type JsonValue,
  mapRawContent,
  maskRawValue,
  patchOf,
  SEALED_WITH_EVENT
} from "@cratos/domain"
import { counterNonce, openBytes, sealBytes, syntheticNonce } from "./ContentCipher.js"
import type { DataKey } from "./WrappedKeys.js"

/** What a raw field that cannot be opened reads as. */
export { ENCRYPTED_PLACEHOLDER }

const KEY_ID = /^[A-Za-z0-9_-]+$/

interface EnvelopeParts {
  readonly version: 1 | 2 | 3
  readonly keyId: string
  readonly sealed: string
  /** v2, v3: the masked copy's JSON text ("" for one elsewhere in the event) */
  readonly masked?: string
}

/**
 * An envelope's version, key id, sealed part and (v2, v3) masked copy, checking the key id only:
 * the sealed part is checked by `openBytes` (its decoded length and the GCM tag) and the masked
 * copy by the tag too (it is associated data), so a stored row is not scanned twice.
 */
const envelopeParts = (value: string): EnvelopeParts | undefined => {
  const start = ENVELOPE_PREFIX.length
  const colon = value.indexOf(":", start)
  if (colon <= start || colon === value.length - 1) return undefined
  const keyId = value.slice(start, colon)
  if (!KEY_ID.test(keyId)) return undefined
  if (!isEventEnvelope(value)) return { version: 1, keyId, sealed: value.slice(colon + 1) }
  const second = value.indexOf(":", colon + 1)
  if (second < 0) return undefined
  const version = value.startsWith(ENVELOPE_PREFIX_V3) ? 3 : 2
  return { version, keyId, sealed: value.slice(colon + 1, second), masked: value.slice(second + 1) }
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

/** A v3 field to seal: the JSON text of the masked copy its patch applies to. */
interface SealedField {
  readonly path: string
  readonly masked: string
  /** The masked copy is the event's own (tool input and output): the envelope keeps none. */
  readonly copied: boolean
}

/**
 * `event` with every raw field that masking changes sealed under `key` (fields already sealed,
 * and fields masking leaves as they are, are kept): one v3 ciphertext of what masking took out
 * of each (`patchOf` the value and its masked copy), each field carrying its masked copy
 * (`maskRawValue`; `maskedOf` may give it when the caller has it already), or none where the
 * event has one elsewhere (the tool input and output, whose patch applies to that copy). The
 * ciphertext gets a fresh nonce (ContentCipher's counter); with `deterministic` one derived from
 * the values and their place, so an append retried with an idempotency key seals to the same
 * bytes. An event that holds v2 or v3 envelopes already (an imported, hand-edited one) gets a v1
 * envelope per remaining field that masking changes.
 */
export const sealEvent = (
  key: DataKey,
  executionId: string,
  event: ExecutionEvent,
  deterministic = false,
  maskedOf?: (value: JsonValue, path: string) => JsonValue | undefined
): ExecutionEvent => {
  const fields: Array<SealedField> = []
  let plaintext = "["
  let sealedBefore = false
  mapRawContent(event, (value, path, copied) => {
    if (isEnvelope(value)) {
      if (isEventEnvelope(value)) sealedBefore = true
      return value
    }
    const masked = copied ? (copiedMaskedOf(event, path) ?? null) : (maskedOf?.(value, path) ?? maskRawValue(value))
    const patch = patchOf(value, masked)
    if (patch === undefined) return value
    plaintext += `${fields.length === 0 ? "" : ","}${JSON.stringify(patch)}`
    fields.push({ path, masked: JSON.stringify(masked), copied })
    return value
  })
  if (fields.length === 0) return event
  if (sealedBefore) return sealEachV1(key, executionId, event, deterministic, new Set(fields.map((f) => f.path)))
  plaintext += "]"
  const aad = associatedDataV3(executionId, event, fields)
  const nonce = deterministic ? syntheticNonce(key.key, aad, plaintext) : counterNonce()
  const sealed = sealBytes(key.key, plaintext, aad, nonce)
  let i = 0
  return mapRawContent(event, (value, path) => {
    const field = fields[i]
    if (field === undefined || field.path !== path) return value
    i++
    return `${ENVELOPE_PREFIX_V3}${key.keyId}:${i === 1 ? sealed : SEALED_WITH_EVENT}:${field.copied ? "" : field.masked}`
  })
}

/** Each raw field of `event` named in `paths` in a v1 envelope of its own. */
const sealEachV1 = (
  key: DataKey,
  executionId: string,
  event: ExecutionEvent,
  deterministic: boolean,
  paths: ReadonlySet<string>
) =>
  mapRawContent(event, (value, path) => {
    if (!paths.has(path)) return value
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

type EventField = Field & { readonly keyId: string; readonly sealed: string; readonly version: 2 | 3 }

/** A masked copy's JSON text parsed, or undefined when it is not JSON. */
const parsedText = (text: string): { readonly value: JsonValue } | undefined => {
  try {
    return { value: JSON.parse(text) as JsonValue }
  } catch {
    return undefined
  }
}

/**
 * The values of an event's v2 or v3 fields (`fields`, in order), opened with the one ciphertext
 * among them, or why they do not open: any malformed envelope, not exactly one ciphertext, two key
 * ids or versions, a failed tag, a value count that differs or (v3) a patch that does not fit its
 * masked copy makes all of them unreadable.
 */
const openEventFields = (
  keyFor: (keyId: string) => DataKey | undefined,
  executionId: string,
  event: ExecutionEvent,
  fields: ReadonlyArray<(EventField & { readonly copied: boolean }) | undefined>
): ReadonlyArray<JsonValue> | Unreadable => {
  let carrier: string | undefined
  const first = fields[0]
  for (const f of fields) {
    if (f === undefined || f.keyId !== first!.keyId || f.version !== first!.version) return "corrupted"
    if (f.sealed !== SEALED_WITH_EVENT) {
      if (carrier !== undefined) return "corrupted"
      carrier = f.sealed
    }
  }
  if (carrier === undefined || first === undefined) return "corrupted"
  const key = keyFor(first.keyId)
  if (key === undefined) return "no-key"
  const ok = fields as ReadonlyArray<EventField & { readonly copied: boolean }>
  if (first.version === 2) {
    const plain = openBytes(key.key, carrier, associatedDataV2(executionId, event, ok))
    const values = plain === undefined ? undefined : parsed(plain)?.value
    return Array.isArray(values) && values.length === fields.length ? values : "corrupted"
  }
  // v3: each patch applies to the field's masked copy, the envelope's or the event's own
  const masked: Array<JsonValue> = []
  const bound: Array<Field> = []
  for (const f of ok) {
    if (f.copied) {
      if (f.masked !== "") return "corrupted"
      const copy = copiedMaskedOf(event, f.path) ?? null
      masked.push(copy)
      bound.push({ path: f.path, masked: JSON.stringify(copy) })
    } else {
      const copy = parsedText(f.masked)
      if (copy === undefined) return "corrupted"
      masked.push(copy.value)
      bound.push(f)
    }
  }
  const plain = openBytes(key.key, carrier, associatedDataV3(executionId, event, bound))
  const patches = plain === undefined ? undefined : parsed(plain)?.value
  if (!Array.isArray(patches) || patches.length !== fields.length) return "corrupted"
  const values: Array<JsonValue> = []
  for (let i = 0; i < patches.length; i++) {
    const value = applyPatch(masked[i]!, patches[i])
    if (value === undefined) return "corrupted"
    values.push(value)
  }
  return values
}

const NOTHING_UNREADABLE: OpenedEvent["unreadable"] = Object.freeze([])

/** `event` with every envelope opened by the key `keyFor` gives; plaintext fields pass through. */
export const openEvent = (
  keyFor: (keyId: string) => DataKey | undefined,
  executionId: string,
  event: ExecutionEvent
): OpenedEvent => {
  // the v2 or v3 fields first: their one ciphertext opens them all
  let eventFields: Array<(EventField & { readonly copied: boolean }) | undefined> | undefined
  let sealed = false
  mapRawContent(event, (value, path, copied) => {
    if (!isEnvelope(value)) return value
    sealed = true
    if (isEventEnvelope(value)) {
      const parts = envelopeParts(value)
      ;(eventFields ??= []).push(
        parts?.masked === undefined || parts.version === 1
          ? undefined
          : { path, keyId: parts.keyId, sealed: parts.sealed, masked: parts.masked, version: parts.version, copied }
      )
    }
    return value
  })
  // a row masking left as it is (or from before encryption) has nothing to open
  if (!sealed) return { event, unreadable: NOTHING_UNREADABLE }
  const unreadable: Array<{ path: string; reason: Unreadable }> = []
  const values = eventFields === undefined ? undefined : openEventFields(keyFor, executionId, event, eventFields)
  let k = 0
  const opened = mapRawContent(event, (value, path): JsonValue => {
    if (!isEnvelope(value)) return value
    if (values !== undefined && isEventEnvelope(value)) {
      const i = k++
      if (typeof values !== "string") return values[i]!
      unreadable.push({ path, reason: values })
      return ENCRYPTED_PLACEHOLDER
    }
    const envelope = envelopeParts(value)
    if (envelope === undefined || envelope.version !== 1) {
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
