/**
 * The stored form of an encrypted raw field (issue 14): a string, so a sealed event is still a
 * valid serde event wherever the field is a string or a JSON value.
 *
 *   cratos:enc:v1:<key id>:<base64url(nonce 12 bytes | ciphertext | GCM tag 16 bytes)>
 *
 * The key id names the user's data key (ContentKeys in @cratos/store). Pure string handling; the
 * cryptography lives in the store, which may use `node:crypto`.
 */

export const ENVELOPE_PREFIX = "cratos:enc:v1:"

/** An envelope's parts. */
export interface ContentEnvelope {
  readonly keyId: string
  /** base64url of nonce | ciphertext | tag. */
  readonly sealed: string
}

/** Whether a stored value is an envelope (anything else is plaintext from before encryption). */
export const isEnvelope = (value: unknown): value is string =>
  typeof value === "string" && value.startsWith(ENVELOPE_PREFIX)

export const formatEnvelope = (envelope: ContentEnvelope): string =>
  `${ENVELOPE_PREFIX}${envelope.keyId}:${envelope.sealed}`

/** The parts of an envelope string, or undefined when it is malformed. */
export const parseEnvelope = (value: string): ContentEnvelope | undefined => {
  if (!value.startsWith(ENVELOPE_PREFIX)) return undefined
  const rest = value.slice(ENVELOPE_PREFIX.length)
  const colon = rest.indexOf(":")
  if (colon <= 0) return undefined
  const keyId = rest.slice(0, colon)
  const sealed = rest.slice(colon + 1)
  if (!/^[A-Za-z0-9_-]+$/.test(keyId) || !/^[A-Za-z0-9_-]+$/.test(sealed)) return undefined
  return { keyId, sealed }
}
