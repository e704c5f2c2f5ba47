/**
 * A detector made of one regular expression: fixed-prefix provider tokens, JWTs, auth schemes.
 *
 * Every pattern here is written to run in linear time on any input:
 * - it starts with a negative lookbehind on the token's own character class, so a match can only
 *   start at the beginning of a run of token characters, never at each position inside it;
 * - every quantifier is a single character class with an upper bound (no nested quantifiers),
 *   so a failed attempt costs at most the bound.
 * Group 1 is the readable prefix to keep (often empty), group 2 the secret to mask.
 */
import type { MaskRule } from "./MaskRule.js"
import { addSpan, type SpanSink } from "./SpanSink.js"

export interface PatternRule {
  readonly rule: MaskRule
  /** Case-sensitive literals, one of which must occur for the pattern to be worth running. */
  readonly triggers: ReadonlyArray<string>
  /** Global regex; group 1 = kept prefix, group 2 = secret. */
  readonly pattern: RegExp
  /** Extra check on the secret that a character class cannot express (e.g. "has a digit"). */
  readonly accept?: (secret: string) => boolean
}

const hasTrigger = (text: string, triggers: ReadonlyArray<string>): boolean => {
  for (let i = 0; i < triggers.length; i++) if (text.includes(triggers[i]!)) return true
  return false
}

/** Records every accepted match of `rule` in `text`. */
export const runPatternRule = (text: string, rule: PatternRule, sink: SpanSink): void => {
  if (!hasTrigger(text, rule.triggers)) return
  const pattern = rule.pattern
  pattern.lastIndex = 0
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const secret = m[2] ?? ""
    if (rule.accept !== undefined && !rule.accept(secret)) continue
    const start = m.index + (m[1] ?? "").length
    addSpan(sink, text, start, start + secret.length, rule.rule)
  }
}

/** Whether `s` has at least one ASCII digit. */
export const hasDigit = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) return true
  }
  return false
}

/**
 * Whether `s` mixes digits, upper- and lower-case letters, as a random base62 key does and a
 * slug or an English compound (`sk-learn-tutorial-for-beginners`) does not.
 */
export const looksRandom = (s: string): boolean => {
  let digit = false
  let upper = false
  let lower = false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) digit = true
    else if (c >= 65 && c <= 90) upper = true
    else if (c >= 97 && c <= 122) lower = true
  }
  return digit && upper && lower
}
