/**
 * The store's tables on PostgreSQL, file for file the SQLite ones (`../schema/`), under the same
 * table, column and index names. Migrations: `packages/store/drizzle-pg/` (`drizzle.pg.config.ts`).
 */
export * from "./executionEvents.js"
export * from "./executions.js"
export * from "./executionSummaries.js"
export * from "./idempotencyKeys.js"
export * from "./projectionCheckpoints.js"
export * from "./projectorDeadLetters.js"
export * from "./toolCalls.js"
export * from "./writerLeases.js"
export * from "./executionWorkspaces.js"
export * from "./apiTokens.js"
export * from "./contentKeys.js"
export * from "./forgottenUsers.js"
export * from "./writerLeaseChildren.js"
