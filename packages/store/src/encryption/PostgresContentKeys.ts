/**
 * `ContentKeys` on PostgreSQL (issue 13 for issue 14's keys): the same shape and behaviour as
 * ContentKeys.ts on SQLite (data keys wrapped by the master key in `content_keys`, created on first
 * use, forgotten into `forgotten_users`, re-wrapped by `rotate`), on the store's pool, each write
 * one transaction. Two processes creating the same user's key at once: `ON CONFLICT DO NOTHING`,
 * then the winner's row is read, so both use one key. Loaded only on the PostgreSQL path
 * (`ContentKeys.layerPostgres` in the integrated tree; `makePostgresContentKeys` here).
 *
 * The wrapping's associated data is ContentKeys.ts's (`cratos:data-key:v1`, user, key id): a key
 * wrapped on one backend opens on the other after `cratos export | import` of the keys' table.
 */
import { Effect, type Either } from "effect"
import * as crypto from "node:crypto"
import { inTransaction } from "../postgres/inTransaction.js"
import { PostgresDatabase } from "../postgres/PostgresDatabase.js"
import { newKey, sealBytes } from "./ContentCipher.js"
import { type ContentKeysShape, type DataKey, type ForgottenUser, RECHECK_MS } from "./ContentKeys.js"
import { ContentKeyStoreError, type MasterKeyError } from "./EncryptionErrors.js"
import type { MasterKey } from "./MasterKey.js"
import { dataKeyOf, rewrapAll, storeError, unwrap, type WrappedKeyRow, wrapAad } from "./WrappedKeys.js"

const COLUMNS = "user_id, key_id, wrapped, master_key_id"

