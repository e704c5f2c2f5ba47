/**
 * The stored form of an encrypted raw field (issue 14): a string, so a sealed event is still a
 * valid serde event wherever the field is a string or a JSON value.
 *
 *   cratos:enc:v1:<key id>:<base64url(nonce 12 bytes | ciphertext | GCM tag 16 bytes)>
 *   cratos:enc:v2:<key id>:<base64url(nonce | ciphertext | tag) or =>:<masked>
 *
 * v2 seals all the raw fields of one event with one AES-GCM operation (a cipher set-up costs
 * more than the bytes it encrypts): the first v2 field holds the ciphertext of the JSON array of
 * every v2 field's value, in the order `mapRawContent` visits them, and each other v2 field `=`.
 * Every v2 field carries its masked copy in the clear, last because it may hold `:` (base64url
 * holds none): the JSON text of the masked value (`maskRawValue`), or nothing for a field the event
 * has a masked copy of elsewhere (the tool input and output: `input_masked`, `output_masked`).
 * The masked copies are what `show`, the API, the web UI and the projector read without a key.
 * They are associated data of the event's ciphertext with every field's path
 * (`associatedDataV2`), so a changed, moved or removed masked copy makes the event's fields fail
 * to open.
 *
 * v1 (one envelope per field, no masked copy) is what every value was sealed as before v2; it
 * stays readable, and is still written for a plaintext field of an event that already holds v2
 * envelopes (an import of a hand-edited event), since one event has one v2 ciphertext.
 *
 * The key id names the user's data key (ContentKeys in @cratos/store). Pure string handling; the
 * cryptography lives in the store, which may use `node:crypto`.
 */

export const ENVELOPE_PREFIX = "cratos:enc:v1:"
export const ENVELOPE_PREFIX_V2 = "cratos:enc:v2:"
/** What every envelope, of any version, starts with. */
export const ENVELOPE_MARK = "cratos:enc:"

/** What a raw field that cannot be opened, or has no readable masked copy, reads as. */
export const ENCRYPTED_PLACEHOLDER = "[encrypted]"

/** A v2 field whose value is in the ciphertext another v2 field of its event holds. */
export const SEALED_WITH_EVENT = "="

/** An envelope's parts. */
export interface ContentEnvelope {
  readonly keyId: string
  /** base64url of nonce | ciphertext | tag; v2 may say `=` (sealed with the event's other field). */
  readonly sealed: string
  /** v2: the JSON text of the masked value, or "" (a masked copy elsewhere); absent: v1. */
  readonly masked?: string
}

/** Whether a stored value is an envelope (anything else is plaintext from before encryption). */
export const isEnvelope = (value: unknown): value is string =>
  typeof value === "string" && (value.startsWith(ENVELOPE_PREFIX_V2) || value.startsWith(ENVELOPE_PREFIX))

/** Whether a stored value is a v2 envelope (one carrying its masked copy). */
export const isEnvelopeV2 = (value: unknown): value is string =>
  typeof value === "string" && value.startsWith(ENVELOPE_PREFIX_V2)

export const formatEnvelope = (envelope: ContentEnvelope): string =>
  envelope.masked === undefined
    ? `${ENVELOPE_PREFIX}${envelope.keyId}:${envelope.sealed}`
    : `${ENVELOPE_PREFIX_V2}${envelope.keyId}:${envelope.sealed}:${envelope.masked}`

const KEY_ID = /^[A-Za-z0-9_-]+$/
const SEALED = /^[A-Za-z0-9_-]+$/

/** The parts of an envelope string, or undefined when it is malformed. */
export const parseEnvelope = (value: string): ContentEnvelope | undefined => {
  const v2 = value.startsWith(ENVELOPE_PREFIX_V2)
  if (!v2 && !value.startsWith(ENVELOPE_PREFIX)) return undefined
  const start = ENVELOPE_PREFIX.length
  const colon = value.indexOf(":", start)
  if (colon <= start) return undefined
  const keyId = value.slice(start, colon)
  if (!KEY_ID.test(keyId)) return undefined
  if (!v2) {
    const sealed = value.slice(colon + 1)
    return SEALED.test(sealed) ? { keyId, sealed } : undefined
  }
  const second = value.indexOf(":", colon + 1)
  if (second < 0) return undefined
  const sealed = value.slice(colon + 1, second)
  return sealed === SEALED_WITH_EVENT || SEALED.test(sealed)
    ? { keyId, sealed, masked: value.slice(second + 1) }
    : undefined
}

/**
 * The masked part of a v2 envelope (its JSON text), found without checking the rest: undefined
 * for anything else. What the masked view reads in place of opening.
 */
export const maskedPartOf = (value: string): string | undefined => {
  if (!value.startsWith(ENVELOPE_PREFIX_V2)) return undefined
  const colon = value.indexOf(":", ENVELOPE_PREFIX_V2.length)
  if (colon < 0) return undefined
  const second = value.indexOf(":", colon + 1)
  return second < 0 ? undefined : value.slice(second + 1)
}
