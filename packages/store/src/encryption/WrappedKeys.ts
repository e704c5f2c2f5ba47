/**
 * A data key as `content_keys` stores it on either backend: wrapped (AES-256-GCM) by the master
 * key, with the user and key id as associated data, so a wrapped key cannot be moved to another
 * user or id. `ContentKeys.ts` (SQLite) and `PostgresContentKeys.ts` share this one definition.
 */
import { Either } from "effect"
import { openBytes, sealBytes } from "./ContentCipher.js"
import { ContentKeyStoreError, MasterKeyError } from "./EncryptionErrors.js"
import type { MasterKey } from "./MasterKey.js"

/** A user's data key, unwrapped (held in memory only). */
export interface DataKey {
  readonly userId: string
  readonly keyId: string
  readonly key: Buffer
}

/** A row of `content_keys`. */
export interface WrappedKeyRow {
  readonly user_id: string
  readonly key_id: string
  readonly wrapped: string
  readonly master_key_id: string
}

/** The associated data of a wrapped key. */
export const wrapAad = (userId: string, keyId: string): string => `cratos:data-key:v1\u0000${userId}\u0000${keyId}`

export const storeError = (e: unknown) =>
  new ContentKeyStoreError({ reason: e instanceof Error ? e.message : String(e) })

/** The data key of `row`, unwrapped by `master`; an error naming the key file when it does not open. */
export const unwrap = (master: MasterKey, row: WrappedKeyRow): Either.Either<Buffer, MasterKeyError> => {
  if (row.master_key_id !== master.id) {
    return Either.left(
      new MasterKeyError({
        reason: `the data keys were wrapped by another master key (${row.master_key_id}), not ${master.source}`
      })
    )
  }
  const key = openBytes(master.key, row.wrapped, wrapAad(row.user_id, row.key_id))
  return key === undefined
    ? Either.left(new MasterKeyError({ reason: `the data key of ${row.user_id} does not open with ${master.source}` }))
    : Either.right(key)
}

/**
 * The data key of `row` when the master key is loaded and opens it; undefined otherwise (a read
 * then shows the field as encrypted). The lookup by key id on both backends.
 */
export const dataKeyOf = (
  master: Either.Either<MasterKey, MasterKeyError>,
  row: WrappedKeyRow
): DataKey | undefined => {
  if (Either.isLeft(master)) return undefined
  const key = unwrap(master.right, row)
  return Either.isLeft(key) ? undefined : { userId: row.user_id, keyId: row.key_id, key: key.right }
}

/**
 * `rows` re-wrapped by `next` (what `key rotate` writes back in one transaction): each unwrapped by
 * `current`, then wrapped again under the same user and key id. Rows `next` already wraps are left
 * out; a row that does not open with `current` fails the whole rotation before anything is written.
 */
export const rewrapAll = (
  current: MasterKey,
  next: MasterKey,
  rows: ReadonlyArray<WrappedKeyRow>
): Either.Either<Array<WrappedKeyRow>, MasterKeyError> =>
  Either.gen(function* () {
    const rewrapped: Array<WrappedKeyRow> = []
    for (const row of rows) {
      if (row.master_key_id === next.id) continue
      const key = yield* unwrap(current, row)
      rewrapped.push({
        ...row,
        wrapped: sealBytes(next.key, key, wrapAad(row.user_id, row.key_id)),
        master_key_id: next.id
      })
    }
    return rewrapped
  })
