/**
 * The one masker the agent uses for every masked copy (ToolInvoked.input_masked,
 * ToolCompleted.output_masked, ApprovalDetails, the approval prompt, error texts).
 * It is the domain's extended `maskSecrets` (a superset of the seed's `maskSensitive`).
 */
import { MASKED, maskSecrets, type Masker } from "@cratos/domain"

export const mask: Masker = maskSecrets

/** A text through the masker (a masker that answers with anything but a string masks it all). */
export const maskText = (text: string): string => {
  const out = mask(text)
  return typeof out === "string" ? out : MASKED
}
