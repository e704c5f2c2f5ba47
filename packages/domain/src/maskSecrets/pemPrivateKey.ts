/**
 * PEM private key blocks (`-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`).
 * The BEGIN/END lines stay readable so a reader sees a key was there; the body is masked.
 *
 * Scanned by hand rather than with one regex so a block with `-` in its headers
 * (`DEK-Info: AES-128-CBC,…`) is masked up to its END line, and a truncated block (no END)
 * is masked through its last base64 line and ends at the first line that is not base64 (issue 14:
 * it used to run on over `export PGPASSWORD=` and hide readable context, and a second pass then
 * masked more: not idempotent). Linear: each END search starts past the previous block, and once
 * a search finds no END none is attempted again.
 */
import { addSpan, type SpanSink } from "./SpanSink.js"

const BEGIN = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----/g

/** The shortest body masked when the block has an END line (a 256-bit EC key's body is ~160). */
const MIN_BODY = 32

const isBase64Char = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13

/** An RFC 1421 header line of an encrypted key (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: AES-128-CBC,…`). */
const HEADER_LINE = /^[A-Za-z][A-Za-z-]{0,30}: [A-Za-z0-9,-]{1,200}$/

const isEscapedNewline = (text: string, at: number): boolean =>
  text.charCodeAt(at) === 92 && (text.charCodeAt(at + 1) === 110 || text.charCodeAt(at + 1) === 114)

/** Whether a line ends at `at`: a newline, or an escaped one (`\n`, `\r` in JSON text). */
const isLineBreak = (text: string, at: number): boolean => text.charCodeAt(at) === 10 || isEscapedNewline(text, at)

/** Where the next line starts after the line break at `at`. */
const afterBreak = (text: string, at: number): number => (text.charCodeAt(at) === 92 ? at + 2 : at + 1)

/** The longest header line looked at (a header is short; bounding it keeps the scan linear). */
const MAX_HEADER = 240

/** The end of the header line starting at `from`, or -1 when that line is not a header. */
const headerEnd = (text: string, from: number): number => {
  let to = from
  while (to < text.length && to - from <= MAX_HEADER && !isLineBreak(text, to)) to++
  if (to - from > MAX_HEADER) return -1
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--
  return HEADER_LINE.test(text.slice(from, to)) ? to : -1
}

/**
 * The end of a block that has no END line: the end of its last line of base64 (base64
 * characters, optionally in space-separated chunks of at least 16, as when a key's newlines were
 * turned into spaces), where encryption headers and blank lines may come before the first. The
 * first line that is none of these ends the block (taking its leading base64 run with it when
 * that is long enough to be key material: `…Zexport X=1`), so what follows a truncated key
 * stays readable, and masking the output again finds an empty body (`***MASKED***` is not
 * base64): idempotent. One forward pass: every character is looked at once.
 */
const unterminatedBodyEnd = (text: string, bodyStart: number): number => {
  let end = bodyStart
  let sawBase64 = false
  let i = bodyStart
  while (i < text.length) {
    while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++
    const from = i
    let chunk = 0
    let base64Line = true
    for (; i < text.length && !isLineBreak(text, i); i++) {
      const c = text.charCodeAt(i)
      if (isBase64Char(c)) chunk++
      else if (c === 32 || c === 9 || c === 13) {
        if (chunk > 0 && chunk < 16) {
          base64Line = false
          break
        }
        chunk = 0
      } else {
        base64Line = false
        break
      }
    }
    if (base64Line) {
      let to = i
      while (to > from && isSpace(text.charCodeAt(to - 1))) to--
      if (to > from) {
        sawBase64 = true
        end = to
      }
    } else {
      const header = sawBase64 ? -1 : headerEnd(text, from)
      if (header < 0) {
        let run = from
        while (run < text.length && isBase64Char(text.charCodeAt(run))) run++
        if (sawBase64 && run - from >= 16) end = run
        return end
      }
      end = header
      i = header
      while (i < text.length && !isLineBreak(text, i)) i++
    }
    if (i >= text.length) break
    i = afterBreak(text, i)
  }
  return end
}

export const detectPemPrivateKeys = (text: string, sink: SpanSink): void => {
  if (!text.includes("-----BEGIN ")) return
  BEGIN.lastIndex = 0
  let endSearchExhausted = false
  for (let m = BEGIN.exec(text); m !== null; m = BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length
    let bodyEnd = endSearchExhausted ? -1 : text.indexOf("-----END", bodyStart)
    if (bodyEnd < 0) {
      endSearchExhausted = true
      bodyEnd = unterminatedBodyEnd(text, bodyStart)
    }
    let start = bodyStart
    let end = bodyEnd
    while (start < end && (isSpace(text.charCodeAt(start)) || isEscapedNewline(text, start))) {
      start += text.charCodeAt(start) === 92 ? 2 : 1
    }
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--
    // A body shorter than any key (`-----BEGIN PRIVATE KEY-----\nanything\n-----END…`) is an example.
    if (end - start >= MIN_BODY || bodyEnd === text.length) addSpan(sink, text, start, end, "pem-private-key")
    if (bodyEnd > BEGIN.lastIndex) BEGIN.lastIndex = bodyEnd
  }
}
