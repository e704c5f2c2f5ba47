/**
 * AES-256-GCM with `node:crypto` (issue 14): a fresh 12-byte random nonce per value, a 16-byte
 * tag, associated data binding the value to its place. Used for raw content (sealed by a user's
 * data key) and for data keys (wrapped by the master key).
 */
import * as crypto from "node:crypto"

const NONCE = 12
const TAG = 16

/**
 * `plaintext` sealed: base64url of nonce | ciphertext | tag. The nonce is random, or with
 * `synthetic` derived from the key, the associated data and the plaintext (HMAC-SHA256, as in
 * SIV modes): every distinct value at every place gets its own nonce, and the same value sealed
 * again at the same place gives the same envelope, so a retried append with an idempotency key
 * matches its first attempt. What it reveals is only that two envelopes of one field of one event
 * hold the same value.
 */
export const sealBytes = (key: Buffer, plaintext: Buffer, aad: string, synthetic = false): string => {
  const nonce = synthetic
    ? crypto
        .createHmac("sha256", key)
        .update(aad, "utf8")
        .update(Buffer.of(0))
        .update(plaintext)
        .digest()
        .subarray(0, NONCE)
    : crypto.randomBytes(NONCE)
  const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce)
  cipher.setAAD(Buffer.from(aad, "utf8"))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url")
}

/** The plaintext, or undefined when the key, the associated data or the bytes are wrong. */
export const openBytes = (key: Buffer, sealed: string, aad: string): Buffer | undefined => {
  const bytes = Buffer.from(sealed, "base64url")
  if (bytes.length < NONCE + TAG) return undefined
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, bytes.subarray(0, NONCE))
    decipher.setAAD(Buffer.from(aad, "utf8"))
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG))
    return Buffer.concat([decipher.update(bytes.subarray(NONCE, bytes.length - TAG)), decipher.final()])
  } catch {
    return undefined
  }
}

/** A new random 256-bit key. */
export const newKey = (): Buffer => crypto.randomBytes(32)

/** A key's public id: the first 8 bytes of its SHA-256, hex (never the key). */
export const keyFingerprint = (key: Buffer): string =>
  crypto.createHash("sha256").update(key).digest("hex").slice(0, 16)
