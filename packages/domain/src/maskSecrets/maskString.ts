/**
 * Masking the secrets inside one string, leaving the rest readable:
 * `curl -H 'Authorization: Bearer ***MASKED***' postgres://app:***MASKED***@db/app`.
 *
 * Fast path: one trigram pass (prefilter.ts) says which detector families can apply; a string
 * that needs none is returned as is (the same string, no allocation). Otherwise those detectors
 * record ranges (`SpanSink`) and the string is rebuilt once. Every detector is linear in the
 * string's length.
 */
import { BASIC_RULE, BEARER_RULE, CLI_USER_RULE } from "./authSchemes.js"
import type { CompiledOptions } from "./CompiledOptions.js"
import { runCustomPattern } from "./customPatterns.js"
import type { MaskRule } from "./MaskRule.js"
import { runPatternRule } from "./PatternRule.js"
import { detectPemPrivateKeys } from "./pemPrivateKey.js"
import { detectGitleaksSecrets, hasShortKeyword } from "./gitleaksRules.js"
import { detectPasswordsInWords } from "./passwordInWords.js"
import { CLI_USER, families, GITLEAKS, NAMES, PEM, SCHEMES, TOKENS, URLS, WORDS } from "./prefilter.js"
import { PROVIDER_TOKEN_RULES } from "./providerTokens.js"
import { detectSensitiveAssignments } from "./sensitiveAssignment.js"
import { applySpans, emptySink } from "./SpanSink.js"
import { detectUrlCredentials } from "./urlCredentials.js"

/** The shortest string any built-in detector can match (`pwd=x`). */
const MIN_LENGTH = 5

/**
 * `text` with its secrets masked, under already-compiled options. The names of the rules that
 * fired are appended to `found` (each once) when it is given.
 */
export const scanString = (text: string, options: CompiledOptions, found?: Array<MaskRule>): string => {
  const need = text.length >= MIN_LENGTH ? families(text, options.trigrams) : 0
  const shortKeyword = text.length >= MIN_LENGTH && hasShortKeyword(text)
  if (need === 0 && !shortKeyword && options.custom.length === 0) return text
  const sink = emptySink()
  if ((need & PEM) !== 0) detectPemPrivateKeys(text, sink)
  if ((need & URLS) !== 0) detectUrlCredentials(text, sink)
  if ((need & NAMES) !== 0) detectSensitiveAssignments(text, sink, options.names)
  if ((need & SCHEMES) !== 0) {
    runPatternRule(text, BEARER_RULE, sink)
    runPatternRule(text, BASIC_RULE, sink)
  }
  if ((need & CLI_USER) !== 0) runPatternRule(text, CLI_USER_RULE, sink)
  if ((need & TOKENS) !== 0) {
    for (let i = 0; i < PROVIDER_TOKEN_RULES.length; i++) runPatternRule(text, PROVIDER_TOKEN_RULES[i]!, sink)
  }
  if ((need & GITLEAKS) !== 0 || shortKeyword) detectGitleaksSecrets(text, sink, options.trigrams)
  if ((need & (NAMES | WORDS)) !== 0) detectPasswordsInWords(text, sink)
  for (let i = 0; i < options.custom.length; i++) runCustomPattern(text, options.custom[i]!, sink)
  return applySpans(text, sink, found)
}
