/**
 * `name = value` / `name: value` / `"name": "value"` / `--name value` inside a string, where the
 * name announces a secret (see {@link isSecretName}): `--password=x`, `PGPASSWORD=x`,
 * `?api_key=x&…`, `export GITHUB_TOKEN=x`, `"client_secret": "x"`, `-H 'X-Api-Key: x'`,
 * `Authorization: Bearer x`, `Cookie: a=b; c=d`. The name and separator stay readable; the value
 * is masked.
 *
 * A regex finds name + separator (bounded, starting only at the beginning of a name); the value
 * is then read by hand, which is simpler to keep linear than a regex with quoting alternatives:
 * - quoted values (`"…"`, `'…'`, backquotes, and JSON-escaped `\"…\"`) run to the closing quote,
 *   or to the end of the line if it never comes (fail closed);
 * - unquoted values run to whitespace or `& , ; ) ] } < >` and quotes, except for
 *   `Authorization`/`Cookie`-like names, whose value runs to the end of the line (keeping a
 *   leading scheme word such as `Bearer` readable).
 * References, placeholders, literals and code (`$TOKEN`, `<password>`, `token: string`,
 * `token = getToken()`) are left alone (see placeholderValue.ts).
 */
import type { NameMatcher } from "./NameMatcher.js"
import { isCodeExpression, isPlaceholderValue } from "./placeholderValue.js"
import { isAuthorizationName, isSecretFlagWord, isWholeValueName } from "./secretName.js"
import { addSpan, type SpanSink } from "./SpanSink.js"

