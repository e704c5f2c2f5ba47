/**
 * The API tokens (`api_tokens`): create, list, revoke, and verify a presented token, on SQLite (the
 * store's `Database` connection, prepared statements) or PostgreSQL (PostgresTokenStore.ts); the
 * logic over either table is TokenStoreShape.ts's `makeWith`. A secret is shown once at creation
 * and never stored (its SHA-256 is).
 */
import { Database, type PostgresDatabase, type StorageError, toStorageError } from "@cratos/store"
import { Context, Effect, Layer } from "effect"
import { COLUMNS, makeWith, type Row, type TokenStoreShape } from "./TokenStoreShape.js"

export {
  makeWith,
  type TokenInfo,
  TokenNameTaken,
  TokenNotFound,
  type TokenStoreShape,
  type TokenTable
} from "./TokenStoreShape.js"

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
    return makeWith({
      byId: (id) => attempt("TokenStore.byId", () => sql.byId.get(id)),
      all: attempt("TokenStore.list", () => sql.all.all()),
      insert: (row) =>
        attempt(
          "TokenStore.create",
          () => sql.insert.run(row.id, row.name, row.hash, row.scopes, row.userId, row.createdAt).changes > 0
        ),
      remove: (name) => attempt("TokenStore.revoke", () => sql.remove.run(name).changes > 0)
    })
  })

  static readonly layer: Layer.Layer<TokenStore, StorageError, Database> = Layer.effect(TokenStore, TokenStore.make)

  /** On PostgreSQL (the store's pool; its module loaded on first use). */
  static readonly layerPostgres: Layer.Layer<TokenStore, never, PostgresDatabase> = Layer.effect(
    TokenStore,
    Effect.flatMap(
      Effect.promise(() => import("./PostgresTokenStore.js")),
      (m) => m.make
    )
  )
}
