/**
 * The one masker of the agent and the CLI: every masked copy the agent records
 * (ToolInvoked.input_masked, ToolCompleted.output_masked, ApprovalDetails, error texts) and every
 * text the CLI prints for a person. It is the domain's extended `maskSecrets` (a superset of the
 * seed's `maskSensitive`).
 */
import { Events, maskSecrets, type Masker } from "@cratos/domain"

export const mask: Masker = maskSecrets

/** A JSON value with its secrets masked (what the CLI prints of stored values). */
export const maskJson = (value: unknown): unknown => mask(value)

/** A text with the secrets inside it masked, the rest kept readable. */
export const maskText = (text: string): string => Events.maskText(mask, text)
