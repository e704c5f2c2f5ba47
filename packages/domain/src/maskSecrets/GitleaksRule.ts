/**
 * The shape of one of gitleaks' rules as data (gitleaksRuleData.ts, generated from gitleaks'
 * config/gitleaks.toml): what the rule matches, which part of the match is the secret, and the
 * checks that keep it from firing on look-alikes (entropy, allow-lists, stop words).
 */

/** Exceptions to a rule: a finding is dropped when they match (all of them when `and`). */
export interface GitleaksAllowlist {
  readonly and?: boolean
  /** What `regexes` are tried on: the secret (default), the whole match, or its line. */
  readonly target?: "match" | "line"
  readonly regexes: ReadonlyArray<string>
  /** Lower-case words; a secret containing one is not a secret. */
  readonly stopwords: ReadonlyArray<string>
}

export interface GitleaksRule {
  readonly id: string
  /** A JavaScript pattern (rewritten from RE2 by the generator; no flags needed). */
  readonly regex: string
  /** The capture group holding the secret (else the first non-empty group, else the match). */
  readonly group?: number
  /** The Shannon entropy (bits per character) a secret must exceed. */
  readonly entropy?: number
  /** Lower-case literals, one of which the text must contain for the rule to run. */
  readonly keywords: ReadonlyArray<string>
  readonly allow?: ReadonlyArray<GitleaksAllowlist>
}
