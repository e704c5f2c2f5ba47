/** Cutting text to a byte budget, on a character boundary, with a note saying so. */

export interface Truncated {
  readonly text: string
  readonly truncated: boolean
  /** Size of the whole text in UTF-8 bytes. */
  readonly totalBytes: number
}

/** The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes (never splits a character). */
export const prefixWithinBytes = (text: string, maxBytes: number): string => {
  const bytes = Buffer.from(text, "utf8")
  if (bytes.length <= maxBytes) return text
  let end = Math.max(0, maxBytes)
  // step back over continuation bytes (10xxxxxx) so the cut lands on a character start
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--
  return bytes.subarray(0, end).toString("utf8")
}

/** `text` cut to `maxBytes`, with a note at the end when something was left out. */
export const truncateText = (text: string, maxBytes: number): Truncated => {
  const totalBytes = Buffer.byteLength(text, "utf8")
  if (totalBytes <= maxBytes) return { text, truncated: false, totalBytes }
  const kept = prefixWithinBytes(text, maxBytes)
  return {
    text: `${kept}\n… [truncated: showing ${Buffer.byteLength(kept, "utf8")} of ${totalBytes} bytes]`,
    truncated: true,
    totalBytes
  }
}

/** `bytes` without a trailing, incomplete UTF-8 sequence (what a byte cap can leave). */
export const dropIncompleteUtf8 = (bytes: Uint8Array): Uint8Array => {
  const n = bytes.length
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!
    if ((b & 0xc0) === 0x80) continue // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return need > back ? bytes.subarray(0, n - back) : bytes
  }
  return bytes
}

/**
 * Text of bytes read up to a cap; `more` says the source had more than was read (then the cut
 * is moved to a character boundary and a note is added). `totalBytes`, when known, is the
 * source's full size.
 */
export const decodeCapped = (bytes: Uint8Array, more: boolean, totalBytes?: number): Truncated => {
  if (!more) return { text: Buffer.from(bytes).toString("utf8"), truncated: false, totalBytes: bytes.byteLength }
  const kept = dropIncompleteUtf8(bytes)
  const of =
    totalBytes === undefined ? `the first ${kept.byteLength} bytes` : `${kept.byteLength} of ${totalBytes} bytes`
  return {
    text: `${Buffer.from(kept).toString("utf8")}\n… [truncated: showing ${of}]`,
    truncated: true,
    totalBytes: totalBytes ?? kept.byteLength
  }
}
