/**
 * The stored form of an encrypted raw field (issue 14): a string, so a sealed event is still a
 * valid serde event wherever the field is a string or a JSON value.
 *
 *   cratos:enc:v1:<key id>:<base64url(nonce 12 bytes | ciphertext | GCM tag 16 bytes)>
 *   cratos:enc:v2:<key id>:<base64url(nonce | ciphertext | tag)>:<masked>
 *
 * v2 carries the field's masked copy in the clear after the ciphertext: `<masked>` is the JSON
 * text of the masked value (`maskRawValue`), last because it may hold `:` (base64url holds none).
 * It is what `show`, the API, the web UI and the projector read without any key, and it is bound
 * to the ciphertext as associated data (`associatedDataV2`), so a changed masked copy makes the
 * value fail to open. v1 (no masked copy) is what fields with a masked copy elsewhere in the event
 * (the tool input and output) are sealed as, and what every value was sealed as before v2; both
 * stay readable.
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

/** An envelope's parts. */
export interface ContentEnvelope {
  readonly keyId: string
  /** base64url of nonce | ciphertext | tag. */
  readonly sealed: string
  /** v2: the JSON text of the masked value; absent: a v1 envelope. */
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
  return SEALED.test(sealed) ? { keyId, sealed, masked: value.slice(second + 1) } : undefined
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
