/**
 * The registered projections, applied in this order within each batch: the status projection
 * first, because it creates a missing `executions` row that the summary's foreign key needs.
 */
import type { Projection } from "../Projection.js"
import { executionStatus } from "./executionStatus.js"
import { executionSummary } from "./executionSummary.js"
import { toolCalls } from "./toolCalls.js"

export {
  executionStatus,
  foldStatuses,
  MissingExecution,
  type NewExecution,
  type StatusChanges
} from "./executionStatus.js"
export { emptySummary, evolveSummary, executionSummary, foldSummaries, type Summary } from "./executionSummary.js"
export { type ToolCallRow, toolCalls } from "./toolCalls.js"

export const defaultProjections: ReadonlyArray<Projection> = [executionStatus, executionSummary, toolCalls]

/** A projection's name and version, as `ReadModel.status` reports them. */
export interface ProjectionInfo {
  readonly name: string
  readonly version: number
}

export const projectionCatalog: ReadonlyArray<ProjectionInfo> = defaultProjections.map(({ name, version }) => ({
  name,
  version
}))
