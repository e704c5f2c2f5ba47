import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import type { JsonValue } from "../Json.js"
import { applyPatch, patchOf } from "./ContentPatch.js"
import { maskRawValue } from "./RawContent.js"

const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as JsonValue)

/** `value` with some of its parts changed as a masker would: text spans replaced, subtrees redacted. */
const masking = (value: JsonValue, choices: ReadonlyArray<number>): JsonValue => {
  let k = 0
  const next = () => choices[k++ % choices.length]!
  const walk = (v: JsonValue): JsonValue => {
    const c = next()
    if (c % 7 === 0) return "[REDACTED]"
    if (typeof v === "string") {
      if (c % 3 !== 0 || v.length === 0) return v
      const at = c % v.length
      return `${v.slice(0, at)}***${v.slice(Math.min(v.length, at + (c % 5)))}`
    }
    if (Array.isArray(v)) return v.map(walk)
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, walk(x)]))
    return v
  }
  return walk(value)
}

const restores = (raw: JsonValue, masked: JsonValue) => {
  const patch = patchOf(raw, masked)
  if (JSON.stringify(raw) === JSON.stringify(masked)) {
    expect(patch).toBeUndefined()
    return
  }
  expect(patch).toBeDefined()
  // what is sealed is the patch's JSON text: it must survive the round trip
  const sealed = JSON.parse(JSON.stringify(patch)) as unknown
  expect(JSON.stringify(applyPatch(masked, sealed))).toBe(JSON.stringify(raw))
}

describe("ContentPatch", () => {
  it("gives the raw value back, as the same JSON text, from any masked copy a masker could make", () => {
    fc.assert(
      fc.property(json, fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 20 }), (raw, choices) =>
        restores(raw, masking(raw, choices))
      ),
      { numRuns: 500 }
    )
  })

  it("gives the raw value back from any other value at all (the patch is then the value whole where shapes differ)", () => {
    fc.assert(fc.property(json, json, restores), { numRuns: 300 })
  })

  it("gives the raw value back from the domain's own masked copy", () => {
    const raw: JsonValue = {
      headers: { Authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.abcdefgh12345678.sig", Accept: "*/*" },
      env: { AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", LANG: "C" },
      argv: ["sh", "-c", "curl -u admin:hunter2horse https://example.com"],
      note: "my password is hunter2horse, keep it"
    }
    const masked = maskRawValue(raw)
    expect(JSON.stringify(masked)).not.toContain("hunter2horse")
    restores(raw, masked)
    restores(
      "ghp_R8kP2mX7nQ4vL9tB3wY6zH1jD5fC0aS2eU7Q in the middle",
      maskRawValue("ghp_R8kP2mX7nQ4vL9tB3wY6zH1jD5fC0aS2eU7Q in the middle")
    )
  })

  it("keeps only what differs: a secret inside a long text costs its own length, not the text's", () => {
    const text = `${"a".repeat(500)} token=s3cr3t-value ${"b".repeat(500)}`
    const patch = patchOf(text, text.replace("s3cr3t-value", "[REDACTED]"))
    expect(patch).toEqual([507, 501, "s3cr3t-value"])
    expect(patchOf({ a: [1, "x", { b: "keep" }] }, { a: [1, "y", { b: "keep" }] })).toEqual({
      o: [["a", { a: [[1, [0, 0, "x"]]] }]]
    })
  })

  it("restores a surrogate pair split by the common prefix, and an own key named __proto__", () => {
    restores("😀 secret", "\ud83d[REDACTED]")
    const raw = JSON.parse('{"__proto__": "s3cr3t", "b": 1}') as JsonValue
    const masked = JSON.parse('{"__proto__": "***", "b": 1}') as JsonValue
    restores(raw, masked)
    expect(Object.getPrototypeOf(applyPatch(masked, patchOf(raw, masked)))).toBe(Object.prototype)
  })

  it("refuses a patch that does not fit the masked value instead of making something up", () => {
    expect(applyPatch("short", [3, 4, "x"])).toBeUndefined()
    expect(applyPatch("text", { a: [[0, [0, 0, "x"]]] })).toBeUndefined()
    expect(applyPatch({ a: 1 }, { o: [["b", { v: 2 }]] })).toBeUndefined()
    expect(applyPatch([1], { a: [[1, { v: 2 }]] })).toBeUndefined()
    expect(applyPatch("x", 7)).toBeUndefined()
    expect(applyPatch("x", null)).toBeUndefined()
  })
})
