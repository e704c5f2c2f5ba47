/**
 * The stored form of an encrypted raw field (issue 14): a string, so a sealed event is still a
 * valid serde event wherever the field is a string or a JSON value.
 *
 *   cratos:enc:v1:<key id>:<base64url(nonce 12 bytes | ciphertext | GCM tag 16 bytes)>
 *   cratos:enc:v2:<key id>:<base64url(nonce | ciphertext | tag) or =>:<masked>
 *   cratos:enc:v3:<key id>:<base64url(nonce | ciphertext | tag) or =>:<masked>
 *
 * v3 (what is written) seals what masking took out of an event, with one AES-GCM operation per
 * event (a cipher set-up costs more than the bytes it encrypts). Each raw field whose masked copy
 * differs from it is a v3 envelope; the first holds the ciphertext of the JSON array of every v3
 * field's patch (ContentPatch: how to get the value back from its masked copy), in the order
 * `mapRawContent` visits them, and each other v3 field `=`. A raw field whose masked copy equals
 * it stays as it is, in the clear: its masked copy, which every envelope keeps readable without a
 * key, would be the same text, so a ciphertext of it would hide nothing (and a forgotten user's
 * masked copies remain, by design). So a stored row is about the size of a plaintext one.
 *
 * Every v2 and v3 field carries its masked copy in the clear, last because it may hold `:`
 * (base64url holds none): the JSON text of the masked value (`maskRawValue`), or nothing for a
 * field the event has a masked copy of elsewhere (the tool input and output: `input_masked`,
 * `output_masked`). The masked copies are what `show`, the API, the web UI and the projector read
 * without a key. They are associated data of the event's ciphertext with every field's path
 * (`associatedDataV2`, `associatedDataV3`, which also binds the event's own copies a v3 patch
 * applies to), so a changed, moved or removed masked copy makes the event's fields fail to open.
 *
 * v2 (the ciphertext holds the fields' whole values) and v1 (one envelope per field, no masked
 * copy) are what values were sealed as before; they stay readable. v1 is still written for a field
 * masking changes in an event that already holds v2 or v3 envelopes (an import of a hand-edited
 * event), since one event has one ciphertext.
 *
 * The key id names the user's data key (ContentKeys in @cratos/store). Pure string handling; the
 * cryptography lives in the store, which may use `node:crypto`.
 */

export const ENVELOPE_PREFIX = "cratos:enc:v1:"
export const ENVELOPE_PREFIX_V2 = "cratos:enc:v2:"
export const ENVELOPE_PREFIX_V3 = "cratos:enc:v3:"
/** What every envelope, of any version, starts with. */
export const ENVELOPE_MARK = "cratos:enc:"

/** What a raw field that cannot be opened, or has no readable masked copy, reads as. */
export const ENCRYPTED_PLACEHOLDER = "[encrypted]"

/** A v2 or v3 field whose value is in the ciphertext another field of its event holds. */
export const SEALED_WITH_EVENT = "="

/** An envelope's parts. */
export type ContentEnvelope =
  | { readonly version: 1; readonly keyId: string; readonly sealed: string }
  | {
      readonly version: 2 | 3
      readonly keyId: string
      /** base64url of nonce | ciphertext | tag, or `=` (sealed with the event's other field). */
      readonly sealed: string
      /** The JSON text of the masked value, or "" (a masked copy elsewhere in the event). */
      readonly masked: string
    }

/** Whether a stored value is an envelope (anything else is plaintext: never sealed, or nothing to hide). */
export const isEnvelope = (value: unknown): value is string =>
  typeof value === "string" &&
  value.startsWith(ENVELOPE_MARK) &&
  (value.startsWith(ENVELOPE_PREFIX_V3) || value.startsWith(ENVELOPE_PREFIX_V2) || value.startsWith(ENVELOPE_PREFIX))

/** Whether a stored value is a v2 or v3 envelope: one ciphertext per event, a masked copy per field. */
export const isEventEnvelope = (value: string): boolean =>
  value.startsWith(ENVELOPE_PREFIX_V3) || value.startsWith(ENVELOPE_PREFIX_V2)

const PREFIXES = { 1: ENVELOPE_PREFIX, 2: ENVELOPE_PREFIX_V2, 3: ENVELOPE_PREFIX_V3 } as const

export const formatEnvelope = (envelope: ContentEnvelope): string =>
  envelope.version === 1
    ? `${ENVELOPE_PREFIX}${envelope.keyId}:${envelope.sealed}`
    : `${PREFIXES[envelope.version]}${envelope.keyId}:${envelope.sealed}:${envelope.masked}`

const KEY_ID = /^[A-Za-z0-9_-]+$/
const SEALED = /^[A-Za-z0-9_-]+$/

/** The parts of an envelope string, or undefined when it is malformed. */
export const parseEnvelope = (value: string): ContentEnvelope | undefined => {
  const version = value.startsWith(ENVELOPE_PREFIX_V3) ? 3 : value.startsWith(ENVELOPE_PREFIX_V2) ? 2 : 1
  if (version === 1 && !value.startsWith(ENVELOPE_PREFIX)) return undefined
  const start = ENVELOPE_PREFIX.length
  const colon = value.indexOf(":", start)
  if (colon <= start) return undefined
  const keyId = value.slice(start, colon)
  if (!KEY_ID.test(keyId)) return undefined
  if (version === 1) {
    const sealed = value.slice(colon + 1)
    return SEALED.test(sealed) ? { version, keyId, sealed } : undefined
  }
  const second = value.indexOf(":", colon + 1)
  if (second < 0) return undefined
  const sealed = value.slice(colon + 1, second)
  return sealed === SEALED_WITH_EVENT || SEALED.test(sealed)
    ? { version, keyId, sealed, masked: value.slice(second + 1) }
    : undefined
}

/**
 * The masked part of a v2 or v3 envelope (its JSON text), found without checking the rest:
 * undefined for anything else. What the masked view reads in place of opening.
 */
export const maskedPartOf = (value: string): string | undefined => {
  if (!isEventEnvelope(value)) return undefined
  const colon = value.indexOf(":", ENVELOPE_PREFIX_V2.length)
  if (colon < 0) return undefined
  const second = value.indexOf(":", colon + 1)
  return second < 0 ? undefined : value.slice(second + 1)
}
