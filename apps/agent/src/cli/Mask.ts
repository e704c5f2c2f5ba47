/**
 * Masking for human output, in one place. Events carry masked copies of tool inputs and outputs
 * (`input_masked`, `output_masked`, approval `details.input_masked`), and the timeline prints
 * only those; these functions are a second pass over everything printed for a person, including
 * fields that have no masked copy (message and response text, error text, plan step inputs).
 */
import { maskSensitive } from "@cratos/domain"

/** A JSON value with every secret the seed's rule finds masked. */
export const maskJson = (value: unknown): unknown => maskSensitive(value)

/** Text with `key=value` / `key: value` secrets and bearer tokens masked. */
export const maskText = (text: string): string =>
  text
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (_, scheme: string) => `${scheme} ***MASKED***`)
    .replace(
      /\b([A-Za-z0-9_-]*(?:password|passwd|token|api[_-]?key|secret|credential|auth)[A-Za-z0-9_-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi,
      (_, key: string, sep: string) => `${key}${sep}***MASKED***`
    )
