/**
 * The app's masker: the one the agent records every masked copy with (ToolInvoked.input_masked,
 * ToolCompleted.output_masked, ApprovalDetails, error texts) and the CLI prints every text
 * through. It has no rules of its own: it binds the domain's extended `maskSecrets` (a superset
 * of the seed's `maskSensitive`), so changing what the app masks is one line here. The three
 * maskers and how they relate: packages/domain/src/maskSecrets/index.ts.
 */
import { Events, maskSecrets, type Masker } from "@cratos/domain"

export const mask: Masker = maskSecrets

/** A JSON value with its secrets masked (what the CLI prints of stored values). */
export const maskJson = (value: unknown): unknown => mask(value)

/** A text with the secrets inside it masked, the rest kept readable. */
export const maskText = (text: string): string => Events.maskText(mask, text)
