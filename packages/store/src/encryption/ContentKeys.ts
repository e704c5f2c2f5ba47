/**
 * Each user's data key (issue 14), stored wrapped by the master key in `content_keys`.
 *
 * - `forUser` returns the user's key, creating and storing it (in one transaction) on first use.
 * - `byId` unwraps the key an envelope names; undefined when it is unknown, forgotten, or there is
 *   no master key (reads then show masked copies only).
 * - `forget` destroys a user's key and records it in `forgotten_users`: crypto-shredding. No event
 *   is touched; from then on nobody can open that user's raw content, master key or not.
 * - `rotate` re-wraps every data key under a new master key in one transaction.
 *
 * Unwrapped keys are cached per process (a CLI command or the server), never written anywhere.
 * `cached` answers from that cache synchronously (the sealing store's path on every append and
 * read). A forget drops the user's key from the cache: at once in the process that forgets, and
 * on SQLite in every other process within {@link RECHECK_MS} of the forget's commit (a lookup
 * checks `PRAGMA data_version`, which moves when another connection commits, at most that often,
 * and then reads the rows `forgotten_users` gained since). The check is throttled because any
 * statement that reads the file costs about 4 µs (a WAL read lock), a few percent of a one-event
 * append.
 */
import { Context, Effect, type Either, Layer } from "effect"
import * as crypto from "node:crypto"
import { Database } from "../Database.js"
import { newKey, sealBytes } from "./ContentCipher.js"
import type { ContentKeyStoreError, MasterKeyError } from "./EncryptionErrors.js"
import { type Env, type MasterKey, resolveMasterKey } from "./MasterKey.js"
import { type DataKey, dataKeyOf, rewrapAll, storeError, unwrap, type WrappedKeyRow, wrapAad } from "./WrappedKeys.js"

/** How stale a process's view of forgets made by other processes may be, in milliseconds. */
export const RECHECK_MS = 100

export type { DataKey }

export interface ForgottenUser {
  readonly userId: string
  readonly keyId: string
  readonly forgottenAt: string
}

export interface ContentKeysShape {
  /** The master key in use, or the reason there is none (resolved on first use). */
  readonly master: Either.Either<MasterKey, MasterKeyError>
  readonly forUser: (userId: string, now: string) => Effect.Effect<DataKey, MasterKeyError | ContentKeyStoreError>
  /**
   * The user's key if this process already holds it and the user has not been forgotten since
   * (synchronous, no query but the freshness check); undefined: ask `forUser`.
   */
  readonly cached: (userId: string) => DataKey | undefined
  /** The same by key id (undefined: ask `byId`). */
  readonly cachedById: (keyId: string) => DataKey | undefined
  readonly byId: (keyId: string) => Effect.Effect<DataKey | undefined, ContentKeyStoreError>
  /** Destroys `userId`'s key; undefined when the user had none. */
  readonly forget: (userId: string, now: string) => Effect.Effect<ForgottenUser | undefined, ContentKeyStoreError>
  readonly forgotten: Effect.Effect<ReadonlyArray<ForgottenUser>, ContentKeyStoreError>
  /** Re-wraps every data key under `next`; the number of keys re-wrapped. */
  readonly rotate: (next: MasterKey) => Effect.Effect<number, MasterKeyError | ContentKeyStoreError>
}

/**
 * The service over the open database. `resolve` gives the master key; it is called once, when a
 * key is first needed (so a command that only reads never creates the key file).
 */
