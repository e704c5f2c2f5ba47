/**
 * Values next to a sensitive name that are not secrets: references to a secret kept elsewhere
 * (`$DB_PASSWORD`, `${{ secrets.TOKEN }}`), placeholders (`<token>`, `***`), type annotations
 * and literals (`password: string`, `token = null`), and code (`token = getToken()`). Masking
 * them would hide what a command or file does without protecting anything.
 */

/** Literal words that are never a credential on their own. */
const NON_SECRET_WORDS: ReadonlySet<string> = new Set([
  "null",
  "nil",
  "none",
  "true",
  "false",
  "undefined",
  "yes",
  "no",
  "on",
  "off",
  "string",
  "str",
  "number",
  "int",
  "integer",
  "bool",
  "boolean",
  "any",
  "unknown",
  "object",
  "bytes",
  "required",
  "optional",
  "empty",
  "redacted",
  "hidden",
  "masked",
  "await",
  "new",
  "this",
  "self",
  "typeof",
  "function",
  "lambda",
  "def",
  "return"
])

/** Words that stand for a credential in documentation (`curl -u user:password`, `token: token`). */
const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "token",
  "secret",
  "apikey",
  "api_key",
  "xxx",
  "yyy",
  "test"
])

/** `ACCESS_TOKEN`, `K8S_CRED`: the name of a constant or variable, not its value. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/

/**
 * Whether `value` is a documentation example rather than a secret (issue 14, from gitleaks' false
 * positive examples): one or two characters, an ellipsis (`Basic ...`), a run of 6 or more identical characters (`xxxxxxxx`, `hf_XXXX…`, `glc_1111…`;
 * a random key of this length has one with a probability of about 1 in 10^7), the documented
 * sample marker (`AKIAIOSFODNN7EXAMPLE`, `PUT_YOUR_TOKEN_HERE`), a placeholder word, or a constant's
 * name.
 */
export const isExampleValue = (value: string): boolean => {
  if (value.length <= 2 || /^(?:\.{2,}|…)$/.test(value)) return true
  let run = 1
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1
    if (run >= 6) return true
  }
  if (value.includes("EXAMPLE") || value.includes("_HERE") || value.includes("YOUR_")) return true
  return PLACEHOLDER_WORDS.has(value.toLowerCase()) || CONSTANT_NAME.test(value)
}

/** Whether `value` (already cut out of its string) is a reference, placeholder or literal. */
export const isPlaceholderValue = (value: string): boolean => {
  if (value.length === 0) return true
  if (isExampleValue(value)) return true
  const c = value.charCodeAt(0)
  // `` ` `` (a command's output: `` `etcdctl get /x` ``), `*` (masked, `***`), `<` (`<token>`), `=` / `>` (`==`, `=>`), `:` (`::`), `{` (`{{ }}`), `[`, `(`.
  if (c === 96 || c === 42 || c === 60 || c === 61 || c === 62 || c === 58 || c === 123 || c === 91 || c === 40)
    return true
  // `$NAME`, `${NAME}`, `$(cmd)`, `%s`, `%(name)s`.
  if (c === 36 || c === 37) {
    const d = value.charCodeAt(1)
    if (d === 123 || d === 40 || d === 95 || (d >= 65 && d <= 90) || (d >= 97 && d <= 122)) return true
  }
  return value.length <= 9 && NON_SECRET_WORDS.has(value.toLowerCase())
}

const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57)

/**
 * Whether an unquoted value reads as a code expression: it contains a call (`getToken()`), or it
 * is a member chain of identifiers (`req.body.password`, `process.env.TOKEN`). Only asked when
 * the separator was spaced (`token = …`) or a colon, as in source code; `PASSWORD=x.y` in a
 * shell line is still masked.
 */
export const isCodeExpression = (value: string): boolean => {
  if (value.includes("(")) return true
  let dots = 0
  let segmentStart = true
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 46) {
      if (segmentStart) return false
      dots++
      segmentStart = true
    } else if (segmentStart) {
      if (!isIdentStart(c)) return false
      segmentStart = false
    } else if (!isIdentPart(c)) return false
  }
  return dots > 0 && !segmentStart
}
