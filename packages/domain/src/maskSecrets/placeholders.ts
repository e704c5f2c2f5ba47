/**
 * The fixed strings every masker writes in place of things it will not pass through (the seed's
 * `maskSensitive` and the extended `maskSecrets` alike; this module owns them and imports
 * nothing). They are plain strings so the output stays JSON, and none of them is matched by any
 * rule, so masking twice gives the same result. For the same reason a rule whose left edge is "not
 * inside a word" (a flag's `-`, `ghp_`, `sk-`, `bearer`) does not start right after `MASKED`
 * either, nor end right before it: the span it replaced was part of a word, and what stands beside
 * it stays as the first pass left it ({@link apartFromMasked} on those rules).
 */

/** What a masked value is replaced with (the seed's placeholder, byte for byte). */
export const MASKED = "***MASKED***"

const MASKED_SOURCE = MASKED.replace(/[*]/g, "\\*")

/**
 * `pattern` that does not match right after {@link MASKED}, nor (with `end`) right before it:
 * for rules whose edges mean "not inside a word", so a second pass does not find what the first
 * left standing beside a masked span.
 */
export const apartFromMasked = (pattern: RegExp, end = true): RegExp =>
  new RegExp(`(?<!${MASKED_SOURCE})${pattern.source}${end ? `(?!${MASKED_SOURCE})` : ""}`, pattern.flags)

/** Replaces a reference to an object that is already being walked (a cycle). */
export const CIRCULAR = "[Circular]"

/** Replaces the whole value when masking threw: the input is never passed through unmasked. */
export const MASKING_FAILED = "***MASKING_FAILED***"

/** Replaces a function value (JSON has none; its source text is not copied). */
export const FUNCTION_PLACEHOLDER = "[Function]"

/** Replaces a symbol value. */
export const SYMBOL_PLACEHOLDER = "[Symbol]"

/** Replaces binary data (ArrayBuffer, typed arrays, DataView): bytes are never copied out. */
export const BINARY_PLACEHOLDER = "[Binary]"
