/**
 * Which tool can do how much harm, and which risks need a person's approval.
 * Unknown tools are treated as Destructive: a tool nobody classified is not trusted.
 */
import { Schema } from "effect"
import * as Risk from "./RiskLevel.js"
import { RiskLevel } from "./RiskLevel.js"

/** Tool name → risk. */
export const ToolRiskRegistry = Schema.Record({ key: Schema.String, value: RiskLevel }).annotations({
  identifier: "ToolRiskRegistry"
})
export type ToolRiskRegistry = typeof ToolRiskRegistry.Type

/** The risks of the built-in tools. */
export const defaultToolRisks: ToolRiskRegistry = {
  file_read: "Read",
  file_list: "Read",
  file_search: "Read",
  http_get: "Read",
  file_write: "Write",
  exec: "Destructive"
}

/** The risk of a tool; a tool missing from the registry is Destructive. */
export const riskOf = (registry: ToolRiskRegistry, tool: string): RiskLevel =>
  Object.prototype.hasOwnProperty.call(registry, tool) ? registry[tool]! : "Destructive"

/**
 * When a person must approve a step: at and above `approveFrom` (null: never).
 * The default asks for Write and Destructive steps.
 */
export const ApprovalPolicy = Schema.Struct({
  approveFrom: Schema.NullOr(RiskLevel)
}).annotations({ identifier: "ApprovalPolicy" })
export type ApprovalPolicy = typeof ApprovalPolicy.Type

export const defaultApprovalPolicy: ApprovalPolicy = { approveFrom: "Write" }

/** Whether a step of this risk needs approval under the policy. */
export const needsApproval = (policy: ApprovalPolicy, risk: RiskLevel): boolean =>
  policy.approveFrom !== null && Risk.atLeast(risk, policy.approveFrom)
