/**
 * Decode errors for people, without echoing the value that failed: a wrong field may hold a
 * secret, a megabyte string or a 10,000-deep structure, and none of them belongs in a message.
 * The path says where, the reason says what was expected and what kind of value came instead.
 */
import type { ParseResult } from "effect"
import * as AST from "effect/SchemaAST"

const formatPath = (path: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`
    else out += out === "" ? String(key) : `.${String(key)}`
  }
  return out
}

/** A short, safe description of a value: its kind, and its text only when it is a short name. */
export const describeValue = (value: unknown): string => {
  if (value === null) return "null"
  if (value === undefined) return "nothing"
  if (typeof value === "string") {
    return /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(value)
      ? JSON.stringify(value)
      : `a string of ${value.length} characters`
  }
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "a non-finite number"
  if (typeof value === "boolean") return String(value)
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (typeof value === "object") return "an object"
  return `a ${typeof value}`
}

/** What an AST node expects, from its description or identifier annotation, else its shape. */
const expected = (ast: AST.AST): string => {
  const description = AST.getDescriptionAnnotation(ast)
  if (description._tag === "Some") return description.value
  const identifier = AST.getIdentifierAnnotation(ast)
  if (identifier._tag === "Some") return identifier.value
  try {
    const text = String(ast)
    return text.length > 300 ? text.slice(0, 300) + "…" : text
  } catch {
    return ast._tag
  }
}

/** The first leaf of an issue tree as `{ path, reason }`. Iterative: any depth. */
export const firstIssue = (root: ParseResult.ParseIssue): { readonly path: string; readonly reason: string } => {
  const path: Array<PropertyKey> = []
  let issue: ParseResult.ParseIssue = root
  for (;;) {
    switch (issue._tag) {
      case "Pointer":
        path.push(...(Array.isArray(issue.path) ? issue.path : [issue.path]))
        issue = issue.issue
        continue
      case "Composite":
        issue = Array.isArray(issue.issues) ? issue.issues[0]! : (issue.issues as ParseResult.ParseIssue)
        continue
      case "Refinement":
        if (issue.kind === "From") {
          issue = issue.issue
          continue
        }
        return {
          path: formatPath(path),
          reason: `expected ${expected(issue.ast)}, got ${describeValue(issue.actual)}`
        }
      case "Transformation":
        issue = issue.issue
        continue
      case "Type":
        return {
          path: formatPath(path),
          reason: issue.message ?? `expected ${expected(issue.ast)}, got ${describeValue(issue.actual)}`
        }
      case "Missing":
        return { path: formatPath(path), reason: "is missing" }
      case "Unexpected":
        return { path: formatPath(path), reason: "is not allowed here" }
      case "Forbidden":
        return { path: formatPath(path), reason: issue.message ?? "cannot be decoded synchronously" }
    }
  }
}
