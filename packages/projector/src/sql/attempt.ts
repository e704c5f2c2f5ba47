/** Runs a synchronous better-sqlite3 call as an Effect: what it throws becomes a StorageError. */
import { StorageError } from "@cratos/store"
import { Effect } from "effect"

const codeOf = (cause: unknown): string => {
  const code = (cause as { readonly code?: unknown } | null)?.code
  return typeof code === "string" ? code : cause instanceof TypeError || cause instanceof RangeError ? "SQLITE_MISUSE" : "UNKNOWN"
}

export const toStorageError = (operation: string, path: string, cause: unknown): StorageError =>
  cause instanceof StorageError
    ? cause
    : new StorageError({
        operation,
        path,
        code: codeOf(cause),
        reason: cause instanceof Error ? cause.message : String(cause)
      })

export const attempt = <A>(operation: string, path: string, f: () => A): Effect.Effect<A, StorageError> =>
  Effect.try({ try: f, catch: (cause) => toStorageError(operation, path, cause) })
