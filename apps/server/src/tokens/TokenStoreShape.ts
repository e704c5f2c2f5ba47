/**
 * The API tokens' service shape, its errors, and its logic over a table of either dialect
 * (`makeWith`): TokenStore.ts binds it to SQLite or PostgreSQL. The table is declared with drizzle
 * in `packages/store/src/schema/apiTokens.ts` (and `pgSchema/apiTokens.ts`).
 */
import type { schema, StorageError } from "@cratos/store"
import { Clock, Data, Effect } from "effect"
import type { Principal } from "./Principal.js"
import type { Scope } from "./Scope.js"
import { generateToken, hashToken, matches, tokenId } from "./TokenSecret.js"

export interface TokenInfo {
  readonly name: string
  readonly scopes: ReadonlyArray<Scope>
  readonly user: string | null
  readonly created_at: string
}

export class TokenNameTaken extends Data.TaggedError("TokenNameTaken")<{ readonly name: string }> {
  override get message() {
    return `a token named ${JSON.stringify(this.name)} exists already (revoke it first)`
  }
}

export class TokenNotFound extends Data.TaggedError("TokenNotFound")<{ readonly name: string }> {
  override get message() {
    return `no token named ${JSON.stringify(this.name)}`
  }
}

export interface TokenStoreShape {
  /** Stores a new token; returns its text (the only time it exists outside the caller). */
  readonly create: (input: {
    readonly name: string
    readonly scopes: ReadonlyArray<Scope>
    readonly user: string | null
  }) => Effect.Effect<{ readonly token: string; readonly info: TokenInfo }, TokenNameTaken | StorageError>
  readonly list: Effect.Effect<ReadonlyArray<TokenInfo>, StorageError>
  readonly revoke: (name: string) => Effect.Effect<void, TokenNotFound | StorageError>
  /** The principal of a presented token, or null when it is not a live token. */
  readonly verify: (text: string) => Effect.Effect<Principal | null, StorageError>
  /** The principal of a token id (sessions hold ids), or null once revoked. */
  readonly byId: (id: string) => Effect.Effect<Principal | null, StorageError>
}

export type Row = typeof schema.apiTokens.$inferSelect

export const COLUMNS = "id, name, hash, scopes, user_id AS userId, created_at AS createdAt"

const scopesOf = (row: Row): ReadonlyArray<Scope> => row.scopes.split(",").filter((s) => s.length > 0) as Array<Scope>

const principalOf = (row: Row): Principal => ({
  tokenId: row.id,
  name: row.name,
  scopes: scopesOf(row),
  userId: row.userId
})

const infoOf = (row: Row): TokenInfo => ({
  name: row.name,
  scopes: scopesOf(row),
  user: row.userId,
  created_at: row.createdAt
})

/** The `api_tokens` table's statements on one database (SQLite below; PostgreSQL in PostgresTokenStore.ts). */
export interface TokenTable {
  readonly byId: (id: string) => Effect.Effect<Row | undefined, StorageError>
  readonly all: Effect.Effect<ReadonlyArray<Row>, StorageError>
  /** false when the name is taken. */
  readonly insert: (row: Row) => Effect.Effect<boolean, StorageError>
  /** false when there was no such name. */
  readonly remove: (name: string) => Effect.Effect<boolean, StorageError>
}

/** The service over a token table (either dialect). */
export const makeWith = (sql: TokenTable): TokenStoreShape => ({
  create: ({ name, scopes, user }) =>
    Effect.gen(function* () {
      const now = new Date(yield* Clock.currentTimeMillis).toISOString()
      const secret = generateToken()
      const row: Row = {
        id: secret.id,
        name,
        hash: hashToken(secret.text),
        scopes: scopes.join(","),
        userId: user,
        createdAt: now
      }
      if (!(yield* sql.insert(row))) return yield* Effect.fail(new TokenNameTaken({ name }))
      return { token: secret.text, info: infoOf(row) }
    }),
  list: Effect.map(sql.all, (rows) => rows.map(infoOf)),
  revoke: (name) =>
    Effect.flatMap(sql.remove(name), (removed) => (removed ? Effect.void : Effect.fail(new TokenNotFound({ name })))),
  verify: (text) => {
    const id = tokenId(text)
    if (id === undefined) return Effect.succeed(null)
    return Effect.map(sql.byId(id), (row) => (row !== undefined && matches(text, row.hash) ? principalOf(row) : null))
  },
  byId: (id) => Effect.map(sql.byId(id), (row) => (row === undefined ? null : principalOf(row)))
})
