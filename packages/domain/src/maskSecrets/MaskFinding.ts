import type { MaskRule } from "./MaskRule.js"

/**
 * One place where something was masked: the JSON path of the value (`$.headers[0].Authorization`)
 * and the rule that fired. It deliberately carries no part of the secret.
 */
export interface MaskFinding {
  readonly path: string
  readonly rule: MaskRule
}
