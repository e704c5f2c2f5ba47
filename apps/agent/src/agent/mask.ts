/**
 * The one masker the agent uses for every masked copy (ToolInvoked.input_masked,
 * ToolCompleted.output_masked, ApprovalDetails, the approval prompt, error texts).
 * Switching to the extended `maskSecrets` is this one line.
 */
import { MASKED, maskSensitive, type Masker } from "@cratos/domain"

export const mask: Masker = maskSensitive

/** A text through the masker (a masker that answers with anything but a string masks it all). */
export const maskText = (text: string): string => {
  const out = mask(text)
  return typeof out === "string" ? out : MASKED
}
