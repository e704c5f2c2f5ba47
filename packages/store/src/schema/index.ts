/**
 * The store's tables. `executions` and `execution_events` are the seed's (migration 0000 is its
 * DDL); the rest are Cratos Core's additions (0001), shared with the projector.
 */
export * from "./contentKeys.js"
export * from "./apiTokens.js"
export * from "./executionEvents.js"
export * from "./forgottenUsers.js"
export * from "./executions.js"
export * from "./executionSummaries.js"
export * from "./idempotencyKeys.js"
export * from "./projectionCheckpoints.js"
export * from "./projectorDeadLetters.js"
export * from "./toolCalls.js"
export * from "./executionWorkspaces.js"
export * from "./writerLeases.js"
export * from "./writerLeaseChildren.js"
