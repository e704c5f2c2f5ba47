/**
 * The per-options view of {@link isSecretName}: adds the caller's extra keys, removes the
 * allow-listed ones, and memoises the answer per name. Names repeat constantly (every tool call
 * has `cmd`, `headers`, `path`…), so after warm-up a key costs one Map lookup and no
 * allocation. The memo is bounded and simply cleared when full, so hostile inputs with millions
 * of distinct keys cannot grow it without limit.
 */
import { normalizeKey, splitWords } from "./keyWords.js"
import { isAuthorizationName, isSecretFlagWord, isSecretName, isWholeValueName } from "./secretName.js"

const MEMO_LIMIT = 8192

/** {@link NameMatcher.classify} bit: the name announces a secret (extended rule, options applied). */
export const SECRET = 1
/** Bit: its value runs to the end of the line (`Authorization`, `Cookie`). */
export const WHOLE_VALUE = 2
/** Bit: it is an `Authorization` header. */
export const AUTHORIZATION = 4
/** Bit: as `--name value`, the value is the secret itself. */
export const FLAG_VALUE = 8

export interface NameMatcher {
  /** Extended rule, extra keys included, allow-listed names excluded. */
  readonly isSecret: (name: string) => boolean
  /** The bits above, for names seen in `key=value` text; 0 when not a secret. */
  readonly classify: (name: string) => number
  /** Whether the caller allow-listed this name (after word normalisation). */
  readonly isAllowed: (name: string) => boolean
}

const memoize = <A>(f: (name: string) => A): ((name: string) => A) => {
  const memo = new Map<string, A>()
  return (name) => {
    const known = memo.get(name)
    if (known !== undefined) return known
    const answer = f(name)
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(name, answer)
    return answer
  }
}

export const makeNameMatcher = (extraKeys: ReadonlyArray<string>, allowKeys: ReadonlyArray<string>): NameMatcher => {
  const extra = extraKeys.map(splitWords).filter((words) => words.length > 0)
  const allowed = new Set(allowKeys.map(normalizeKey))
  const isAllowed = allowed.size === 0 ? () => false : memoize((name) => allowed.has(normalizeKey(name)))
  const isSecret = memoize((name) => !isAllowed(name) && isSecretName(name, extra))
  const classify = memoize((name) =>
    !isSecret(name)
      ? 0
      : SECRET |
        (isWholeValueName(name) ? WHOLE_VALUE : 0) |
        (isAuthorizationName(name) ? AUTHORIZATION : 0) |
        (isSecretFlagWord(name) ? FLAG_VALUE : 0)
  )
  return { isSecret, isAllowed, classify }
}
