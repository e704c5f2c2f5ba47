/**
 * {@link MaskOptions} turned, once, into what the hot path needs: the name matcher, the custom
 * patterns, and one case-insensitive "trigger" regex. The trigger is the cheap pre-check run on
 * every string: it lists a substring that every built-in detector needs (`pass`, `token`,
 * `key`, `eyJ`, `://…@`, `sk-`, `AKIA`, …), so the vast majority of strings (paths, commands,
 * prose) are dismissed by one native regex test without running any detector.
 *
 * Compiled options are memoised per options object (WeakMap), and the defaults are compiled at
 * module load, so calling with the same options repeatedly costs nothing extra.
 */
import { compileCustomPattern, type CustomPattern } from "./customPatterns.js"
import { splitWords } from "./keyWords.js"
import type { MaskOptions } from "./MaskOptions.js"
import { makeNameMatcher, type NameMatcher } from "./NameMatcher.js"

export interface CompiledOptions {
  readonly names: NameMatcher
  readonly trigger: RegExp
  readonly custom: ReadonlyArray<CustomPattern>
  /** Whether any allow-list was given (skips the allow-list lookups otherwise). */
  readonly hasAllowList: boolean
}

/**
 * Substrings (case-insensitive) at least one of which occurs in any string a built-in detector
 * can match. Keep in sync with the detectors: the corpus tests fail if one is missing.
 */
const TRIGGER_SOURCES: ReadonlyArray<string> = [
  "pass", "pwd", "secret", "token", "key", "auth", "cred", "cookie", "session", "bearer", "basic",
  "otp", "jwt", "sig", "eyj", "-----begin ", ":\\/\\/[^\\s\\/?#]{0,2048}@", "-u", "akia", "asia",
  "gh[pousr]_", "github_pat_", "sk-", "_live_", "_test_", "whsec_", "xox", "aiza", "glpat-", "npm_"
]

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")

export const compileOptions = (options: MaskOptions): CompiledOptions => {
  const extraKeys = options.extraKeys ?? []
  const allowKeys = options.allowKeys ?? []
  const extraWords = extraKeys.flatMap(splitWords).map(escapeRegExp)
  return {
    names: makeNameMatcher(extraKeys, allowKeys),
    trigger: new RegExp([...TRIGGER_SOURCES, ...extraWords].join("|"), "i"),
    custom: (options.extraPatterns ?? []).map(compileCustomPattern),
    hasAllowList: allowKeys.length > 0
  }
}

/** The compiled defaults. */
export const DEFAULT_COMPILED: CompiledOptions = compileOptions({})

const compiledByOptions = new WeakMap<MaskOptions, CompiledOptions>()

/** Compiled form of `options`, memoised per options object. */
export const compiled = (options: MaskOptions | undefined): CompiledOptions => {
  if (options === undefined) return DEFAULT_COMPILED
  let found = compiledByOptions.get(options)
  if (found === undefined) {
    found = compileOptions(options)
    compiledByOptions.set(options, found)
  }
  return found
}
