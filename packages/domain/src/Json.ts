/**
 * Free-form JSON (`serde_json::Value` in the seed) and the text codec for it.
 *
 * Two things JSON.parse / JSON.stringify do silently are refused here, because serde would not
 * read the result back the same way:
 * - an integer literal JavaScript cannot hold exactly (beyond ±2^53-1) would be rounded;
 * - a lone UTF-16 surrogate has no UTF-8 form, and serde_json rejects its `\uD800` escape.
 */
import { Either, Schema } from "effect"

/** Any JSON value. Decoding does not walk it: text that JSON.parse accepted is JSON already. */
export const JsonValue = Schema.Unknown.annotations({ identifier: "JsonValue", description: "any JSON value" })
export type JsonValue = typeof JsonValue.Type

/** An escaped surrogate that is not itself preceded by an escaping backslash. */
const SURROGATE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/

const hasLongDigitRun = /\d{16}/

/** The first integer literal in JSON text that JavaScript would round, if any. */
const findUnsafeInteger = (text: string): string | undefined => {
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      i++
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d === 92 /* \ */) i += 2
        else if (d === 34) break
        else i++
      }
      i++
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i
      let integral = true
      i++
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d >= 48 && d <= 57) i++
        else if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) {
          integral = false
          i++
        } else break
      }
      if (integral && i - start >= 16) {
        const token = text.slice(start, i)
        if (!Number.isSafeInteger(Number(token))) return token
      }
    } else i++
  }
  return undefined
}

/** Whether some string in a parsed value holds a lone surrogate. Iterative: any depth. */
const hasLoneSurrogate = (root: unknown): boolean => {
  const stack: Array<unknown> = [root]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === "string") {
      if (!v.isWellFormed()) return true
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x)
    } else if (typeof v === "object" && v !== null) {
      for (const k of Object.keys(v)) {
        if (!k.isWellFormed()) return true
        stack.push((v as Record<string, unknown>)[k])
      }
    }
  }
  return false
}

/** JSON.parse that refuses what serde would read differently; the error says why. */
export const parseJson = (text: string): Either.Either<unknown, string> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return Either.left(`invalid JSON: ${(e as Error).message}`)
  }
  if (hasLongDigitRun.test(text)) {
    const token = findUnsafeInteger(text)
    if (token !== undefined) {
      return Either.left(`integer ${token.length > 40 ? token.slice(0, 40) + "…" : token} cannot be held exactly (beyond ±2^53-1)`)
    }
  }
  if (!text.isWellFormed() || (SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(value))) {
    return Either.left("string holds a lone UTF-16 surrogate, which has no UTF-8 form")
  }
  return Either.right(value)
}

/** JSON.stringify that refuses what serde could not read back; the error says why. */
export const stringifyJson = (value: unknown): Either.Either<string, string> => {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (e) {
    return Either.left(`not serializable as JSON: ${(e as Error).message}`)
  }
  if (text === undefined) return Either.left("not serializable as JSON: no JSON form")
  // JSON.stringify escapes lone surrogates (and only them) as \udXXX.
  if (text.includes("\\ud") && SURROGATE_ESCAPE.test(text)) {
    return Either.left("string holds a lone UTF-16 surrogate, which has no UTF-8 form")
  }
  return Either.right(text)
}
