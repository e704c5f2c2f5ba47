/**
 * Secret masking. Three maskers, each built on the one before:
 *
 * 1. `maskSensitive` (../maskSensitive.ts): the seed's `mask_sensitive`, transcribed exactly
 *    (CONTRACT.md section 2): values under keys containing `password`, `token`, … become
 *    `***MASKED***`. The contract's floor, and the decider's default.
 * 2. `maskSecrets` (this folder): a strict superset of (1) for every JSON value (its walk calls
 *    `isSensitiveKey` first), adding key spellings the seed misses and secrets inside strings
 *    (`maskString`: auth headers, URL passwords, `key=value`, PEM keys, provider tokens).
 * 3. `appMasker` (apps/agent/src/agent/appMasker.ts): no rules of its own; it binds (2) as the one
 *    masker the agent records every `*_masked` copy with and the CLI prints every text through.
 *
 * The placeholders all three write (`MASKED`, `CIRCULAR`, …) live in placeholders.ts, which
 * imports nothing.
 */
export type { MaskFinding } from "./MaskFinding.js"
export type { MaskOptions } from "./MaskOptions.js"
export { MASK_RULES, type MaskRule } from "./MaskRule.js"
export { maskSecrets, maskSecretsWithReport, maskString, type MaskResult } from "./maskSecrets.js"
export { isSecretName } from "./secretName.js"
export { CIRCULAR, MASKED, MASKING_FAILED } from "./placeholders.js"
