/**
 * @cratos/agent — the assistant (planners, sandboxed tools, the executor that records every
 * step through the domain's decider) and the `cratos` CLI that runs it.
 */
export * from "./agent/Agent.js"
export * from "./agent/AgentFailure.js"
export type * from "./agent/AgentShape.js"
export { Planner } from "./planner/Planner.js"
export { PlannerError } from "./planner/PlannerError.js"
export type { PlannerKind } from "./planner/PlannerKind.js"
export { Planners } from "./planner/Planners.js"
export type { PlannerShape } from "./planner/PlannerShape.js"
export type { PlanResult } from "./planner/PlanResult.js"
export { builtinTools, Tools, type ToolsOptions, type ToolsShape } from "./tools/Tools.js"
export { main as runCli } from "./cli/Cli.js"
