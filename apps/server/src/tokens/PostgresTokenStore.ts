/** The API tokens on PostgreSQL: the same service (TokenStore.ts's `makeWith`) over the same table on the store's pool. */
import { PostgresDatabase, pgStorageError } from "@cratos/store/postgres"
import { Effect } from "effect"
import { COLUMNS as TOKEN_COLUMNS, makeWith, type Row as TokenRow } from "./TokenStoreShape.js"

const COLUMNS = TOKEN_COLUMNS.replace("AS userId", 'AS "userId"').replace("AS createdAt", 'AS "createdAt"')

export const make = Effect.map(PostgresDatabase, ({ pool, location }) => {
  const run = <A>(operation: string, f: () => Promise<A>) =>
    Effect.tryPromise({ try: f, catch: (e) => pgStorageError(operation, location, e) })
  return makeWith({
    byId: (id) =>
      run(
        "TokenStore.byId",
        async () => (await pool.query<TokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [id])).rows[0]
      ),
    all: run(
      "TokenStore.list",
      async () => (await pool.query<TokenRow>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY name`)).rows
    ),
    insert: (row) =>
      run(
        "TokenStore.create",
        async () =>
          ((
            await pool.query(
              "INSERT INTO api_tokens (id, name, hash, scopes, user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING",
              [row.id, row.name, row.hash, row.scopes, row.userId, row.createdAt]
            )
          ).rowCount ?? 0) > 0
      ),
    remove: (name) =>
      run(
        "TokenStore.revoke",
        async () => ((await pool.query("DELETE FROM api_tokens WHERE name = $1", [name])).rowCount ?? 0) > 0
      )
  })
})
