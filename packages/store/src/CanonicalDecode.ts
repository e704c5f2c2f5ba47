/**
 * Fast paths for decoding stored events and encoding new ones, with the domain's codec as the
 * reference. (Encoding is the mirror image of what follows: an event built in the schema's key
 * order, with nothing to transform, is its own wire object.)
 *
 * `decodeEventJson` runs the full schema decoder, 3–5× the cost of JSON.parse. But almost every
 * stored row is already canonical: written by `encodeEventJson` (or by serde, which writes the
 * same bytes), so decoding it returns an object equal to the parsed JSON, key for key and in
 * the same order. `canonicalCheck` is compiled from the schema's AST and answers, cheaply,
 * "would decoding this parsed value succeed and give back exactly this value?". When it says
 * yes, the parsed value is the decoded event; when it says no (a non-canonical timestamp, a
 * missing optional field, an extra key, an invalid value), the domain's decoder runs and its
 * result (event or error) is the answer. So the fast path can only be slower, never different:
 * a property test compares both on mutated fixtures.
 *
 * The check uses the schema's own pieces wherever it can: refinements run their filters,
 * `Schema.declare` guards and `transformOrFail` decoders run as declared (a Timestamp is
 * canonical when decoding returns the very same string). Anything it does not know how to
 * check exactly (suspended or parametric schemas, index signatures, other transformations)
 * compiles to "no", which sends those values to the full decoder.
 */
import {
  decodeEventJson,
  type EventDecodeError,
  type EventEncodeError,
  encodeEventJson,
  ExecutionEvent,
  parseJson,
  stringifyJson
} from "@cratos/domain"
import { Either, Option, SchemaAST as AST } from "effect"

type Check = (u: unknown) => boolean

/** Which way the schema runs: decoding wire objects, or encoding events into them. */
export type Direction = "decode" | "encode"

interface Compiled {
  readonly check: Check
  /** `check(u)` is false only when decoding u fails (never when it succeeds with another value). */
  readonly exact: boolean
  /** The JavaScript kinds of value decoding can accept: a union of disjoint kinds dispatches on it. */
  readonly kinds: ReadonlySet<Kind> | "any"
}

type Kind = "string" | "number" | "boolean" | "null" | "object" | "array"

const NO: Compiled = { check: () => false, exact: false, kinds: "any" }
const OPTIONS: AST.ParseOptions = {}

const kindOf = (u: unknown): Kind | undefined => {
  switch (typeof u) {
    case "string":
      return "string"
    case "number":
      return "number"
    case "boolean":
      return "boolean"
    case "object":
      return u === null ? "null" : Array.isArray(u) ? "array" : "object"
    default:
      return undefined
  }
}

/** A plain object (not an array, not a class instance whose `toJSON` would change its text). */
const isRecord = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

const isPlainArray = (u: unknown): u is Array<unknown> => Array.isArray(u) && Object.getPrototypeOf(u) === Array.prototype

/** Whether a synchronous ParseResult succeeded with exactly `u`. */
const returnsSame = (result: unknown, u: unknown): boolean =>
  Either.isEither(result) && Either.isRight(result) && result.right === u

const hasExactKeys = (u: Record<string, unknown>, names: ReadonlyArray<string>): boolean => {
  const keys = Object.keys(u)
  if (keys.length !== names.length) return false
  for (let i = 0; i < names.length; i++) if (keys[i] !== names[i]) return false
  return true
}

const disjoint = (sets: ReadonlyArray<ReadonlySet<Kind> | "any">): boolean => {
  const seen = new Set<Kind>()
  for (const s of sets) {
    if (s === "any") return false
    for (const k of s) {
      if (seen.has(k)) return false
      seen.add(k)
    }
  }
  return true
}

/** The property that tells a union's struct members apart (a required literal), if there is one. */
const discriminator = (members: ReadonlyArray<AST.AST>): { key: string; byValue: Map<unknown, number> } | undefined => {
  const structOf = (m: AST.AST): AST.TypeLiteral | undefined =>
    AST.isTypeLiteral(m) ? m : AST.isTransformation(m) && AST.isTypeLiteral(m.from) ? m.from : undefined
  const first = structOf(members[0]!)
  if (first === undefined) return undefined
  for (const p of first.propertySignatures) {
    if (typeof p.name !== "string" || p.isOptional || !AST.isLiteral(p.type)) continue
    const byValue = new Map<unknown, number>()
    const ok = members.every((m, i) => {
      const s = structOf(m)
      const q = s?.propertySignatures.find((x) => x.name === p.name)
      if (q === undefined || q.isOptional || !AST.isLiteral(q.type) || byValue.has(q.type.literal)) return false
      byValue.set(q.type.literal, i)
      return true
    })
    if (ok) return { key: p.name, byValue }
  }
  return undefined
}

