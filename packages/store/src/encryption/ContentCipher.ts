/**
 * AES-256-GCM with `node:crypto` (issue 14): a fresh 12-byte nonce per value, a 16-byte
 * tag, associated data binding the value to its place. Used for raw content (sealed by a user's
 * data key) and for data keys (wrapped by the master key).
 */
import * as crypto from "node:crypto"

const NONCE = 12
const ZERO = Buffer.of(0)
const TAG = 16

/** Each key's OpenSSL key object, made once (a cipher built from one is a third cheaper). */
const keyObjects = new WeakMap<Buffer, crypto.KeyObject>()
const keyObject = (key: Buffer): crypto.KeyObject => {
  let k = keyObjects.get(key)
  if (k === undefined) {
    k = crypto.createSecretKey(key)
    keyObjects.set(key, k)
  }
  return k
}

/**
 * A fresh nonce, cheaply: 8 random bytes drawn once per process (new ones every 2^32 nonces)
 * and a 4-byte counter, NIST SP 800-38D's deterministic construction with a random fixed field.
 * Two processes sealing under the same key collide only if their 64-bit prefixes do.
 */
let prefix = crypto.randomBytes(8)
let counter = 0
export const counterNonce = (): Buffer => {
  if (counter === 0xffffffff) {
    prefix = crypto.randomBytes(8)
    counter = 0
  }
  const nonce = Buffer.allocUnsafe(NONCE)
  prefix.copy(nonce, 0)
  nonce.writeUInt32BE(counter++, 8)
  return nonce
}

/**
 * A nonce derived from the key, the associated data and the plaintext (HMAC-SHA256, as in SIV
 * modes): every distinct value at every place gets its own, and the same value sealed again at the
 * same place gives the same envelope, so an append retried with an idempotency key matches its
 * first attempt. It reveals only that two envelopes of one field of one event hold the same value.
 */
export const syntheticNonce = (key: Buffer, aad: string, plaintext: Buffer): Buffer =>
  crypto
    .createHmac("sha256", keyObject(key))
    .update(aad, "utf8")
    .update(ZERO)
    .update(plaintext)
    .digest()
    .subarray(0, NONCE)

/** `plaintext` sealed: base64url of nonce | ciphertext | tag; the nonce random unless given. */
export const sealBytes = (
  key: Buffer,
  plaintext: Buffer,
  aad: string,
  nonce: Buffer = crypto.randomBytes(NONCE)
): string => {
  const cipher = crypto.createCipheriv("aes-256-gcm", keyObject(key), nonce)
  cipher.setAAD(Buffer.from(aad, "utf8"))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url")
}

/** The plaintext, or undefined when the key, the associated data or the bytes are wrong. */
export const openBytes = (key: Buffer, sealed: string, aad: string): Buffer | undefined => {
  const bytes = Buffer.from(sealed, "base64url")
  if (bytes.length < NONCE + TAG) return undefined
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", keyObject(key), bytes.subarray(0, NONCE))
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
