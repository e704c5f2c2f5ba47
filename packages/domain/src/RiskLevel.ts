/** How much harm a step can do, ordered `Read < Write < Destructive`. */
import { Schema } from "effect"

export const RiskLevel = Schema.Literal("Read", "Write", "Destructive").annotations({ identifier: "RiskLevel" })
export type RiskLevel = typeof RiskLevel.Type

const RANK: Record<RiskLevel, number> = { Read: 0, Write: 1, Destructive: 2 }

/** Position in the order `Read < Write < Destructive`. */
export const rank = (risk: RiskLevel): number => RANK[risk]

/** The higher of two risks. */
export const max = (a: RiskLevel, b: RiskLevel): RiskLevel => (RANK[a] >= RANK[b] ? a : b)

/** Whether `risk` is at least `threshold`. */
export const atLeast = (risk: RiskLevel, threshold: RiskLevel): boolean => RANK[risk] >= RANK[threshold]
