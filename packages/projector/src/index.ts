/**
 * @cratos/projector — the read side: projections of the event log into query tables, the
 * projector that keeps them, and the ReadModel the CLI queries. Imports only @cratos/domain and
 * @cratos/store (never CLI or agent code).
 */
export * from "./errors.js"
export * from "./Projection.js"
export * from "./projections/index.js"
export {
  DEFAULT_LIMIT,
  type ExecutionRow,
  type InstantInput,
  type ListFilter,
  MAX_LIMIT,
  type ModelTokens,
  ReadModel,
  type ReadModelOptions,
  type ReadModelShape,
  type Stats,
  type ToolStats
} from "./ReadModel.js"
export type { SeriesBucket, StatusPoint, StatusSeriesOptions } from "./ReadModelShape.js"
export * from "./BatchApplier.js"
export * from "./InlineProjection.js"
export * from "./PoisonPolicy.js"
export * from "./ProjectionLag.js"
export {
  type CatchUpResult,
  Projector,
  type ProjectorError,
  type ProjectorOptions,
  type ProjectorShape
} from "./Projector.js"
export { type RunOptions, runProjector } from "./runProjector.js"
export { ProjectorDatabase, type ProjectorDatabaseShape } from "./ProjectorDatabase.js"
export type { ProjectionReset, ProjectorBackend } from "./ProjectorBackend.js"
export type { LinkedRow, RerunLinksOf } from "./RerunLinks.js"
export {
  prepareReadModelStatements,
  type ReadModelStatements,
  rerunOfQuery,
  rerunsQuery
} from "./sql/readModelStatements.js"
/** The row mapping both dialects' ReadModels use (for the benchmark's raw-driver side). */
export { type RowValues, rowOf } from "./ReadModelQueries.js"
