/**
 * @cratos/projector — the read side: projections of the event log into query tables, the
 * projector that keeps them, and the ReadModel the CLI queries. Imports only @cratos/domain and
 * @cratos/store (never CLI or agent code).
 */
export * from "./errors.js"
export * from "./Projection.js"
export * from "./projections/index.js"
export * from "./ReadModel.js"
export { instantKey, instantKeySql } from "./sql/instantKey.js"
