/**
 * `name = value` / `name: value` / `"name": "value"` / `--name value` inside a string, where the
 * name announces a secret (see {@link isSecretName}): `--password=x`, `PGPASSWORD=x`,
 * `?api_key=x&…`, `export GITHUB_TOKEN=x`, `"client_secret": "x"`, `-H 'X-Api-Key: x'`,
 * `Authorization: Bearer x`, `Cookie: a=b; c=d`. The name and separator stay readable; the value
 * is masked.
 *
 * Each `=`/`:` is found by a plain scan and the name is read backwards from it (see
 * `nameBefore`); names are classified once per distinct name (NameMatcher). The value is then
 * read by hand, which is simpler to keep linear than a regex with quoting alternatives:
 * - quoted values (`"…"`, `'…'`, backquotes, and JSON-escaped `\"…\"`) run to the closing quote,
 *   or to the end of the line if it never comes (fail closed);
 * - unquoted values run to whitespace or `& , ; ) ] } < >` and quotes, except for
 *   `Authorization`/`Cookie`-like names, whose value runs to the end of the line (keeping a
 *   leading scheme word such as `Bearer` readable).
 * References, placeholders, literals and code (`$TOKEN`, `<password>`, `token: string`,
 * `token = getToken()`) are left alone (see placeholderValue.ts).
 */
import { AUTHORIZATION, FLAG_VALUE, WHOLE_VALUE, type NameMatcher } from "./NameMatcher.js"
import { isCodeExpression, isPlaceholderValue } from "./placeholderValue.js"
import { apartFromMasked } from "./placeholders.js"
import { addSpan, type SpanSink } from "./SpanSink.js"

/** Longest name considered (with up to two leading dashes). */
const MAX_NAME = 128
/** Spaces allowed around a separator. */
const MAX_SPACES = 8

/** `--name ` followed by a value that is not another flag. */
const FLAG = apartFromMasked(/(?<![A-Za-z0-9_.-])--?([A-Za-z][A-Za-z0-9_.-]{0,63})[ \t]{1,8}(?=[^\s-])/g, false)

/** Authorization schemes kept readable in front of the masked credential. */
const SCHEMES: ReadonlySet<string> = new Set([
  "bearer",
  "basic",
  "token",
  "digest",
  "negotiate",
  "ntlm",
  "bot",
  "apikey",
  "api-key",
  "key",
  "ssws",
  "oauth",
  "jwt",
  "hmac",
  "aws4-hmac-sha256",
  "dpop",
  "mac",
  "hoba",
  "mutual",
  "vapid",
  "gnap"
])

const isQuote = (c: number): boolean => c === 34 || c === 39 || c === 96

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13

/** Ends an ordinary unquoted value. */
const endsToken = (c: number): boolean =>
  isSpace(c) ||
  isQuote(c) ||
  c === 92 ||
  c === 38 ||
  c === 44 ||
  c === 59 ||
  c === 41 ||
  c === 93 ||
  c === 125 ||
  c === 60 ||
  c === 62

/** Ends an Authorization/Cookie value: end of line, a quote, an escape. */
const endsLine = (c: number): boolean => c === 10 || c === 13 || isQuote(c) || c === 92

/**
 * The end of the run starting at `from` that `ends` stops. `memo` remembers the last run, so
 * values that start inside an already-scanned run (names nested in a skipped value) cost
 * nothing more: this keeps the whole pass linear. (A plain record, not a closure: this runs
 * for every string with a separator.)
 */
interface RunMemo {
  from: number
  to: number
}

