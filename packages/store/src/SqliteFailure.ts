/**
 * Turning what better-sqlite3 throws into the store's typed errors: never a raw throw. The one
 * `toStorageError` and the one `isBusy` of the workspace (the projector and the CLI use these).
 */
import { StorageError } from "./errors.js"

/** The SQLite result code of a thrown value (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_TRIGGER`, …), if any. */
export const sqliteCode = (cause: unknown): string | undefined => {
  if (typeof cause !== "object" || cause === null) return undefined
  const code = (cause as { readonly code?: unknown }).code
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined
}

const describe = (cause: unknown): string =>
  cause instanceof Error ? cause.message : typeof cause === "string" ? cause : "unknown failure"

/**
 * A StorageError for a failed operation on a file. The code is SQLite's extended result code
 * when there is one; a failure of the driver itself (closed connection, bad argument) is
 * `SQLITE_MISUSE`; any other thrown value is `UNKNOWN`. A StorageError is returned as it is.
 */
export const toStorageError = (operation: string, path: string, cause: unknown): StorageError =>
  cause instanceof StorageError
    ? cause
    : new StorageError({
        operation,
        path,
        code:
          sqliteCode(cause) ??
          (cause instanceof TypeError || cause instanceof RangeError ? "SQLITE_MISUSE" : "UNKNOWN"),
        reason: describe(cause)
      })

/**
 * Whether a failure may pass if retried (another connection holds the write lock): a thrown
 * SQLite error or a StorageError carrying a `SQLITE_BUSY…`/`SQLITE_LOCKED…` code.
 */
export const isBusy = (cause: unknown): boolean => {
  const code = sqliteCode(cause)
  return code !== undefined && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
}
