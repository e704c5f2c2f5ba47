/**
 * Fuzzing the event decoder with mutations of the serde fixtures: whatever the input, the
 * decoder answers with a typed error or a valid event — never a throw, a hang, or a value that
 * differs from the input in a way serde would not also make.
 */
import { decodeEventJson, encodeEvent, Timestamp, Uuid } from "@cratos/domain"
import { Either } from "effect"
import fc from "fast-check"
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { sameJson } from "../support/sameJson.js"

const FIXTURES = new URL("../fixtures/serde/", import.meta.url)
const fixtures: ReadonlyArray<unknown> = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(new URL(f, FIXTURES), "utf8")))

/** Whether the field at `path` holds free-form JSON (kept exactly, every key). */
const isFreeForm = (path: Path): boolean => {
  const key = path[path.length - 1]
  const parent = path[path.length - 2]
  return (
    key === "input" ||
    key === "input_masked" ||
    (key === "output" && (parent === "output" || parent === "output_masked"))
  )
}
/** Fields serde normalises (chrono and uuid write canonical forms). */
const NORMALISED: Record<string, (s: string) => Either.Either<string, string>> = {
  timestamp: Timestamp.parseTimestamp,
  expires_at: Timestamp.parseTimestamp,
  id: Uuid.parseUuid
}

type Path = ReadonlyArray<string | number>

/**
 * The oracle: a decoded event, encoded again, must equal the input except where serde itself
 * changes it (unknown fields dropped, missing options written as null, canonical timestamps
 * and UUIDs). Returns the first difference, or undefined.
 */
const difference = (encoded: unknown, input: unknown, path: Path, freeForm: boolean): string | undefined => {
  const here = path.join(".")
  if (freeForm) return sameJson(encoded, input) ? undefined : `${here} changed`
  if (Array.isArray(encoded)) {
    if (!Array.isArray(input) || input.length !== encoded.length) return `${here} array changed`
    for (let i = 0; i < encoded.length; i++) {
      const d = difference(encoded[i], input[i], [...path, i], false)
      if (d) return d
    }
    return undefined
  }
  if (typeof encoded === "object" && encoded !== null) {
    if (typeof input !== "object" || input === null || Array.isArray(input)) return `${here} object changed`
    for (const [k, v] of Object.entries(encoded)) {
      if (!Object.prototype.hasOwnProperty.call(input, k)) {
        if (v !== null) return `${here}.${k} appeared`
        continue
      }
      const d = difference(v, (input as Record<string, unknown>)[k], [...path, k], isFreeForm([...path, k]))
      if (d) return d
    }
    return undefined
  }
  const key = path[path.length - 1]
  if (typeof encoded === "string" && typeof input === "string" && typeof key === "string" && key in NORMALISED) {
    return Either.getOrUndefined(NORMALISED[key]!(input)) === encoded ? undefined : `${here} normalised wrongly`
  }
  return Object.is(encoded, input)
    ? undefined
    : `${here} changed from ${String(input).slice(0, 40)} to ${String(encoded).slice(0, 40)}`
}

/** Every path to a value inside a JSON document. */
const paths = (value: unknown, prefix: Path = []): Array<Path> => {
  const out: Array<Path> = [prefix]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])))
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]))
  return out
}

const clone = <A>(a: A): A => structuredClone(a)
const setAt = (root: unknown, path: Path, f: (parent: any, key: string | number) => void): unknown => {
  if (path.length === 0) return root
  let parent: any = root
  for (const k of path.slice(0, -1)) parent = parent[k]
  f(parent, path[path.length - 1]!)
  return root
}

/** Deep nesting is written as text: JSON.stringify itself overflows the stack on it. */
const DEEP = /\{"__deep":(\d+)\}/g
const deepText = (depth: number): string => {
  let open = ""
  let close = ""
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '{"a":' : "["
    close = (i % 2 ? "}" : "]") + close
  }
  return open + '"bottom"' + close
}
const withDeep = (text: string): string => text.replace(DEEP, (_, n) => deepText(Number(n)))