const runEnd = (text: string, memo: RunMemo, from: number, ends: (c: number) => boolean): number => {
  if (memo.from >= 0 && from >= memo.from && from <= memo.to) return memo.to
  let i = from
  while (i < text.length && !ends(text.charCodeAt(i))) i++
  memo.from = from
  memo.to = i
  return i
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

const isNameChar = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95

/**
 * Whether an unquoted value after `name: ` or `name = ` reads as code rather than a literal:
 * a call or member chain (`getToken()`, `req.body.password`), or a bare identifier of letters
 * only (`token: token`, `Authorization: authHeader`). Credentials pasted unquoted nearly always
 * contain a digit or a symbol; a digit-free, unquoted word after a spaced separator is a
 * variable far more often than a password (documented limitation: `password: swordfish`).
 */
const isCodeLike = (value: string): boolean => isCodeExpression(value) || /^[A-Za-z_$]{1,64}$/.test(value)

/**
 * For an `Authorization:`/`Cookie:` value: its first word, trailing `, ; ) }` dropped, when
 * nothing but punctuation follows (`authHeader }`); otherwise the whole value.
 */
const leadingToken = (value: string): string => {
  let end = 0
  while (end < value.length && !isSpace(value.charCodeAt(end))) end++
  let token = end
  while (token > 0 && ",;)}".includes(value[token - 1]!)) token--
  return /[A-Za-z0-9]/.test(value.slice(token)) ? value : value.slice(0, token)
}

/** A name found just before a separator. */
interface NameBefore {
  readonly name: string
  /** Where the name (or its leading dashes) starts. */
  readonly start: number
  /** Whether spaces stood between the name (or its closing quote) and the separator. */
  readonly spaced: boolean
}

/**
 * The name ending just before the separator at `sep`: optional spaces, an optional closing quote
 * (possibly escaped), then a maximal run of `[A-Za-z0-9_.-]` not longer than {@link MAX_NAME},
 * up to two leading dashes dropped, starting with a letter or `_`. Scanning back from each
 * separator (rather than forward from each word with a regex) costs nothing on text without
 * separators and at most ~140 steps per separator.
 */
const nameBefore = (text: string, sep: number): NameBefore | undefined => {
  let i = sep
  // `?=`, `.=`, `+=` (make, PHP): one separator.
  if (text.charCodeAt(sep) === 61 && sep > 0 && "?.+".includes(text[sep - 1]!)) i--
  while (i > 0 && sep - i < MAX_SPACES && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--
  const spaced = i < sep
  // `os.environ['DB_PASSWORD'] = …`, `$_ENV["TOKEN"] = …`: a quoted subscript.
  if (i > 1 && text.charCodeAt(i - 1) === 93 && isQuote(text.charCodeAt(i - 2))) i--
  if (i > 0 && isQuote(text.charCodeAt(i - 1))) {
    i--
    if (i > 0 && text.charCodeAt(i - 1) === 92) i--
  }
  const end = i
  while (i > 0 && end - i <= MAX_NAME && isNameChar(text.charCodeAt(i - 1))) i--
  if (end - i > MAX_NAME) return undefined
  let start = i
  while (start < end && start - i < 2 && text.charCodeAt(start) === 45) start++
  if (start >= end || !isNameStart(text.charCodeAt(start))) return undefined
  return { name: text.slice(start, end), start: i, spaced }
}

/** Whether the quoted string closing at `close` opens right after `(`: a call's first argument. */
const isFirstArgument = (text: string, close: number): boolean => {
  const quote = text.charCodeAt(close)
  let open = close - 1
  while (open >= 0 && close - open <= MAX_NAME && text.charCodeAt(open) !== quote) open--
  let i = open - 1
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--
  return open >= 0 && i >= 0 && text.charCodeAt(i) === 40
}

/**
 * Position of the next `=` or `:` at or after `from`, or of a `,` right after a quote
 * that is a call's first argument (`setProperty("X_TOKEN", "…")`, `env("API_KEY", "…")`), or -1.
 */
const nextSeparator = (text: string, from: number): number => {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 61 || c === 58) return i
    if (c === 44 && i > 0 && isQuote(text.charCodeAt(i - 1)) && isFirstArgument(text, i - 1)) return i
  }
  return -1
}

export const detectSensitiveAssignments = (text: string, sink: SpanSink, names: NameMatcher): void => {
  if (nextSeparator(text, 0) >= 0) detectSeparated(text, sink, names)
  detectSecretFlags(text, sink, names)
}

