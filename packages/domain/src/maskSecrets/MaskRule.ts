/**
 * The names of the rules a finding can cite. A finding names the rule, never the secret, so a
 * report can be logged or stored next to the masked value without leaking what was masked.
 */

/** Every rule name, in the order the documentation lists them. */
export const MASK_RULES = [
  // Object-key rules (the value under the key is masked whole).
  "seed-key",
  "sensitive-key",
  "header-pair",
  // Rules applied inside string values (only the secret part of the string is masked).
  "authorization-header",
  "sensitive-assignment",
  "bearer-token",
  "basic-credentials",
  "url-credentials",
  "cli-user-password",
  "pem-private-key",
  "jwt",
  "aws-access-key-id",
  "github-token",
  "openai-api-key",
  "stripe-key",
  "gitlab-token",
  "npm-token",
  "password-in-words",
  "gitleaks-rule",
  "custom-pattern",
  // Structural outcomes.
  "circular-reference",
  "masking-failed"
] as const

/** The name of one masking rule. */
export type MaskRule = (typeof MASK_RULES)[number]
