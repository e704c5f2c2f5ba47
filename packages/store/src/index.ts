/**
 * @cratos/store — the write side: the append-only event log on SQLite, its schema and
 * migrations, the shared connection, and retention. Imports only @cratos/domain.
 */
export { Database, type DatabaseOptions, type DatabaseShape, type Synchronous } from "./Database.js"
export {
  databaseLocation,
  type DatabaseLocation,
  databasePath,
  locationOf,
  MEMORY,
  type PathSources,
  resolveDatabasePath
} from "./DatabasePath.js"
export * from "./errors.js"
export * from "./EventStore.js"
export { DEFAULT_MAX_EVENT_BYTES } from "./EventEncoding.js"
export { isCanonicalEvent } from "./CanonicalDecode.js"
export { instantKey, instantKeySql } from "./sql/instantKey.js"
export {
  GroupCommit,
  type GroupCommitOptions,
  type GroupCommitShape,
  type GroupCommitStats,
  makeGroupCommit
} from "./GroupCommit.js"
export { migrationsFolder } from "./Migrations.js"
export { type PruneResult, Retention, type RetentionShape } from "./Retention.js"
export * as schema from "./schema/index.js"
export type { EventStoreOptions } from "./SqliteEventStore.js"
export { isBusy, sqliteCode, toStorageError } from "./SqliteFailure.js"
export { isPostgresUrl, maskUrl } from "./DatabaseUrl.js"
export type { PostgresDatabase, PostgresDatabaseShape } from "./postgres/PostgresDatabase.js"
export type { PostgresEventStoreOptions, PostgresOptions, PostgresStoreOptions } from "./postgres/PostgresOptions.js"
export * from "./encryption/index.js"
export * from "./leases/index.js"
export { StorageLocation, type StorageLocationShape } from "./StorageLocation.js"
export { storageFor } from "./storageFor.js"
