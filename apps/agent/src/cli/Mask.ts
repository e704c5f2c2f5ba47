/**
 * Masking for human output, in one place. Events carry masked copies of tool inputs and outputs
 * (`input_masked`, `output_masked`, approval `details.input_masked`), and the timeline prints
 * only those; these functions are a second pass, with the domain's extended masker (a superset
 * of the seed's `mask_sensitive`), over everything printed for a person, including fields that
 * have no masked copy (message and response text, error text, plan step inputs).
 */
import { maskSecrets, maskString } from "@cratos/domain"

/** A JSON value with every secret the domain's masker finds masked. */
export const maskJson = (value: unknown): unknown => maskSecrets(value)

/** Text with secrets inside it (`password=…`, bearer tokens, provider keys, …) masked. */
export const maskText = (text: string): string => maskString(text)