export const makePostgresContentKeys = (
  resolve: Either.Either<MasterKey, MasterKeyError> | (() => Either.Either<MasterKey, MasterKeyError>)
) =>
  Effect.gen(function* () {
    const { pool } = yield* PostgresDatabase
    let resolved: Either.Either<MasterKey, MasterKeyError> | undefined =
      typeof resolve === "function" ? undefined : resolve
    const masterKey = (): Either.Either<MasterKey, MasterKeyError> => {
      if (resolved === undefined) resolved = (resolve as () => Either.Either<MasterKey, MasterKeyError>)()
      return resolved
    }
    const cache = new Map<string, DataKey>()
    const byUserCache = new Map<string, DataKey>()
    const remember = (dataKey: DataKey) => {
      cache.set(dataKey.keyId, dataKey)
      byUserCache.set(dataKey.userId, dataKey)
    }
    const query = <R>(text: string, values: Array<unknown> = []) =>
      Effect.tryPromise({ try: async () => (await pool.query(text, values)).rows as Array<R>, catch: storeError })
    // Forgets committed by other processes: the cache is trusted for RECHECK_MS after its last check
    // (a monotonic clock, not a time recorded anywhere); past that the synchronous lookups miss, and
    // the asynchronous ones (forUser, byId) first drop the keys forgotten_users names. So a
    // long-running `cratos serve` stops opening a forgotten user's content within that bound, as
    // ContentKeys.ts does on SQLite with PRAGMA data_version.
    let checkedAt = performance.now()
    const fresh = () => performance.now() - checkedAt < RECHECK_MS
    const dropForgottenElsewhere = Effect.suspend(() => {
      if (fresh()) return Effect.void
      if (cache.size === 0) {
        checkedAt = performance.now()
        return Effect.void
      }
      return Effect.map(
        query<{ user_id: string; key_id: string }>("SELECT user_id, key_id FROM forgotten_users"),
        (rows) => {
          for (const r of rows) {
            cache.delete(r.key_id)
            if (byUserCache.get(r.user_id)?.keyId === r.key_id) byUserCache.delete(r.user_id)
          }
          checkedAt = performance.now()
        }
      )
    })
    /** `f` in one transaction on one client. */
    const transaction = <A>(
      f: (q: (text: string, values?: Array<unknown>) => Promise<Array<WrappedKeyRow>>) => Promise<A>
    ) =>
      Effect.tryPromise({
        try: () =>
          inTransaction(pool, (client) =>
            f(async (text, values = []) => (await client.query(text, values)).rows as Array<WrappedKeyRow>)
          ),
        catch: storeError
      })

    const forUser = (userId: string, now: string): Effect.Effect<DataKey, MasterKeyError | ContentKeyStoreError> =>
      Effect.gen(function* () {
        yield* dropForgottenElsewhere
        const known = byUserCache.get(userId)
        if (known !== undefined) return known
        const m = yield* masterKey()
        const keyId = crypto.randomBytes(12).toString("base64url")
        const candidate: WrappedKeyRow = {
          user_id: userId,
          key_id: keyId,
          wrapped: sealBytes(m.key, newKey(), wrapAad(userId, keyId)),
          master_key_id: m.id
        }
        const [row] = yield* query<WrappedKeyRow>(
          `INSERT INTO content_keys (user_id, key_id, wrapped, master_key_id, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (user_id) DO NOTHING`,
          [candidate.user_id, candidate.key_id, candidate.wrapped, candidate.master_key_id, now]
        ).pipe(
          Effect.zipRight(query<WrappedKeyRow>(`SELECT ${COLUMNS} FROM content_keys WHERE user_id = $1`, [userId]))
        )
        if (row === undefined)
          return yield* new ContentKeyStoreError({ reason: `the key of ${userId} was forgotten meanwhile` })
        const key = yield* unwrap(m, row)
        const dataKey = { userId, keyId: row.key_id, key }
        remember(dataKey)
        return dataKey
      })

    const byId = (keyId: string) =>
      Effect.zipRight(
        dropForgottenElsewhere,
        Effect.suspend(() => {
          const hit = cache.get(keyId)
          if (hit !== undefined) return Effect.succeed<DataKey | undefined>(hit)
          return Effect.map(
            query<WrappedKeyRow>(`SELECT ${COLUMNS} FROM content_keys WHERE key_id = $1`, [keyId]),
            ([row]) => {
              const dataKey = row === undefined ? undefined : dataKeyOf(masterKey(), row)
              if (dataKey !== undefined) remember(dataKey)
              return dataKey
            }
          )
        })
      )

    const forget = (userId: string, now: string) =>
      transaction(async (q): Promise<ForgottenUser | undefined> => {
        const [row] = await q(`DELETE FROM content_keys WHERE user_id = $1 RETURNING ${COLUMNS}`, [userId])
        if (row === undefined) return undefined
        await q(
          `INSERT INTO forgotten_users (user_id, key_id, forgotten_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET key_id = excluded.key_id, forgotten_at = excluded.forgotten_at`,
          [userId, row.key_id, now]
        )
        cache.delete(row.key_id)
        byUserCache.delete(userId)
        return { userId, keyId: row.key_id, forgottenAt: now }
      })

    const forgotten = Effect.map(
      query<{ user_id: string; key_id: string; forgotten_at: string }>(
        "SELECT user_id, key_id, forgotten_at FROM forgotten_users ORDER BY forgotten_at, user_id"
      ),
      (rows) => rows.map((r) => ({ userId: r.user_id, keyId: r.key_id, forgottenAt: r.forgotten_at }))
    )

    const rotate = (next: MasterKey) =>
      Effect.gen(function* () {
        const m = yield* masterKey()
        const rows = yield* query<WrappedKeyRow>(`SELECT ${COLUMNS} FROM content_keys`)
        const rewrapped = yield* rewrapAll(m, next, rows)
        yield* transaction(async (q) => {
          for (const r of rewrapped) {
            await q("UPDATE content_keys SET wrapped = $1, master_key_id = $2 WHERE user_id = $3", [
              r.wrapped,
              r.master_key_id,
              r.user_id
            ])
          }
        })
        return rewrapped.length
      })

    return {
      get master() {
        return masterKey()
      },
      forUser,
      cached: (userId: string) => (fresh() ? byUserCache.get(userId) : undefined),
      cachedById: (keyId: string) => (fresh() ? cache.get(keyId) : undefined),
      byId,
      forget,
      forgotten,
      rotate
    } satisfies ContentKeysShape
  })
