/**
 * `trySqlite(operation, path, f)`: runs a synchronous better-sqlite3 call as an Effect; what it
 * throws becomes the store's StorageError (`toStorageError`, the one of @cratos/store).
 */
import { type StorageError, toStorageError } from "@cratos/store"
import { Effect } from "effect"

export const trySqlite = <A>(operation: string, path: string, f: () => A): Effect.Effect<A, StorageError> =>
  Effect.try({ try: f, catch: (cause) => toStorageError(operation, path, cause) })