export const makeContentKeys = (
  resolve: Either.Either<MasterKey, MasterKeyError> | (() => Either.Either<MasterKey, MasterKeyError>)
) =>
  Effect.gen(function* () {
    let resolved: Either.Either<MasterKey, MasterKeyError> | undefined =
      typeof resolve === "function" ? undefined : resolve
    const masterKey = (): Either.Either<MasterKey, MasterKeyError> => {
      if (resolved === undefined) resolved = (resolve as () => Either.Either<MasterKey, MasterKeyError>)()
      return resolved
    }
    const { connection } = yield* Database
    const byUser = connection.prepare<[string], WrappedKeyRow>(
      "SELECT user_id, key_id, wrapped, master_key_id FROM content_keys WHERE user_id = ?"
    )
    const byKeyId = connection.prepare<[string], WrappedKeyRow>(
      "SELECT user_id, key_id, wrapped, master_key_id FROM content_keys WHERE key_id = ?"
    )
    // a server meets each new user once: the statement is prepared once, not per new key
    const insertKey = connection.prepare<[string, string, string, string, string]>(
      "INSERT INTO content_keys (user_id, key_id, wrapped, master_key_id, created_at) VALUES (?, ?, ?, ?, ?)"
    )
    const cache = new Map<string, DataKey>()
    /** The same keys by user (forUser's path, on every append). */
    const byUserCache = new Map<string, DataKey>()
    const remember = (dataKey: DataKey) => {
      cache.set(dataKey.keyId, dataKey)
      byUserCache.set(dataKey.userId, dataKey)
    }
    const evict = (userId: string, keyId: string) => {
      cache.delete(keyId)
      byUserCache.delete(userId)
    }
    // Forgets committed by other connections: `data_version` moves when another connection
    // commits; then the rows forgotten_users gained since (a forget, again or not, inserts a row
    // with a new rowid) name the keys to drop.
    const dataVersion = connection.prepare<[], number>("PRAGMA data_version").pluck(true)
    const forgottenSince = connection.prepare<[number], { rowid: number; user_id: string; key_id: string }>(
      "SELECT rowid, user_id, key_id FROM forgotten_users WHERE rowid > ? ORDER BY rowid"
    )
    let seenVersion = dataVersion.get()
    let checkedAt = performance.now()
    let lastForgotten =
      connection.prepare<[], number | null>("SELECT max(rowid) FROM forgotten_users").pluck(true).get() ?? 0
    const dropForgottenElsewhere = () => {
      if (cache.size === 0) return
      // a monotonic clock for the cache's age, not a time that is recorded anywhere
      const now = performance.now()
      if (now - checkedAt < RECHECK_MS) return
      checkedAt = now
      const version = dataVersion.get()
      if (version === seenVersion) return
      seenVersion = version
      for (const r of forgottenSince.all(lastForgotten)) {
        evict(r.user_id, r.key_id)
        lastForgotten = r.rowid
      }
    }
    const cached = (userId: string): DataKey | undefined => {
      dropForgottenElsewhere()
      return byUserCache.get(userId)
    }
    const cachedById = (keyId: string): DataKey | undefined => {
      dropForgottenElsewhere()
      return cache.get(keyId)
    }

    const fromRow = (row: WrappedKeyRow): DataKey | undefined => {
      const dataKey = dataKeyOf(masterKey(), row)
      if (dataKey !== undefined) remember(dataKey)
      return dataKey
    }

    const forUser = (userId: string, now: string): Effect.Effect<DataKey, MasterKeyError | ContentKeyStoreError> =>
      Effect.gen(function* () {
        const known = cached(userId)
        if (known !== undefined) return known
        const m = yield* masterKey()
        const created = yield* Effect.try({
          try: () =>
            connection
              .transaction(() => {
                const existing = byUser.get(userId)
                if (existing !== undefined) return existing
                const keyId = crypto.randomBytes(12).toString("base64url")
                const row: WrappedKeyRow = {
                  user_id: userId,
                  key_id: keyId,
                  wrapped: sealBytes(m.key, newKey(), wrapAad(userId, keyId)),
                  master_key_id: m.id
                }
                insertKey.run(row.user_id, row.key_id, row.wrapped, row.master_key_id, now)
                return row
              })
              .immediate(),
          catch: storeError
        })
        const key = yield* unwrap(m, created)
        const dataKey = { userId, keyId: created.key_id, key }
        remember(dataKey)
        return dataKey
      })

    const byId = (keyId: string) =>
      Effect.suspend(() => {
        const hit = cachedById(keyId)
        if (hit !== undefined) return Effect.succeed<DataKey | undefined>(hit)
        return Effect.try({ try: () => byKeyId.get(keyId), catch: storeError }).pipe(
          Effect.map((row) => (row === undefined ? undefined : fromRow(row)))
        )
      })

    const forget = (userId: string, now: string) =>
      Effect.try({
        try: () =>
          connection
            .transaction((): ForgottenUser | undefined => {
              const row = byUser.get(userId)
              if (row === undefined) return undefined
              connection.prepare("DELETE FROM content_keys WHERE user_id = ?").run(userId)
              connection
                .prepare("INSERT OR REPLACE INTO forgotten_users (user_id, key_id, forgotten_at) VALUES (?, ?, ?)")
                .run(userId, row.key_id, now)
              evict(userId, row.key_id)
              return { userId, keyId: row.key_id, forgottenAt: now }
            })
            .immediate(),
        catch: storeError
      })

    const forgotten = Effect.try({
      try: () =>
        connection
          .prepare<[], { user_id: string; key_id: string; forgotten_at: string }>(
            "SELECT user_id, key_id, forgotten_at FROM forgotten_users ORDER BY forgotten_at, user_id"
          )
          .all()
          .map((r) => ({ userId: r.user_id, keyId: r.key_id, forgottenAt: r.forgotten_at })),
      catch: storeError
    })

    const rotate = (next: MasterKey) =>
      Effect.gen(function* () {
        const m = yield* masterKey()
        const rows = yield* Effect.try({
          try: () =>
            connection
              .prepare<[], WrappedKeyRow>("SELECT user_id, key_id, wrapped, master_key_id FROM content_keys")
              .all(),
          catch: storeError
        })
        const rewrapped = yield* rewrapAll(m, next, rows)
        yield* Effect.try({
          try: () =>
            connection
              .transaction(() => {
                const update = connection.prepare(
                  "UPDATE content_keys SET wrapped = ?, master_key_id = ? WHERE user_id = ?"
                )
                for (const r of rewrapped) update.run(r.wrapped, r.master_key_id, r.user_id)
              })
              .immediate(),
          catch: storeError
        })
        return rewrapped.length
      })

    return {
      get master() {
        return masterKey()
      },
      forUser,
      cached,
      cachedById,
      byId,
      forget,
      forgotten,
      rotate
    } satisfies ContentKeysShape
  })

export class ContentKeys extends Context.Tag("@cratos/store/ContentKeys")<ContentKeys, ContentKeysShape>() {
  /** The service over the open database, with the master key resolved from the environment. */
  static readonly make = (options: { readonly create: boolean; readonly env?: Env }) =>
    makeContentKeys(() => resolveMasterKey(options))

  static readonly layer = (options: {
    readonly create: boolean
    readonly env?: Env
  }): Layer.Layer<ContentKeys, never, Database> => Layer.effect(ContentKeys, ContentKeys.make(options))
}
