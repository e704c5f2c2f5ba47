/**
 * `cratos token create|list|revoke`: the logic, over the TokenStore; the CLI declares the
 * commands and prints what these return. `create` returns the token alone (for stdout, once).
 */
import { Data, Effect } from "effect"
import { parseScopes, type Scope } from "./Scope.js"
import { type TokenInfo, TokenStore } from "./TokenStore.js"

export class InvalidTokenArgs extends Data.TaggedError("InvalidTokenArgs")<{ readonly reason: string }> {
  override get message() {
    return this.reason
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export const createToken = (input: {
  readonly name: string
  readonly scopes: string
  readonly user?: string | undefined
}) =>
  Effect.gen(function* () {
    if (!NAME.test(input.name)) {
      return yield* Effect.fail(new InvalidTokenArgs({ reason: "--name: 1 to 64 letters, digits, '.', '_' or '-'" }))
    }
    const { scopes, unknown } = parseScopes(input.scopes)
    if (unknown.length > 0 || scopes.length === 0) {
      return yield* Effect.fail(
        new InvalidTokenArgs({ reason: "--scopes: a comma-separated list of read, ingest, approve, reveal" })
      )
    }
    if (input.user !== undefined && input.user.length === 0) {
      return yield* Effect.fail(new InvalidTokenArgs({ reason: "--user: must not be empty" }))
    }
    const created = yield* (yield* TokenStore).create({ name: input.name, scopes, user: input.user ?? null })
    return created.token
  })

export const tokenLines = (tokens: ReadonlyArray<TokenInfo>): ReadonlyArray<string> => {
  if (tokens.length === 0) return ["(no tokens)"]
  const rows = tokens.map((t) => [t.name, t.scopes.join(","), t.user ?? "-", t.created_at])
  const header = ["NAME", "SCOPES", "USER", "CREATED (UTC)"]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()
  return [line(header), ...rows.map(line)]
}

export const listTokens = (json: boolean) =>
  Effect.map(TokenStore, (s) => s).pipe(
    Effect.flatMap((s) => s.list),
    Effect.map((tokens) => (json ? [JSON.stringify(tokens, null, 2)] : tokenLines(tokens)))
  )

export const revokeToken = (name: string) => Effect.flatMap(TokenStore, (s) => s.revoke(name))

export type { Scope }
