import { ExecutionEvent } from "@cratos/domain"
import { describe, expect, it } from "@effect/vitest"
import { Schema, type SchemaAST } from "effect"
import { astAssumptions, canonicalCheck } from "./CanonicalCheck.js"

const withAst = (ast: unknown) => Schema.make(ast as SchemaAST.AST)

describe("canonicalCheck's assumptions about Effect's SchemaAST", () => {
  it("every node of the event schema has the shape the compiler reads", () => {
    const problems = astAssumptions(ExecutionEvent)
    // On failure this lists each node and what changed: update CanonicalCheck.ts for the new AST.
    expect(problems, `SchemaAST changed under CanonicalCheck.ts:\n${problems.join("\n")}`).toEqual([])
  })

  it("names the node and what changed when a shape is not the one it knows", () => {
    const refinement = Schema.String.pipe(Schema.minLength(1)).ast as SchemaAST.Refinement
    expect(astAssumptions(withAst({ ...Schema.String.ast, _tag: "StringType" }))).toEqual([
      "root: AST node kind StringType is one the compiler does not know"
    ])
    expect(
      astAssumptions(withAst({ ...refinement, _tag: "Refinement", from: refinement.from, filter: undefined }))
    ).toEqual(["root: Refinement has no `filter(u, options, ast)`"])
    const struct = Schema.Struct({ path: Schema.String }).ast
    expect(
      astAssumptions(
        withAst({
          _tag: "TypeLiteral",
          indexSignatures: [],
          fields: (struct as SchemaAST.TypeLiteral).propertySignatures
        })
      )
    ).toEqual(["root: TypeLiteral has no `propertySignatures` array"])
  })
})

describe("canonicalCheck", () => {
  it("says yes only to values the schema gives back unchanged, key for key", () => {
    const check = canonicalCheck(Schema.Struct({ a: Schema.String, n: Schema.Number.pipe(Schema.int()) }))
    expect(check({ a: "x", n: 1 })).toBe(true)
    expect(check({ n: 1, a: "x" })).toBe(false)
    expect(check({ a: "x", n: 1, extra: true })).toBe(false)
    expect(check({ a: "x", n: 1.5 })).toBe(false)
  })

  it("says no (the full decoder runs) to AST it does not know", () => {
    expect(canonicalCheck(withAst({ ...Schema.String.ast, _tag: "StringType" }))("x")).toBe(false)
  })
})
