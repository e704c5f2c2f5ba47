/**
 * Free-form JSON (`serde_json::Value` in the seed) and the text codec for it.
 *
 * Two things JSON.parse / JSON.stringify do silently are refused here, because serde would not
 * read the result back the same way:
 * - an integer literal JavaScript cannot hold exactly (beyond ±2^53-1) would be rounded;
 * - a lone UTF-16 surrogate has no UTF-8 form, and serde_json rejects its `\uD800` escape.
 */
import { Either, Schema } from "effect"

/**
 * Any JSON value. Decoding does not walk it: text that JSON.parse accepted is JSON already.
 * It must be present, though: serde rejects a missing `serde_json::Value` field.
 */
export const JsonValue = Schema.declare((u: unknown): u is unknown => u !== undefined).annotations({
  identifier: "JsonValue",
  description: "any JSON value",
  // In JSON Schema (the HTTP API's OpenAPI document): any value, no constraint.
  jsonSchema: {
    anyOf: [
      { type: "null" },
      { type: "boolean" },
      { type: "number" },
      { type: "string" },
      { type: "array" },
      { type: "object" }
    ]
  },
  // What JSON text can hold (`-0` is written as `0`).
  arbitrary: () => (fc) => fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown)
})
export type JsonValue = typeof JsonValue.Type

/** An escaped surrogate that is not itself preceded by an escaping backslash. */
const SURROGATE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/

/** The magnitude from which a double may not be the integer its literal says (2^53). */
const EXACT_LIMIT = 2 ** 53

/**
 * What a value holds that the text checks must look at: the deepest nesting of arrays and
 * objects (walked no deeper than `stopBelow`), and whether some number is beyond ±2^53 or not
 * finite. One iterative walk over the parsed value: cheaper than any scan of the text, which
 * is only scanned when this says there is something to find.
 */
const inspect = (root: unknown, stopBelow: number): { readonly depth: number; readonly bigNumber: boolean } => {
  let depth = 0
  let bigNumber = false
  const values: Array<unknown> = [root]
  const depths: Array<number> = [0]
  while (values.length > 0) {
    const v = values.pop()
    const d = depths.pop()!
    if (typeof v === "number") {
      if (!(v < EXACT_LIMIT && v > -EXACT_LIMIT)) bigNumber = true
    } else if (typeof v === "object" && v !== null) {
      if (d + 1 > depth) depth = d + 1
      if (depth > stopBelow) continue
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i]
          if (typeof x === "object" || typeof x === "number") {
            values.push(x)
            depths.push(d + 1)
          }
        }
      } else {
        for (const k in v) {
          const x: unknown = (v as Record<string, unknown>)[k]
          if (typeof x === "object" || typeof x === "number") {
            values.push(x)
            depths.push(d + 1)
          }
        }
      }
    }
  }
  return { depth, bigNumber }
}

/** Whether a parsed value holds a number that overflowed to ±Infinity. Iterative: any depth. */
const hasNonFinite = (root: unknown): boolean => {
  const stack: Array<unknown> = [root]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return true
    } else if (typeof v === "object" && v !== null) {
      for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push(x)
    }
  }
  return false
}

/**
 * The integer literals of JSON text (outside strings) that a double does not hold exactly, as
 * `[start, end)` ranges. Only literals of 16+ characters can be inexact.
 */
const inexactIntegers = (text: string): Array<readonly [number, number]> => {
  const found: Array<readonly [number, number]> = []
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
        const value = Number(token)
        // Exact when the double's integer is the literal's (2^53 itself is fine, 2^53+1 is not).
        if (!Number.isFinite(value) || BigInt(value) !== BigInt(token)) found.push([start, i])
      }
    } else i++
  }
  return found
}

/**
 * How deep serde_json reads: its parser refuses a document whose arrays and objects nest 128
 * levels deep (`RecursionLimitExceeded`), so the deepest it reads is 127.
 */
export const SERDE_MAX_DEPTH = 127

/** The deepest nesting of arrays and objects in JSON text (outside strings). */
const nestingDepth = (text: string): number => {
  let depth = 0
  let max = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i)
        if (d === 92 /* \ */) i++
        else if (d === 34) break
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) max = depth
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--
  }
  return max
}

/**
 * A double as serde_json (ryu) writes a large one: `5.271640629296393e16`. JavaScript writes
 * `52716406292963930`, which reads back as the same double here but as a different integer in
 * serde; the exponent form means the double in both.
 */
const exponentForm = (value: number): string => value.toExponential().replace("e+", "e")

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
  if (!text.isWellFormed() || (text.includes("\\u") && SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(value))) {
    return Either.left("string holds a lone UTF-16 surrogate, which has no UTF-8 form")
  }
  // A rounded integer or an overflow shows in the parsed value as a number beyond ±2^53.
  if (inspect(value, Infinity).bigNumber) {
    if (hasNonFinite(value)) return Either.left("number out of range: it overflows a double")
    const inexact = inexactIntegers(text)
    if (inexact.length > 0) {
      const token = text.slice(inexact[0]![0], inexact[0]![1])
      return Either.left(
        `integer ${token.length > 40 ? token.slice(0, 40) + "…" : token} cannot be held exactly by a double`
      )
    }
  }
  return Either.right(value)
}

/**
 * JSON.stringify that refuses what serde could not read back (a lone surrogate, nesting past
 * serde_json's limit, no JSON form at all); the error says why.
 */
export const stringifyJson = (value: unknown): Either.Either<string, string> => {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (e) {
    return Either.left(`not serializable as JSON: ${(e as Error).message}`)
  }
  if (text === undefined) return Either.left("not serializable as JSON: no JSON form")
  const { depth, bigNumber } = inspect(value, SERDE_MAX_DEPTH)
  // The walk sees containers JSON.stringify may write as scalars (a Date): the text decides.
  if (depth > SERDE_MAX_DEPTH) {
    const written = nestingDepth(text)
    if (written > SERDE_MAX_DEPTH) {
      return Either.left(`nested ${written} levels deep; serde_json reads at most ${SERDE_MAX_DEPTH}`)
    }
  }
  if (bigNumber) {
    const inexact = inexactIntegers(text)
    if (inexact.length > 0) {
      let out = ""
      let from = 0
      for (const [start, end] of inexact) {
        out += text.slice(from, start) + exponentForm(Number(text.slice(start, end)))
        from = end
      }
      text = out + text.slice(from)
    }
  }
  // JSON.stringify escapes lone surrogates (and only them) as \udXXX.
  if (text.includes("\\ud") && SURROGATE_ESCAPE.test(text)) {
    return Either.left("string holds a lone UTF-16 surrogate, which has no UTF-8 form")
  }
  return Either.right(text)
}
