/**
 * The API tokens (`api_tokens`): create, list, revoke, and verify a presented token. Built on the
 * store's `Database` connection (prepared statements; the table is declared with drizzle in
 * `packages/store/src/schema/apiTokens.ts`); a secret is shown once at creation
 * and never stored (its SHA-256 is).
 */
import { Database, type schema, type StorageError, toStorageError } from "@cratos/store"
import { Clock, Context, Data, Effect, Layer } from "effect"
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

type Row = typeof schema.apiTokens.$inferSelect

const COLUMNS = "id, name, hash, scopes, user_id AS userId, created_at AS createdAt"

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

export class TokenStore extends Context.Tag("@cratos/server/TokenStore")<TokenStore, TokenStoreShape>() {
  static readonly make: Effect.Effect<TokenStoreShape, StorageError, Database> = Effect.gen(function* () {
    const database = yield* Database
    const attempt = <A>(operation: string, f: () => A) =>
      Effect.try({ try: f, catch: (e) => toStorageError(operation, database.path, e) })
    const db = database.connection
    const sql = yield* attempt("TokenStore.prepare", () => ({
      byId: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`),
      all: db.prepare<[], Row>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY name`),
      insert: db.prepare(
        "INSERT INTO api_tokens (id, name, hash, scopes, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING"
      ),
      remove: db.prepare("DELETE FROM api_tokens WHERE name = ?")
    }))

    return {
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
          const inserted = yield* attempt("TokenStore.create", () =>
            sql.insert.run(row.id, row.name, row.hash, row.scopes, row.userId, row.createdAt)
          )
          if (inserted.changes === 0) return yield* Effect.fail(new TokenNameTaken({ name }))
          return { token: secret.text, info: infoOf(row) }
        }),
      list: attempt("TokenStore.list", () => sql.all.all().map(infoOf)),
      revoke: (name) =>
        attempt("TokenStore.revoke", () => sql.remove.run(name)).pipe(
          Effect.flatMap((r) => (r.changes === 0 ? Effect.fail(new TokenNotFound({ name })) : Effect.void))
        ),
      verify: (text) => {
        const id = tokenId(text)
        if (id === undefined) return Effect.succeed(null)
        return attempt("TokenStore.verify", () => sql.byId.get(id)).pipe(
          Effect.map((row) => (row !== undefined && matches(text, row.hash) ? principalOf(row) : null))
        )
      },
      byId: (id) =>
        attempt("TokenStore.byId", () => sql.byId.get(id)).pipe(
          Effect.map((row) => (row === undefined ? null : principalOf(row)))
        )
    }
  })

  static readonly layer: Layer.Layer<TokenStore, StorageError, Database> = Layer.effect(TokenStore, TokenStore.make)
}
