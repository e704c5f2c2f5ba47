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
export const syntheticNonce = (key: Buffer, aad: string, plaintext: Buffer | string): Buffer =>
  crypto
    .createHmac("sha256", keyObject(key))
    .update(aad, "utf8")
    .update(ZERO)
    .update(plaintext)
    .digest()
    .subarray(0, NONCE)

/**
 * `plaintext` sealed: base64url of nonce | ciphertext | tag; the nonce random unless given. The
 * plaintext may be a string (its UTF-8 bytes are sealed, without an intermediate buffer).
 */
export const sealBytes = (
  key: Buffer,
  plaintext: Buffer | string,
  aad: string,
  nonce: Buffer = crypto.randomBytes(NONCE)
): string => {
  const cipher = crypto.createCipheriv("aes-256-gcm", keyObject(key), nonce)
  cipher.setAAD(Buffer.from(aad, "utf8"))
  // GCM is a stream mode: update gives every ciphertext byte and final none, so the envelope's
  // bytes are written once into one buffer instead of concatenated twice
  const body = typeof plaintext === "string" ? cipher.update(plaintext, "utf8") : cipher.update(plaintext)
  const rest = cipher.final()
  const out = Buffer.allocUnsafe(NONCE + body.length + rest.length + TAG)
  nonce.copy(out, 0)
  body.copy(out, NONCE)
  rest.copy(out, NONCE + body.length)
  cipher.getAuthTag().copy(out, NONCE + body.length + rest.length)
  return out.toString("base64url")
}

/** How many bytes `chars` characters of unpadded base64url decode to (undefined: no valid length). */
const decodedLength = (chars: number): number | undefined => (chars % 4 === 1 ? undefined : Math.floor((chars * 3) / 4))

/**
 * The plaintext, or undefined when the key, the associated data or the bytes are wrong. A
 * character outside base64url (which the decoder would skip) makes the decoded length fall short
 * and the envelope corrupted, without a pattern scan of the whole string.
 */
export const openBytes = (key: Buffer, sealed: string, aad: string): Buffer | undefined => {
  const bytes = Buffer.from(sealed, "base64url")
  if (bytes.length < NONCE + TAG || bytes.length !== decodedLength(sealed.length)) return undefined
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", keyObject(key), bytes.subarray(0, NONCE))
    decipher.setAAD(Buffer.from(aad, "utf8"))
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG))
    const body = decipher.update(bytes.subarray(NONCE, bytes.length - TAG))
    const rest = decipher.final()
    return rest.length === 0 ? body : Buffer.concat([body, rest])
  } catch {
    return undefined
  }
}

/** A new random 256-bit key. */
export const newKey = (): Buffer => crypto.randomBytes(32)

/** A key's public id: the first 8 bytes of its SHA-256, hex (never the key). */
export const keyFingerprint = (key: Buffer): string =>
  crypto.createHash("sha256").update(key).digest("hex").slice(0, 16)
