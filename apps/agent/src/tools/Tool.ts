/** What a tool is: a name, its risk from the domain registry, and how to run it. */
import type { RiskLevel } from "@cratos/domain"
import type { Effect } from "effect"
import type { ToolError } from "./ToolError.js"
import type { ToolLimits } from "./ToolSettings.js"

export interface ToolContext {
  /** The folder file tools are confined to, as a real path (symlinks resolved). */
  readonly workspace: string
  readonly limits: ToolLimits
}

export interface ToolSuccess {
  /** The JSON recorded as the ToolResult's output. */
  readonly output: unknown
  /** What the person asked for, as text for the response (file text, listing, matches, output). */
  readonly text: string
}

export interface Tool {
  readonly name: string
  readonly risk: RiskLevel
  /** One line on what it does (for the planner's prompt and help). */
  readonly summary: string
  /** The input's JSON shape, e.g. `{"path": string}`, derived from its Schema by `defineTool`. */
  readonly inputShape: string
  /** Runs once; the registry adds the timeout. Failures are typed, never thrown. */
  readonly run: (input: unknown, ctx: ToolContext) => Effect.Effect<ToolSuccess, ToolError>
}