/** Name (group 1), its closing quote if any (2), spaces (3), separator (4), spaces (5). */
const NAME_SEPARATOR = /(?<![A-Za-z0-9_.\-])-{0,2}([A-Za-z_][A-Za-z0-9_.\-]{0,63})(\\?["'`]?)([ \t]{0,8})(=>|:=|[=:])([ \t]{0,8})/g

/** `--name ` followed by a value that is not another flag. */
const FLAG = /(?<![A-Za-z0-9_.\-])--([A-Za-z][A-Za-z0-9_.\-]{0,63})[ \t]{1,8}(?=[^\s-])/g

/** Authorization schemes kept readable in front of the masked credential. */
const SCHEMES: ReadonlySet<string> = new Set([
  "bearer", "basic", "token", "digest", "negotiate", "ntlm", "bot", "apikey", "api-key", "key", "ssws",
  "oauth", "jwt", "hmac", "aws4-hmac-sha256", "dpop", "mac", "hoba", "mutual", "vapid", "gnap"
])

const isQuote = (c: number): boolean => c === 34 || c === 39 || c === 96

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13

/** Ends an ordinary unquoted value. */
const endsToken = (c: number): boolean =>
  isSpace(c) || isQuote(c) || c === 92 || c === 38 || c === 44 || c === 59 || c === 41 || c === 93 ||
  c === 125 || c === 60 || c === 62

/** Ends an Authorization/Cookie value: end of line, a quote, an escape. */
const endsLine = (c: number): boolean => c === 10 || c === 13 || isQuote(c) || c === 92

/**
 * The end of the run starting at `from` that `ends` stops. Remembers the last run, so values
 * that start inside an already-scanned run (names nested in a skipped value) cost nothing more:
 * this keeps the whole pass linear.
 */
interface RunScanner {
  readonly end: (from: number) => number
}

const runScanner = (text: string, ends: (c: number) => boolean): RunScanner => {
  let scannedFrom = -1
  let scannedTo = -1
  return {
    end: (from) => {
      if (from >= scannedFrom && from <= scannedTo && scannedFrom >= 0) return scannedTo
      let i = from
      while (i < text.length && !ends(text.charCodeAt(i))) i++
      scannedFrom = from
      scannedTo = i
      return i
    }
  }
}

interface ValueRange {
  start: number
  end: number
  /** Where scanning may resume (past a closing quote). */
  next: number
  quoted: boolean
}

/** Reads a quoted value at `at` (opening quote possibly escaped), or returns undefined. */
const readQuoted = (text: string, at: number): ValueRange | undefined => {
  let c = text.charCodeAt(at)
  const escaped = c === 92 && isQuote(text.charCodeAt(at + 1))
  if (!escaped && !isQuote(c)) return undefined
  const quote = escaped ? text.charCodeAt(at + 1) : c
  const start = at + (escaped ? 2 : 1)
  let i = start
  while (i < text.length) {
    c = text.charCodeAt(i)
    if (c === 10 || c === 13) break
    if (c === 92) {
      if (escaped && text.charCodeAt(i + 1) === quote) break
      i += 2
      continue
    }
    if (!escaped && c === quote) break
    i++
  }
  const end = Math.min(i, text.length)
  return { start, end, next: end + (end < text.length ? (escaped ? 2 : 1) : 0), quoted: true }
}

/** Moves `start` past a known scheme word and its spaces, if more follows. */
const skipScheme = (text: string, start: number, end: number): number => {
  let i = start
  while (i < end && i - start <= 20 && !isSpace(text.charCodeAt(i))) i++
  if (i === start || i >= end || !SCHEMES.has(text.slice(start, i).toLowerCase())) return start
  let j = i
  while (j < end && isSpace(text.charCodeAt(j))) j++
  return j < end ? j : start
}

export const detectSensitiveAssignments = (text: string, sink: SpanSink, names: NameMatcher): void => {
  const tokenRuns = runScanner(text, endsToken)
  const lineRuns = runScanner(text, endsLine)
  NAME_SEPARATOR.lastIndex = 0
  for (let m = NAME_SEPARATOR.exec(text); m !== null; m = NAME_SEPARATOR.exec(text)) {
    const name = m[1]!
    if (!names.isSecret(name)) continue
    const separator = m[4]!
    const at = m.index + m[0].length
    // `token://…`, `Token::parse`: not an assignment.
    if (separator === ":" && (text.charCodeAt(at) === 58 || text.startsWith("//", at))) continue
    const whole = isWholeValueName(name)
    let range = readQuoted(text, at)
    if (range === undefined) {
      const end = (whole ? lineRuns : tokenRuns).end(at)
      range = { start: at, end, next: end, quoted: false }
    }
    const start = whole ? skipScheme(text, range.start, range.end) : range.start
    let end = range.end
    while (whole && end > start && isSpace(text.charCodeAt(end - 1))) end--
    const value = text.slice(start, end)
    const spaced = m[3]!.length > 0 || m[5]!.length > 0
    if (!range.quoted && (spaced || separator !== "=") && isCodeExpression(value)) {
      // Code such as `token = getToken(password="x")`: look again inside the call's arguments.
      const paren = value.indexOf("(")
      if (paren >= 0 && start + paren + 1 > NAME_SEPARATOR.lastIndex) NAME_SEPARATOR.lastIndex = start + paren + 1
      else if (paren < 0 && range.next > NAME_SEPARATOR.lastIndex) NAME_SEPARATOR.lastIndex = range.next
      continue
    }
    if (!isPlaceholderValue(value)) {
      addSpan(sink, text, start, end, isAuthorizationName(name) ? "authorization-header" : "sensitive-assignment")
    }
    if (range.next > NAME_SEPARATOR.lastIndex) NAME_SEPARATOR.lastIndex = range.next
  }
  detectSecretFlags(text, sink, names)
}

/** Whether a flag value is a path (`--private-key ./id_rsa`), which names a secret but is not one. */
const isPath = (value: string): boolean =>
  value.startsWith("/") || value.startsWith("./") || value.startsWith("../") || value.startsWith("~/")

/** `--password hunter2`, `--token "x"`: space-separated flags whose last word is the secret. */
const detectSecretFlags = (text: string, sink: SpanSink, names: NameMatcher): void => {
  if (!text.includes("--")) return
  FLAG.lastIndex = 0
  for (let m = FLAG.exec(text); m !== null; m = FLAG.exec(text)) {
    const name = m[1]!
    if (!names.isSecret(name) || !isSecretFlagWord(name)) continue
    const at = m.index + m[0].length
    let range = readQuoted(text, at)
    if (range === undefined) {
      let end = at
      while (end < text.length && !isSpace(text.charCodeAt(end)) && !isQuote(text.charCodeAt(end))) end++
      range = { start: at, end, next: end, quoted: false }
    }
    const value = text.slice(range.start, range.end)
    if (!isPlaceholderValue(value) && !isPath(value)) addSpan(sink, text, range.start, range.end, "sensitive-assignment")
    if (range.next > FLAG.lastIndex) FLAG.lastIndex = range.next
  }
}