const compileStruct = (ast: AST.TypeLiteral, go: (ast: AST.AST) => Compiled): Compiled => {
  if (ast.indexSignatures.length > 0) return NO
  const names: Array<string> = []
  const checks: Array<Check> = []
  for (const p of ast.propertySignatures) {
    // An optional property may be absent; keep it simple: such structs take the full decoder.
    if (typeof p.name !== "string" || p.isOptional) return NO
    names.push(p.name)
    checks.push(go(p.type).check)
  }
  return {
    exact: false, // extra keys or another key order decode fine, but to another object
    kinds: new Set<Kind>(["object"]),
    check: (u) => {
      if (!isRecord(u) || !hasExactKeys(u, names)) return false
      for (let i = 0; i < names.length; i++) if (!checks[i]!(u[names[i]!])) return false
      return true
    }
  }
}

/**
 * `Schema.Struct` with `optionalWith(…, { default })` fields: the encoded struct has optional
 * keys, decoding fills them. A value with every key present decodes to itself when each
 * property transformation returns the value it is given.
 */
const compileStructTransformation = (
  ast: AST.Transformation,
  transformation: AST.TypeLiteralTransformation,
  go: (ast: AST.AST) => Compiled,
  direction: Direction
): Compiled => {
  if (!AST.isTypeLiteral(ast.from) || ast.from.indexSignatures.length > 0) return NO
  const byName = new Map<PropertyKey, AST.PropertySignatureTransformation>()
  for (const t of transformation.propertySignatureTransformations) {
    if (t.from !== t.to) return NO
    byName.set(t.from, t)
  }
  const names: Array<string> = []
  const checks: Array<Check> = []
  for (const p of ast.from.propertySignatures) {
    if (typeof p.name !== "string") return NO
    const t = byName.get(p.name)
    if (p.isOptional && t === undefined) return NO
    const inner = go(p.type).check
    names.push(p.name)
    checks.push(
      t === undefined
        ? inner
        : (v) => {
            if (!inner(v)) return false
            const out = direction === "decode" ? t.decode(Option.some(v)) : t.encode(Option.some(v))
            return Option.isSome(out) && out.value === v
          }
    )
  }
  return {
    exact: false,
    kinds: new Set<Kind>(["object"]),
    check: (u) => {
      if (!isRecord(u) || !hasExactKeys(u, names)) return false
      for (let i = 0; i < names.length; i++) if (!checks[i]!(u[names[i]!])) return false
      return true
    }
  }
}

const compileUnion = (ast: AST.Union, go: (ast: AST.AST) => Compiled): Compiled => {
  const members = ast.types.map(go)
  const exact = members.every((m) => m.exact)
  const kinds: ReadonlySet<Kind> | "any" = members.some((m) => m.kinds === "any")
    ? "any"
    : new Set(members.flatMap((m) => [...(m.kinds as ReadonlySet<Kind>)]))
  if (disjoint(members.map((m) => m.kinds))) {
    // At most one member can accept a value of a given kind: it alone decides.
    const byKind = new Map<Kind, Check>()
    members.forEach((m) => {
      for (const k of m.kinds as ReadonlySet<Kind>) byKind.set(k, m.check)
    })
    return {
      exact,
      kinds,
      check: (u) => {
        const k = kindOf(u)
        const c = k === undefined ? undefined : byKind.get(k)
        return c !== undefined && c(u)
      }
    }
  }
  if (exact) {
    // No member turns a value into another: the first that accepts it is the decoder's.
    const checks = members.map((m) => m.check)
    return { exact, kinds, check: (u) => checks.some((c) => c(u)) }
  }
  const d = discriminator(ast.types)
  if (d !== undefined) {
    // Only the member whose literal matches can decode the value.
    const checks = members.map((m) => m.check)
    return {
      exact: false,
      kinds,
      check: (u) => {
        if (!isRecord(u)) return false
        const i = d.byValue.get(u[d.key])
        return i !== undefined && checks[i]!(u)
      }
    }
  }
  return NO
}

/**
 * Compiles a schema AST into its canonical check: decoding (or encoding) a value that passes
 * succeeds and gives back an object equal to the value, with the same keys in the same order.
 */
