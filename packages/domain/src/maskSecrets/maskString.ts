/**
 * Masking the secrets inside one string, leaving the rest readable:
 * `curl -H 'Authorization: Bearer ***MASKED***' postgres://app:***MASKED***@db/app`.
 *
 * Fast path: one trigger-regex test; a string with no trigger substring is returned as is (the
 * same string, no allocation). Otherwise each detector records ranges (`SpanSink`) and the
 * string is rebuilt once. Every detector is linear in the string's length.
 */
import { AUTH_SCHEME_RULES } from "./authSchemes.js"
import { compiled, type CompiledOptions } from "./CompiledOptions.js"
import { runCustomPattern } from "./customPatterns.js"
import type { MaskOptions } from "./MaskOptions.js"
import type { MaskRule } from "./MaskRule.js"
import { runPatternRule } from "./PatternRule.js"
import { detectPemPrivateKeys } from "./pemPrivateKey.js"
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
  const builtIn = text.length >= MIN_LENGTH && options.trigger.test(text)
  if (!builtIn && options.custom.length === 0) return text
  const sink = emptySink()
  if (builtIn) {
    detectPemPrivateKeys(text, sink)
    detectUrlCredentials(text, sink)
    detectSensitiveAssignments(text, sink, options.names)
    for (let i = 0; i < AUTH_SCHEME_RULES.length; i++) runPatternRule(text, AUTH_SCHEME_RULES[i]!, sink)
    for (let i = 0; i < PROVIDER_TOKEN_RULES.length; i++) runPatternRule(text, PROVIDER_TOKEN_RULES[i]!, sink)
  }
  for (let i = 0; i < options.custom.length; i++) runCustomPattern(text, options.custom[i]!, sink)
  return applySpans(text, sink, found)
}

/** Masks the secrets inside one string (see the module comment); the rest stays as it was. */
export const maskString = (text: string, options?: MaskOptions): string => scanString(text, compiled(options))
