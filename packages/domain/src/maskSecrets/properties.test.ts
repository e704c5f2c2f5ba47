import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { maskSensitive, SENSITIVE_KEYS } from "../maskSensitive.js"
import { MASKED } from "./placeholders.js"
import { DEFAULT_COMPILED } from "./CompiledOptions.js"
import { NEGATIVES } from "./corpus/negatives.js"
import { POSITIVES } from "./corpus/positives.js"
import { maskSecrets, maskString } from "./index.js"
import { walk } from "./walk.js"

/** JSON values as JSON text can hold them (`-0` reads back as `0`). */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown

/** The seed's sensitive fragments, then keys that hold or merely resemble them. */
const KEYS = [
  ...SENSITIVE_KEYS,
  "author",
  "apiKey",
  "X-Api-Key",
  "passwd",
  "pwd",
  "cookie",
  "set-cookie",
  "session",
  "sessionCount",
  "privateKey",
  "name",
  "value",
  "key",
  "Authorization",
  "__proto__",
  "constructor",
  "headers",
  "cmd"
]

const CORPUS_STRINGS = [...POSITIVES, ...NEGATIVES]
  .map((c) => c.input)
  .filter((v): v is string => typeof v === "string")

/** JSON with sensitive keys, header pairs and corpus strings mixed into fast-check's own JSON. */
const secretJson: fc.Arbitrary<unknown> = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(...CORPUS_STRINGS),
      fc.tuple(fc.constantFrom(...KEYS), fc.oneof(fc.string(), fc.constantFrom(...CORPUS_STRINGS))),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie("value"), { maxKeys: 5 })
    )
  }))
  .value.map(asJson)

const anyJson = fc.oneof(fc.jsonValue().map(asJson), secretJson)

/**
 * Deep equality including key order, as JSON text. (`toStrictEqual` is unusable here: it
 * compares `.constructor`, which for `{"constructor": []}` is an own array, never identical.)
 */
const expectSameJson = (actual: unknown, expected: unknown): void => {
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
  expect(actual).toEqual(expected)
}

/** Every path at which `value` holds the string MASKED. */
const maskedPaths = (value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []) => {
  if (value === MASKED) out.push(path)
  else if (Array.isArray(value)) value.forEach((v, i) => maskedPaths(v, [...path, i], out))
  else if (typeof value === "object" && value !== null) {
    for (const k of Object.keys(value)) maskedPaths((value as Record<string, unknown>)[k], [...path, k], out)
  }
  return out
}

const at = (value: unknown, path: ReadonlyArray<string | number>): unknown => {
  let v = value
  for (const segment of path) {
    if (typeof v !== "object" || v === null || !Object.prototype.hasOwnProperty.call(v, segment)) return undefined
    v = (v as Record<string | number, unknown>)[segment]
  }
  return v
}

describe("maskSecrets properties", () => {
  it("masks every path maskSensitive masks (superset law)", () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const seed = maskSensitive(value)
        const ours = maskSecrets(value)
        for (const path of maskedPaths(seed)) expect(at(ours, path)).toBe(MASKED)
      }),
      { numRuns: 1000 }
    )
  })

  it("is idempotent", () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const once = maskSecrets(value)
        expectSameJson(maskSecrets(once), once)
      }),
      { numRuns: 1000 }
    )
  })

  it("is idempotent on strings stitched from corpus pieces", () => {
    const piece = fc.oneof(
      fc.constantFrom(...CORPUS_STRINGS),
      fc.constantFrom(" ", "\n", "=", ":", "&", '"', "'", "@", "-", "/")
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const once = maskString(pieces.join(""))
        expect(maskString(once)).toBe(once)
      }),
      { numRuns: 1000 }
    )
  })

  it("returns valid JSON for JSON input", () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const out = maskSecrets(value)
        expectSameJson(asJson(out), out)
      }),
      { numRuns: 1000 }
    )
  })

  it("gives the same result when every level goes through the deferred (deep) walk", () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        expectSameJson(walk(value, DEFAULT_COMPILED, undefined, 0), walk(value, DEFAULT_COMPILED, undefined))
        const deep: Array<unknown> = []
        const shallow: Array<unknown> = []
        walk(value, DEFAULT_COMPILED, deep as never, 1)
        walk(value, DEFAULT_COMPILED, shallow as never)
        expect(new Set(deep.map((x) => JSON.stringify(x)))).toEqual(new Set(shallow.map((x) => JSON.stringify(x))))
      }),
      { numRuns: 500 }
    )
  })

  it("gives the same result through the deferred walk for values with cycles and shared references", () => {
    // a JSON tree, then links added between its containers: to an ancestor (a cycle), to
    // another branch (a shared value), or through other links
    const containersOf = (root: unknown): Array<Record<string, unknown> | Array<unknown>> => {
      const out: Array<Record<string, unknown> | Array<unknown>> = []
      const visit = (v: unknown) => {
        if (typeof v !== "object" || v === null) return
        out.push(v as Record<string, unknown>)
        for (const x of Object.values(v)) visit(x)
      }
      visit(root)
      return out
    }
    const graph = fc.tuple(anyJson, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 })).map(([value, links]) => {
      const root = { value, token: "tok" }
      const nodes = containersOf(root)
      links.forEach(([from, to], k) => {
        const a = nodes[from % nodes.length]!
        const b = nodes[to % nodes.length]!
        if (Array.isArray(a)) a.push(b)
        else a[`link${k}`] = b
      })
      return root
    })
    fc.assert(
      fc.property(graph, (value) => {
        const reference = JSON.stringify(walk(value, DEFAULT_COMPILED, undefined))
        for (const limit of [0, 1, 2])
          expect(JSON.stringify(walk(value, DEFAULT_COMPILED, undefined, limit))).toBe(reference)
      }),
      { numRuns: 500 }
    )
  })

  it("masks the corpus positives wherever they are nested", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POSITIVES),
        fc.constantFrom("cmd", "body", "notes"),
        fc.nat(3),
        (c, key, depth) => {
          let value: unknown = c.input
          for (let i = 0; i < depth; i++) value = { [key]: [value] }
          const out = JSON.stringify(maskSecrets(value))
          for (const s of c.secrets) expect(out).not.toContain(JSON.stringify(s).slice(1, -1))
        }
      ),
      { numRuns: 300 }
    )
  })
})