export const canonicalCheck = (root: AST.AST, direction: Direction = "decode"): Check => {
  const memo = new Map<AST.AST, Compiled>()
  const go = (ast: AST.AST): Compiled => {
    const known = memo.get(ast)
    if (known !== undefined) return known
    const compiled = compile(ast)
    memo.set(ast, compiled)
    return compiled
  }
  const compile = (ast: AST.AST): Compiled => {
    switch (ast._tag) {
      case "Literal": {
        const literal = ast.literal
        const kind = kindOf(literal)
        return kind === undefined ? NO : { exact: true, kinds: new Set([kind]), check: (u) => u === literal }
      }
      case "StringKeyword":
        return { exact: true, kinds: new Set(["string"]), check: (u) => typeof u === "string" }
      case "NumberKeyword":
        return { exact: true, kinds: new Set(["number"]), check: (u) => typeof u === "number" }
      case "BooleanKeyword":
        return { exact: true, kinds: new Set(["boolean"]), check: (u) => typeof u === "boolean" }
      case "UnknownKeyword":
      case "AnyKeyword":
        return { exact: true, kinds: "any", check: () => true }
      case "Declaration": {
        if (ast.typeParameters.length > 0) return NO
        const parse = direction === "decode" ? ast.decodeUnknown() : ast.encodeUnknown()
        return { exact: false, kinds: "any", check: (u) => returnsSame(parse(u, OPTIONS, ast), u) }
      }
      case "Refinement": {
        const from = go(ast.from)
        return { exact: from.exact, kinds: from.kinds, check: (u) => from.check(u) && Option.isNone(ast.filter(u, OPTIONS, ast)) }
      }
      case "TupleType": {
        const rest = ast.rest[0]
        if (ast.elements.length > 0 || ast.rest.length !== 1 || rest === undefined) return NO
        const item = go(rest.type)
        return {
          exact: item.exact,
          kinds: new Set(["array"]),
          check: (u) => {
            if (!isPlainArray(u)) return false
            for (const x of u) if (!item.check(x)) return false
            return true
          }
        }
      }
      case "TypeLiteral":
        return compileStruct(ast, go)
      case "Union":
        return compileUnion(ast, go)
      case "Transformation": {
        const t = ast.transformation
        if (t._tag === "TypeLiteralTransformation") return compileStructTransformation(ast, t, go, direction)
        if (t._tag !== "FinalTransformation") return NO
        const from = go(ast.from)
        const to = go(ast.to)
        return direction === "decode"
          ? {
              exact: false,
              kinds: from.kinds,
              check: (u) => from.check(u) && returnsSame(t.decode(u, OPTIONS, ast, u), u) && to.check(u)
            }
          : {
              exact: false,
              kinds: to.kinds,
              check: (u) => to.check(u) && returnsSame(t.encode(u, OPTIONS, ast, u), u) && from.check(u)
            }
      }
      default:
        return NO
    }
  }
  return go(root).check
}

/** Whether a parsed wire object is an event the schema decodes to itself. */
export const isCanonicalEvent: Check = canonicalCheck(ExecutionEvent.ast, "decode")

/** Whether an event is its own wire object: encoding it gives an equal object, key for key. */
export const isCanonicalWireEvent: Check = canonicalCheck(ExecutionEvent.ast, "encode")

/**
 * `decodeEventJson`, fast for canonical rows: the domain's text checks (`parseJson`: unsafe
 * integers, lone surrogates), then the canonical check, else the domain's full decoder.
 */
export const decodeStoredEventJson = (text: string): Either.Either<ExecutionEvent, EventDecodeError> => {
  const parsed = parseJson(text)
  if (Either.isRight(parsed) && isCanonicalEvent(parsed.right)) return Either.right(parsed.right as ExecutionEvent)
  return decodeEventJson(text)
}

/**
 * `encodeEventJson`, fast for canonical events (built in the schema's key order, as the domain's
 * constructors and decoder build them): the domain's `stringifyJson` of the event itself (which
 * refuses lone surrogates and writes inexact integers as serde does), else the domain's encoder.
 */
export const encodeStoredEventJson = (event: ExecutionEvent): Either.Either<string, EventEncodeError> => {
  if (isCanonicalWireEvent(event)) {
    const text = stringifyJson(event)
    if (Either.isRight(text)) return Either.right(text.right)
  }
  return encodeEventJson(event)
}
