/**
 * The per-options view of {@link isSecretName}: adds the caller's extra keys, removes the
 * allow-listed ones, and memoises the answer per name. Names repeat constantly (every tool call
 * has `cmd`, `headers`, `path`…), so after warm-up a key costs one Map lookup and no
 * allocation. The memo is bounded and simply cleared when full, so hostile inputs with millions
 * of distinct keys cannot grow it without limit.
 */
import { normalizeKey, splitWords } from "./keyWords.js"
import { isSecretName } from "./secretName.js"

const MEMO_LIMIT = 8192

export interface NameMatcher {
  /** Extended rule, extra keys included, allow-listed names excluded. */
  readonly isSecret: (name: string) => boolean
  /** Whether the caller allow-listed this name (after word normalisation). */
  readonly isAllowed: (name: string) => boolean
}

const memoize = (f: (name: string) => boolean): ((name: string) => boolean) => {
  const memo = new Map<string, boolean>()
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
  const isAllowed =
    allowed.size === 0 ? () => false : memoize((name) => allowed.has(normalizeKey(name)))
  const isSecret = memoize((name) => !isAllowed(name) && isSecretName(name, extra))
  return { isSecret, isAllowed }
}
