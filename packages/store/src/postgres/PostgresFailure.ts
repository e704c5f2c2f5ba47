/**
 * Turning what node-postgres throws into the store's typed errors. The code of a server error is
 * its SQLSTATE with a `PG_` prefix (`PG_23505` unique violation, `PG_40001` serialization
 * failure); a connection failure keeps Node's code (`ECONNREFUSED`).
 */
import { StorageError } from "../errors.js"

/** The SQLSTATE of a thrown server error, if any. */
export const sqlState = (cause: unknown): string | undefined => {
  if (typeof cause !== "object" || cause === null) return undefined
  const code = (cause as { readonly code?: unknown }).code
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

const nodeCode = (cause: unknown): string | undefined => {
  const code = (cause as { readonly code?: unknown } | null)?.code
  return typeof code === "string" && code.startsWith("E") ? code : undefined
}

export const pgStorageError = (operation: string, location: string, cause: unknown): StorageError => {
  if (cause instanceof StorageError) return cause
  const state = sqlState(cause)
  return new StorageError({
    operation,
    path: location,
    code: state !== undefined ? `PG_${state}` : (nodeCode(cause) ?? "UNKNOWN"),
    reason: cause instanceof Error ? cause.message : String(cause)
  })
}

/** Serialization failure or deadlock: the transaction did nothing and may pass if run again. */
export const isRetryable = (cause: unknown): boolean => {
  const state = sqlState(cause)
  return state === "40001" || state === "40P01"
}
