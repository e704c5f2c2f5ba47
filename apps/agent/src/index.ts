/**
 * @cratos/agent — the assistant (planners, sandboxed tools, the executor that records every
 * step through the domain's decider) and the `cratos` CLI that runs it.
 */
export * from "./agent/Agent.js"
export * as AgentLive from "./agent/AgentLive.js"
export { Planner } from "./planner/Planner.js"
export { Planners } from "./planner/Planners.js"
export * as Tools from "./tools/Tools.js"
export { main as runCli } from "./cli/Cli.js"
