import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { parseJson, stringifyJson } from "./Json.js"

describe("Json", () => {
  it("keeps an integer a double holds exactly, 2^53 included", () => {
    expect(Either.getOrThrow(parseJson("[9007199254740992, -9007199254740991]"))).toStrictEqual([
      9007199254740992, -9007199254740991
    ])
  })

  it("rejects an integer a double would round", () => {
    expect(Either.flip(parseJson('{"n": 9007199254740993}'))).toStrictEqual(
      Either.right("integer 9007199254740993 cannot be held exactly by a double")
    )
  })

  it("rejects a number that overflows a double instead of reading Infinity", () => {
    expect(Either.flip(parseJson('{"n": 1e400}'))).toStrictEqual(
      Either.right("number out of range: it overflows a double")
    )
    expect(Either.isLeft(parseJson(`[${"9".repeat(400)}]`))).toBe(true)
    expect(Either.getOrThrow(parseJson('["1e400", 1e300, 1e-400]'))).toStrictEqual(["1e400", 1e300, 0])
  })

  it("ignores long digit runs inside strings", () => {
    expect(Either.isRight(parseJson('{"id": "90071992547409931234", "n": "-9007199254740993"}'))).toBe(true)
  })

  it("writes a large inexact double in exponent form, as serde_json does, and reads it back", () => {
    const text = Either.getOrThrow(stringifyJson({ n: 52716406292963928 }))
    expect(text).toBe('{"n":5.271640629296393e16}')
    expect(Either.getOrThrow(parseJson(text))).toStrictEqual({ n: 52716406292963928 })
  })

  it("refuses a lone surrogate both ways, but accepts a surrogate pair", () => {
    expect(Either.isLeft(parseJson('"\\udc00"'))).toBe(true)
    expect(Either.isLeft(stringifyJson("\udc00"))).toBe(true)
    expect(Either.getOrThrow(parseJson('"\\ud83d\\ude00"'))).toBe("😀")
    expect(Either.getOrThrow(stringifyJson("😀"))).toBe('"😀"')
  })

  it("refuses nesting deeper than serde_json reads, and accepts its limit", () => {
    const nest = (n: number): unknown => (n === 0 ? "x" : [nest(n - 1)])
    expect(Either.isRight(stringifyJson(nest(127)))).toBe(true)
    expect(Either.flip(stringifyJson(nest(128)))).toStrictEqual(
      Either.right("nested 128 levels deep; serde_json reads at most 127")
    )
    expect(Either.isRight(stringifyJson({ s: "[".repeat(500) }))).toBe(true)
  })

  it("refuses values with no JSON form", () => {
    expect(Either.isLeft(stringifyJson(undefined))).toBe(true)
    expect(Either.isLeft(stringifyJson({ n: 1n }))).toBe(true)
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(Either.isLeft(stringifyJson(cycle))).toBe(true)
  })

  it("keeps __proto__ as an ordinary key", () => {
    const value = Either.getOrThrow(parseJson('{"__proto__": {"polluted": true}}')) as Record<string, unknown>
    expect(Object.keys(value)).toStrictEqual(["__proto__"])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Either.getOrThrow(stringifyJson(value))).toBe('{"__proto__":{"polluted":true}}')
  })
})
