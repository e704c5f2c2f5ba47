/**
 * @cratos/store — the write side: the append-only event log on SQLite, its schema and
 * migrations, the shared connection, and retention. Imports only @cratos/domain.
 */
export { Database, type DatabaseOptions, type DatabaseShape, type Synchronous } from "./Database.js"
export { MEMORY, resolveDatabasePath, databasePath, type PathSources } from "./DatabasePath.js"
export * from "./errors.js"
export * from "./EventStore.js"
export { DEFAULT_MAX_EVENT_BYTES } from "./EventEncoding.js"
export { toStorageError } from "./SqliteFailure.js"
export { instantKey, instantKeySql } from "./sql/instantKey.js"
export { GroupCommit, type GroupCommitOptions, type GroupCommitStats, makeGroupCommit } from "./GroupCommit.js"
export { migrationsFolder } from "./Migrations.js"
export { type PruneResult, Retention, type RetentionShape } from "./Retention.js"
export * as schema from "./schema/index.js"
export type { EventStoreOptions } from "./SqliteEventStore.js"