const hostile = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    -1,
    1.5,
    2 ** 32,
    2 ** 53,
    -(2 ** 53),
    1e308,
    "",
    "x".repeat(1 << 20),
    "\ud800",
    "a\udfffb",
    [],
    {},
    { type: "Nope" },
    "2025-11-26T10:10:37Z",
    "Read",
    "__proto__"
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 100, max: 12_000 }).map((n) => ({ __deep: n }))
)

/** A mutation of a fixture, as a JSON document or as raw text. */
const mutation: fc.Arbitrary<{ kind: string; text: string }> = fc
  .tuple(fc.constantFrom(...fixtures), fc.nat(), hostile, fc.nat(), fc.integer({ min: 0, max: 7 }))
  .map(([fixture, pick, value, pos, op]) => {
    const m = mutate(fixture, pick, value, pos, op)
    return { kind: m.kind, text: withDeep(m.text) }
  })

const mutate = (
  fixture: unknown,
  pick: number,
  value: unknown,
  pos: number,
  op: number
): { kind: string; text: string } => {
  {
    const doc = clone(fixture)
    const all = paths(doc).filter((p) => p.length > 0)
    const path = all[pick % all.length]!
    switch (op) {
      case 0:
        return {
          kind: "drop",
          text: JSON.stringify(setAt(doc, path, (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k])))
        }
      case 1:
        return { kind: "replace", text: JSON.stringify(setAt(doc, path, (p, k) => (p[k] = value))) }
      case 2:
        return { kind: "unknown-type", text: JSON.stringify({ ...(doc as object), type: `X${pick}` }) }
      case 3: {
        const text = JSON.stringify(doc)
        return { kind: "truncate", text: text.slice(0, pos % text.length) }
      }
      case 4: {
        const text = JSON.stringify(doc)
        const i = pos % text.length
        return {
          kind: "flip",
          text:
            text.slice(0, i) + String.fromCharCode((text.charCodeAt(i) + 1 + (pick % 90)) % 0xffff) + text.slice(i + 1)
        }
      }
      case 5: {
        // numbers out of range, as text (JSON.stringify cannot write them)
        const big = ["18446744073709551616", "9007199254740993", "-1", "1e400", "-1e999", "4294967296", "0.5"][
          pick % 7
        ]!
        const text = JSON.stringify(setAt(doc, path, (p, k) => (p[k] = "__NUM__")))
        return { kind: "number", text: text.replace('"__NUM__"', big) }
      }
      case 6:
        return {
          kind: "lone-surrogate-escape",
          text: JSON.stringify(setAt(doc, path, (p, k) => (p[k] = "a\\ud800b"))).replace("a\\\\ud800b", "a\\ud800b")
        }
      default:
        return {
          kind: "add-field",
          text: JSON.stringify(
            setAt(doc, path, (p, k) =>
              typeof p === "object" && !Array.isArray(p) ? (p[`${String(k)}_extra`] = value) : p.push(value)
            )
          )
        }
    }
  }
}

describe("decoder fuzz", () => {
  it("answers every mutation of the fixtures with a typed error or a faithful event", () => {
    const counts = { inputs: 0, decoded: 0, rejected: 0 }
    fc.assert(
      fc.property(mutation, ({ text }) => {
        counts.inputs++
        const result = decodeEventJson(text) // must not throw
        if (Either.isLeft(result)) {
          counts.rejected++
          expect(result.left._tag).toBe("EventDecodeError")
          expect(result.left.message.length).toBeGreaterThan(0)
          return
        }
        counts.decoded++
        const encoded = Either.getOrThrow(encodeEvent(result.right))
        expect(difference(encoded, JSON.parse(text), [], false)).toBeUndefined()
      }),
      { numRuns: 5_000, seed: 20261126 }
    )
    console.log(
      `decoder fuzz: ${counts.inputs} inputs, ${counts.decoded} decoded faithfully, ${counts.rejected} rejected with a typed error`
    )
    expect(counts.decoded).toBeGreaterThan(100)
    expect(counts.rejected).toBeGreaterThan(1_000)
  }, 120_000)
})