/** `name=value`, `name: value`, `name => value`, `name := value`, quoted or not. */
const detectSeparated = (text: string, sink: SpanSink, names: NameMatcher): void => {
  const tokenRuns: RunMemo = { from: -1, to: -1 }
  const lineRuns: RunMemo = { from: -1, to: -1 }
  let from = 0
  for (let sep = nextSeparator(text, 0); sep >= 0; sep = nextSeparator(text, from)) {
    from = sep + 1
    // `https://…`: a scheme, never a name (the commonest separator in tool payloads).
    if (text.charCodeAt(sep + 1) === 47 && text.charCodeAt(sep + 2) === 47) continue
    const before = nameBefore(text, sep)
    const kind = before === undefined ? 0 : names.classify(before.name)
    if (before === undefined || kind === 0) continue
    // `https://x-access-token:…@host`: URL user info, left to the URL rule.
    if (before.start >= 3 && text.startsWith("://", before.start - 3)) continue
    const comma = text.charCodeAt(sep) === 44
    const colon = text.charCodeAt(sep) === 58
    let at = sep + 1
    // `:=` and `=>` are one separator.
    if ((colon && text.charCodeAt(at) === 61) || (!colon && text.charCodeAt(at) === 62)) at++
    // `token://…`, `Token::parse`: not an assignment.
    if (colon && at === sep + 1 && (text.charCodeAt(at) === 58 || text.startsWith("//", at))) continue
    const valueStart = at
    while (
      at < text.length &&
      at - valueStart < MAX_SPACES &&
      (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)
    )
      at++
    const spaced = before.spaced || at > valueStart
    const whole = (kind & WHOLE_VALUE) !== 0
    let range = readQuoted(text, at)
    // After a comma only a quoted value is the name's value (`f("TOKEN", "x")`, not a CSV row).
    if (comma && range === undefined) continue
    if (range === undefined) {
      const end = whole ? runEnd(text, lineRuns, at, endsLine) : runEnd(text, tokenRuns, at, endsToken)
      range = { start: at, end, next: end, quoted: false }
    }
    const start = whole ? skipScheme(text, range.start, range.end) : range.start
    let end = range.end
    while (whole && end > start && isSpace(text.charCodeAt(end - 1))) end--
    const value = text.slice(start, end)
    if (!range.quoted && (spaced || colon) && isCodeLike(whole ? leadingToken(value) : value)) {
      // Code such as `token = getToken(password="x")`: look again inside the call's arguments.
      const paren = value.indexOf("(")
      from = paren >= 0 ? start + paren + 1 : Math.max(from, range.next)
      continue
    }
    // A backquoted value is a command whose output is the secret (`` KEY=`vault read x` ``), not the secret.
    const commandOutput = range.quoted && text.charCodeAt(range.start - 1) === 96
    if (!commandOutput && !isPlaceholderValue(value)) {
      addSpan(sink, text, start, end, (kind & AUTHORIZATION) !== 0 ? "authorization-header" : "sensitive-assignment")
    }
    from = Math.max(from, range.next)
  }
}

/** Whether a flag value is a path (`--private-key ./id_rsa`), which names a secret but is not one. */
const isPath = (value: string): boolean =>
  value.startsWith("/") || value.startsWith("./") || value.startsWith("../") || value.startsWith("~/")

/** `--password hunter2`, `--token "x"`: space-separated flags whose last word is the secret. */
const detectSecretFlags = (text: string, sink: SpanSink, names: NameMatcher): void => {
  if (!text.includes("--") && !text.includes(" -")) return
  FLAG.lastIndex = 0
  for (let m = FLAG.exec(text); m !== null; m = FLAG.exec(text)) {
    const name = m[1]!
    if ((names.classify(name) & FLAG_VALUE) === 0) continue
    const at = m.index + m[0].length
    let range = readQuoted(text, at)
    if (range === undefined) {
      let end = at
      while (end < text.length && !isSpace(text.charCodeAt(end)) && !isQuote(text.charCodeAt(end))) end++
      range = { start: at, end, next: end, quoted: false }
    }
    const value = text.slice(range.start, range.end)
    if (!isPlaceholderValue(value) && !isPath(value))
      addSpan(sink, text, range.start, range.end, "sensitive-assignment")
    if (range.next > FLAG.lastIndex) FLAG.lastIndex = range.next
  }
}
