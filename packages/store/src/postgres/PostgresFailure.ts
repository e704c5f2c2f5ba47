/**
 * Turning what node-postgres throws into the store's typed errors. The code of a server error is
 * its SQLSTATE with a `PG_` prefix (`PG_23505` unique violation, `PG_40001` serialization
 * failure); a connection failure keeps Node's code (`ECONNREFUSED`).
 */
import { DrizzleQueryError } from "drizzle-orm/errors"
import { StorageError } from "../errors.js"

/**
 * The driver's (or server's) error under drizzle's `DrizzleQueryError`, which every failed
 * drizzle query throws: its message quotes the query's parameters (event data, request hashes),
 * so it is never shown; its `cause` is what node-postgres threw.
 */
export const driverError = (thrown: unknown): unknown =>
  thrown instanceof DrizzleQueryError && thrown.cause !== undefined ? thrown.cause : thrown

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

export const pgStorageError = (operation: string, location: string, thrown: unknown): StorageError => {
  if (thrown instanceof StorageError) return thrown
  const cause = driverError(thrown)
  const state = sqlState(cause)
  return new StorageError({
    operation,
    path: location,
    code: state !== undefined ? `PG_${state}` : (nodeCode(cause) ?? "UNKNOWN"),
    reason: cause instanceof Error ? cause.message : String(cause)
  })
}

/** Serialization failure or deadlock: the transaction did nothing and may pass if run again. */
export const isRetryable = (thrown: unknown): boolean => {
  const state = sqlState(driverError(thrown))
  return state === "40001" || state === "40P01"
}
