/**
 * The canonical check, compiled from a schema's AST: `canonicalCheck(schema, direction)` answers,
 * cheaply, "would decoding (or encoding) this value succeed and give back exactly this value?".
 * This is the one file that reads Effect's `SchemaAST` (internals that the next Effect major
 * rewrites); everything else sees only `canonicalCheck` and `CanonicalCheck`. If the AST changes,
 * `CanonicalCheck.test.ts` names what changed (`astAssumptions`), and the fixtures stop taking the
 * fast path (a failing test, not silent slowness). A check that always answers "no" is always
 * correct: every value then goes to the domain's full decoder, only slower.
 *
 * The check uses the schema's own pieces wherever it can: refinements run their filters,
 * `Schema.declare` guards and `transformOrFail` decoders run as declared (a Timestamp is
 * canonical when decoding returns the very same string). Anything it does not know how to
 * check exactly (suspended or parametric schemas, index signatures, other transformations)
 * compiles to "no", which sends those values to the full decoder.
 */
import { Either, Option, type Schema, SchemaAST as AST } from "effect"

/** Answers "does running the schema on this value succeed and give back this very value?" */
export type CanonicalCheck = (u: unknown) => boolean
type Check = CanonicalCheck

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

const isPlainArray = (u: unknown): u is Array<unknown> =>
  Array.isArray(u) && Object.getPrototypeOf(u) === Array.prototype

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
 * Compiles a schema into its canonical check: decoding (or encoding) a value that passes
 * succeeds and gives back an object equal to the value, with the same keys in the same order.
 */
export const canonicalCheck = (schema: Schema.Schema.AnyNoContext, direction: Direction = "decode"): Check => {
  const root = schema.ast
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
        return {
          exact: from.exact,
          kinds: from.kinds,
          check: (u) => from.check(u) && Option.isNone(ast.filter(u, OPTIONS, ast))
        }
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

/**
 * What the compiler assumes about Effect's SchemaAST, checked on a schema's whole tree: each
 * broken assumption is one line naming the node (by its path from the root) and what changed.
 * Empty when every node of the schema has the shape `canonicalCheck` reads.
 */
export const astAssumptions = (schema: Schema.Schema.AnyNoContext): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const seen = new Set<unknown>()
  const isFn = (v: unknown) => typeof v === "function"
  const expect = (ok: boolean, at: string, what: string) => {
    if (!ok) problems.push(`${at}: ${what}`)
  }
  for (const guard of ["isTypeLiteral", "isTransformation", "isLiteral"] as const) {
    expect(isFn(AST[guard]), "SchemaAST", `${guard} is no longer a function`)
  }
  const visit = (node: AST.AST, at: string): void => {
    if (seen.has(node)) return
    seen.add(node)
    const n = node as unknown as Record<string, any>
    switch (node._tag) {
      case "Literal":
        expect("literal" in n, at, "Literal has no `literal`")
        return
      case "StringKeyword":
      case "NumberKeyword":
      case "BooleanKeyword":
      case "UnknownKeyword":
      case "AnyKeyword":
        return
      case "Declaration":
        expect(Array.isArray(n.typeParameters), at, "Declaration has no `typeParameters` array")
        expect(isFn(n.decodeUnknown) && isFn(n.encodeUnknown), at, "Declaration has no decodeUnknown()/encodeUnknown()")
        if (isFn(n.decodeUnknown) && Array.isArray(n.typeParameters) && n.typeParameters.length === 0) {
          expect(isFn(n.decodeUnknown()), at, "Declaration.decodeUnknown() no longer returns a parse function")
        }
        return
      case "Refinement":
        expect(isFn(n.filter) && n.filter.length >= 1, at, "Refinement has no `filter(u, options, ast)`")
        visit(node.from, `${at}.from`)
        return
      case "TupleType":
        expect(Array.isArray(n.elements) && Array.isArray(n.rest), at, "TupleType has no `elements`/`rest` arrays")
        for (const [i, r] of (n.rest ?? []).entries()) {
          expect(r?.type !== undefined, `${at}.rest[${i}]`, "a rest element has no `type`")
          if (r?.type !== undefined) visit(r.type, `${at}.rest[${i}]`)
        }
        return
      case "TypeLiteral":
        expect(Array.isArray(n.indexSignatures), at, "TypeLiteral has no `indexSignatures` array")
        expect(Array.isArray(n.propertySignatures), at, "TypeLiteral has no `propertySignatures` array")
        for (const p of n.propertySignatures ?? []) {
          const name = `${at}.${String(p?.name)}`
          expect(typeof p?.isOptional === "boolean", name, "a property signature has no boolean `isOptional`")
          expect(p?.type !== undefined, name, "a property signature has no `type`")
          if (p?.type !== undefined) visit(p.type, name)
        }
        return
      case "Union":
        expect(Array.isArray(n.types), at, "Union has no `types` array")
        for (const [i, t] of (n.types ?? []).entries()) visit(t, `${at}|${i}`)
        return
      case "Transformation": {
        const t = n.transformation
        if (t?._tag === "FinalTransformation") {
          expect(isFn(t.decode) && isFn(t.encode), at, "FinalTransformation has no decode/encode")
        } else if (t?._tag === "TypeLiteralTransformation") {
          expect(Array.isArray(t.propertySignatureTransformations), at, "no `propertySignatureTransformations`")
          for (const p of t.propertySignatureTransformations ?? []) {
            const ok = "from" in p && "to" in p && isFn(p.decode) && isFn(p.encode)
            expect(ok, `${at}.${String(p?.from)}`, "a property transformation has no from/to/decode/encode")
          }
        } else {
          expect(false, at, `unknown transformation kind ${String(t?._tag)} (the compiler knows Final and TypeLiteral)`)
        }
        visit(node.from, `${at}.from`)
        visit(node.to, `${at}.to`)
        return
      }
      default:
        expect(false, at, `AST node kind ${String(n._tag)} is one the compiler does not know`)
    }
  }
  visit(schema.ast, "root")
  return problems
}
