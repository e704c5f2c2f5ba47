/**
 * PEM private key blocks (`-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`).
 * The BEGIN/END lines stay readable so a reader sees a key was there; the body is masked.
 *
 * Scanned by hand rather than with one regex so a block with `-` in its headers
 * (`DEK-Info: AES-128-CBC,…`) is masked up to its END line, and a truncated block (no END)
 * is masked to the end of its base64 run: fail closed. Linear: each END search starts past the
 * previous block, and once a search finds no END none is attempted again.
 */
import { addSpan, type SpanSink } from "./SpanSink.js"

const BEGIN = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----/g

/** Characters a truncated body may run over: base64, whitespace, escaped newlines, header punctuation. */
const isBodyChar = (c: number): boolean =>
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  (c >= 48 && c <= 57) ||
  c === 43 || c === 47 || c === 61 || c === 92 || c === 58 || c === 44 || c === 45 ||
  c === 32 || c === 9 || c === 10 || c === 13

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13

export const detectPemPrivateKeys = (text: string, sink: SpanSink): void => {
  if (!text.includes("-----BEGIN ")) return
  BEGIN.lastIndex = 0
  let endSearchExhausted = false
  for (let m = BEGIN.exec(text); m !== null; m = BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length
    let bodyEnd = endSearchExhausted ? -1 : text.indexOf("-----END", bodyStart)
    if (bodyEnd < 0) {
      endSearchExhausted = true
      bodyEnd = bodyStart
      while (bodyEnd < text.length && isBodyChar(text.charCodeAt(bodyEnd))) bodyEnd++
    }
    let start = bodyStart
    let end = bodyEnd
    while (start < end && isSpace(text.charCodeAt(start))) start++
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--
    addSpan(sink, text, start, end, "pem-private-key")
    if (bodyEnd > BEGIN.lastIndex) BEGIN.lastIndex = bodyEnd
  }
}
