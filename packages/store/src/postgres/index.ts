/**
 * `@cratos/store/postgres`: the PostgreSQL side's values (the pool service, its failures), for code
 * that runs only on PostgreSQL (tests, benchmarks, the projector's Postgres path). Importing it
 * loads `pg`; `@cratos/store` itself never does.
 */
export { openFailureReason, PostgresDatabase, pgMigrationsFolder, poolTypes } from "./PostgresDatabase.js"
export { inTransaction } from "./inTransaction.js"
export { makeWith as makePostgresEventStore } from "./PostgresEventStore.js"
export { isRetryable, pgStorageError, sqlState } from "./PostgresFailure.js"
export { make as makePostgresRetention } from "./PostgresRetention.js"
export { LOG_LOCK_KEY } from "./statements.js"
export * as statements from "./statements.js"
export * as pgSchema from "../pgSchema/index.js"
export { instantKeyPgSql } from "../sql/instantKey.js"
export { appendGroup, type GroupFailure } from "./PostgresStartWith.js"
export { makePostgresContentKeys } from "../encryption/PostgresContentKeys.js"
