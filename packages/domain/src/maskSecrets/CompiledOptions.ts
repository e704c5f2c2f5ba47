/**
 * {@link MaskOptions} turned, once, into what the hot path needs: the name matcher, the custom
 * patterns and the trigram table of the pre-check (prefilter.ts, with the caller's extra key
 * words added). Compiled options are memoised per options object (WeakMap), and the defaults
 * are compiled at module load, so repeated calls with the same options cost nothing extra.
 */
import { compileCustomPattern, type CustomPattern } from "./customPatterns.js"
import { splitWords } from "./keyWords.js"
import type { MaskOptions } from "./MaskOptions.js"
import { makeNameMatcher, type NameMatcher } from "./NameMatcher.js"
import { trigramTable } from "./prefilter.js"

export interface CompiledOptions {
  readonly names: NameMatcher
  readonly trigrams: Uint8Array
  readonly custom: ReadonlyArray<CustomPattern>
  /** Whether any allow-list was given (skips the allow-list lookups otherwise). */
  readonly hasAllowList: boolean
}

export const compileOptions = (options: MaskOptions): CompiledOptions => {
  const extraKeys = options.extraKeys ?? []
  const allowKeys = options.allowKeys ?? []
  return {
    names: makeNameMatcher(extraKeys, allowKeys),
    trigrams: trigramTable(extraKeys.flatMap(splitWords)),
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
