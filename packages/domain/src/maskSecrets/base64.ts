/**
 * Just enough base64 to tell `Basic dXNlcjpwYXNz` (which decodes to `user:pass`) from the word
 * after "Basic" in prose. Hand-written because the domain package uses no host APIs.
 */

const value = (c: number): number =>
  c >= 65 && c <= 90
    ? c - 65
    : c >= 97 && c <= 122
      ? c - 71
      : c >= 48 && c <= 57
        ? c + 4
        : c === 43
          ? 62
          : c === 47
            ? 63
            : -1

/**
 * Whether `text` is standard base64 of printable ASCII `user:password` with a non-empty user
 * or password, i.e. HTTP Basic credentials. Only the first 3 KiB are decoded.
 */
export const isBasicCredentials = (text: string): boolean => {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--
  if (end % 4 === 1) return false
  const limit = Math.min(end, 4096)
  let bits = 0
  let buffer = 0
  let colon = -1
  let decoded = 0
  for (let i = 0; i < limit; i++) {
    const v = value(text.charCodeAt(i))
    if (v < 0) return false
    buffer = (buffer << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      const byte = (buffer >> bits) & 0xff
      if (byte < 32 || byte > 126) return false
      if (byte === 58 && colon < 0) colon = decoded
      decoded++
    }
  }
  return colon >= 0 && decoded > 1
}
