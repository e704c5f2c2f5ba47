/**
 * Random mutations of JSON documents, for property tests of a fast path that must answer exactly
 * as the full decoder does, or not at all: the store's canonical event check (CanonicalDecode.test.ts)
 * and the server's canonical ingest bodies (apps/server CanonicalBodies.test.ts). Test code only
 * (it needs fast-check); exported as `@cratos/store/testing`.
 */
import fc from "fast-check"

export type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }

/**
 * A JSON object, not a value built in code that happens to be an object (a Date): mutations look
 * inside plain objects only. A key added to a Date is not kept by structuredClone, so walking into
 * one made the harness itself fail (seed 1930528264).
 */
export const isPlainObject = (v: unknown): v is Record<string, Json> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype

/** Every path to a value inside a JSON document. */
export const paths = (v: Json, prefix: Array<string | number> = []): Array<Array<string | number>> => {
  const out: Array<Array<string | number>> = [prefix]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])))
  else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]))
  return out
}

/** Values that sit on an edge of some field's rules (numbers, timestamps, ids, enum spellings). */
export const tricky: ReadonlyArray<Json> = [
  null,
  true,
  0,
  -1,
  1.5,
  4294967295,
  4294967296,
  9007199254740991,
  "",
  "x",
  [],
  {},
  [1, "a"],
  { a: null },
  "2025-11-26T10:10:37.250Z",
  "2025-11-26T10:10:37.250+00:00",
  "2025-11-26T10:10:37.2500Z",
  "2025-11-26t10:10:37z",
  "2025-11-26T10:10:37Z",
  "2025-11-26 10:10:37Z",
  "2025-02-30T10:10:37Z",
  "5f0e0000-0000-4000-8000-000000000001",
  "5F0E0000-0000-4000-8000-000000000001",
  "5f0e0000000040008000000000000001",
  "cli",
  "CLI",
  "Read",
  "Destructive",
  "read",
  "Network",
  "image",
  "ToolInvoked",
  "MessageReceived"
]

export type Mutation =
  | { readonly op: "set"; readonly at: number; readonly value: Json }
  | { readonly op: "delete"; readonly at: number }
  | { readonly op: "reverse"; readonly at: number }
  | { readonly op: "extra"; readonly at: number; readonly value: Json }

/** One mutation of a document: a value set, a key or item deleted, an object's keys reversed, a key added. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    op: fc.constant("set" as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(...tricky), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>)
  }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("reverse" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("extra" as const), at: fc.nat(), value: fc.constantFrom(...tricky) })
)

/** `doc` with `m` applied at the path `m.at` picks (a copy; `doc` is not changed). */
export const applyMutation = (doc: Json, m: Mutation): Json => {
  const all = paths(doc)
  const path = all[m.at % all.length]!
  const root = structuredClone(doc)
  if (path.length === 0) return m.op === "set" ? m.value : root
  let parent: any = root
  for (const k of path.slice(0, -1)) parent = parent[k]
  const key = path[path.length - 1]!
  const target = parent[key]
  switch (m.op) {
    case "set":
      parent[key] = m.value
      break
    case "delete":
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else delete parent[key]
      break
    case "reverse":
      if (isPlainObject(target)) {
        parent[key] = Object.fromEntries(Object.entries(target).reverse())
      }
      break
    case "extra":
      if (isPlainObject(target)) target["zz_extra"] = m.value
      break
  }
  return root
}
