/**
 * Secret masking beyond the seed (issue 8). `maskSecrets` is the default masker for every
 * `*_masked` field and for ApprovalDetails; `maskSensitive` (the seed's, kept exactly) is a
 * strict subset of it.
 */
export type { MaskFinding } from "./MaskFinding.js"
export type { MaskOptions } from "./MaskOptions.js"
export { MASK_RULES, type MaskRule } from "./MaskRule.js"
export { maskSecrets, maskSecretsWithReport, maskString, type MaskResult } from "./maskSecrets.js"
export { isSecretName } from "./secretName.js"
export { CIRCULAR, MASKING_FAILED } from "./placeholders.js"
