/**
 * Tokens recognisable by their issuer's fixed prefix and shape. Only documented prefixes with a
 * realistic minimum body length are matched, and where a prefix can also begin ordinary text
 * (`sk-`), the body must look random (digits, upper and lower case): there is no generic
 * entropy guessing, so UUIDs, hashes and slugs are left alone.
 *
 * Slack, Anthropic and Google keys, and every other provider, are left to gitleaks' rules
 * (gitleaksRules.ts), whose shapes and allow-lists are stricter (issue 14: ours changed 29 of
 * gitleaks' false-positive examples). What stays here is what the agent sees most, matched
 * without a keyword gate.
 */
import { looksRandom, type PatternRule } from "./PatternRule.js"
import { isExampleValue } from "./placeholderValue.js"
import { apartFromMasked } from "./placeholders.js"

const RULES: ReadonlyArray<PatternRule> = [
  {
    rule: "aws-access-key-id",
    triggers: ["AKIA", "ASIA"],
    pattern: apartFromMasked(/(?<![A-Za-z0-9])()((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Za-z0-9])/g)
  },
  {
    rule: "github-token",
    triggers: ["gh", "github_pat_"],
    pattern: apartFromMasked(
      /(?<![A-Za-z0-9_])()(gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})(?![A-Za-z0-9_])/g
    )
  },
  {
    rule: "openai-api-key",
    triggers: ["sk-"],
    pattern: apartFromMasked(
      /(?<![A-Za-z0-9_-])()(sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,400})(?![A-Za-z0-9_-])/g
    ),
    accept: looksRandom
  },
  {
    rule: "stripe-key",
    triggers: ["_live_", "_test_", "whsec_"],
    pattern: apartFromMasked(
      /(?<![A-Za-z0-9_])()((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}|whsec_[A-Za-z0-9]{24,250})(?![A-Za-z0-9_])/g
    )
  },
  {
    rule: "gitlab-token",
    triggers: ["glpat-"],
    pattern: apartFromMasked(/(?<![A-Za-z0-9_-])()(glpat-[A-Za-z0-9_-]{20,250})(?![A-Za-z0-9_-])/g)
  },
  {
    rule: "npm-token",
    triggers: ["npm_"],
    pattern: apartFromMasked(/(?<![A-Za-z0-9_])()(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g)
  },
  {
    // Header `eyJ` is base64url of `{"`: a JSON header. Three dot-separated base64url segments
    // (the third may be empty for `alg: none`).
    rule: "jwt",
    triggers: ["eyJ"],
    pattern: apartFromMasked(
      /(?<![A-Za-z0-9_-])()(eyJ[A-Za-z0-9_-]{5,8000}\.[A-Za-z0-9_-]{2,16000}\.[A-Za-z0-9_-]{0,8000})(?![A-Za-z0-9_-])/g
    )
  }
]

/** The rules, each also rejecting documentation examples (`ghp_xxxx…`, `AKIAIOSFODNN7EXAMPLE`). */
export const PROVIDER_TOKEN_RULES: ReadonlyArray<PatternRule> = RULES.map((rule) => {
  const accept = rule.accept
  return {
    ...rule,
    accept: (secret: string) => !isExampleValue(secret) && (accept === undefined || accept(secret))
  }
})
