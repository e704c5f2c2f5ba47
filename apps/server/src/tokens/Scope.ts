/**
 * What a token may do: `read` executions, `ingest` (record) them, `approve` pending approvals,
 * `reveal` raw content (`?reveal=true`; issue 14: without it every raw field is masked).
 */
import { Schema } from "effect"

export const Scope = Schema.Literal("read", "ingest", "approve", "reveal").annotations({ identifier: "Scope" })
export type Scope = typeof Scope.Type

export const ALL_SCOPES: ReadonlyArray<Scope> = Scope.literals

/** Parses `read,ingest` (order and repeats do not matter); the unknown names, when any. */
export const parseScopes = (
  text: string
): { readonly scopes: ReadonlyArray<Scope>; readonly unknown: ReadonlyArray<string> } => {
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  const scopes = ALL_SCOPES.filter((s) => names.includes(s))
  return { scopes, unknown: names.filter((n) => !(ALL_SCOPES as ReadonlyArray<string>).includes(n)) }
}
