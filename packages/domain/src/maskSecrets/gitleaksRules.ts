/**
 * gitleaks' default rule set, run as data (issue 14): the provider tokens, key names and
 * assignment syntaxes of a maintained scanner instead of a hand-written pattern per provider.
 * The rules come from gitleaksRuleData.ts (generated; see its header for the version); this file
 * is the engine, following gitleaks' own detect logic:
 *
 * - a rule runs only when the lower-cased text contains one of its keywords;
 * - the secret is the rule's secret group, else the first non-empty group, else the match;
 * - a secret is dropped when its Shannon entropy is at or below the rule's threshold, when a
 *   `generic-*` secret has no digit, when a global or rule allow-list matches (regexes on the
 *   secret, the match or the line; stop words in the secret).
 *
 * Only the secret's range is masked, so `API_KEY = "…"` keeps its name and quotes. Patterns are
 * compiled on first use. V8 backtracks where RE2 does not, so a string longer than
 * {@link MAX_SCAN} is scanned line by line (gitleaks scans files in fragments too).
 */
import { GITLEAKS_GLOBAL_ALLOWLIST, GITLEAKS_RULES } from "./gitleaksRuleData.js"
import type { GitleaksAllowlist, GitleaksRule } from "./GitleaksRule.js"
import { GITLEAKS, nextTrigram } from "./prefilterCodes.js"
import { addSpan, type SpanSink } from "./SpanSink.js"

/** Strings longer than this are scanned per line. */
const MAX_SCAN = 4096

interface CompiledAllowlist {
  readonly and: boolean
  readonly target: "secret" | "match" | "line"
  readonly regexes: ReadonlyArray<RegExp>
  readonly stopwords: ReadonlyArray<string>
}

interface CompiledRule {
  readonly rule: GitleaksRule
  readonly pattern: RegExp
  readonly allow: ReadonlyArray<CompiledAllowlist>
}

const compileAllowlist = (a: GitleaksAllowlist): CompiledAllowlist => ({
  and: a.and === true,
  target: a.target ?? "secret",
  regexes: a.regexes.map((r) => new RegExp(r)),
  stopwords: a.stopwords
})

let compiledRules: ReadonlyArray<CompiledRule> | undefined
let globalAllow: CompiledAllowlist | undefined

/**
 * gitleaks rules left out because a detector of our own covers the same secret and keeps more
 * readable: pemPrivateKey.ts keeps the BEGIN/END lines, authSchemes.ts keeps the curl user name,
 * sensitiveAssignment.ts reads every `key = value` (gitleaks' `generic-api-key`, whose keywords
 * `key`, `api`, `auth` would send most strings through 200 rules), providerTokens.ts has JWTs.
 */
const COVERED_HERE: ReadonlySet<string> = new Set(["private-key", "curl-auth-user", "generic-api-key", "jwt"])

/** The rules this engine runs. */
const RUN_RULES: ReadonlyArray<GitleaksRule> = GITLEAKS_RULES.filter((rule) => !COVERED_HERE.has(rule.id))

const rules = (): ReadonlyArray<CompiledRule> =>
  (compiledRules ??= RUN_RULES.map((rule) => ({
    rule,
    pattern: new RegExp(rule.regex, "dg"),
    allow: (rule.allow ?? []).map(compileAllowlist)
  })))

let byKeyword: Map<string, Array<CompiledRule>> | undefined

/** The compiled rules by each of their keywords. */
const rulesByKeyword = (): Map<string, Array<CompiledRule>> => {
  if (byKeyword !== undefined) return byKeyword
  byKeyword = new Map()
  for (const c of rules()) {
    for (const k of c.rule.keywords) {
      const list = byKeyword.get(k)
      if (list === undefined) byKeyword.set(k, [c])
      else list.push(c)
    }
  }
  return byKeyword
}

/** The distinct keywords of every rule (for the trigram pre-check). */
export const GITLEAKS_KEYWORDS: ReadonlyArray<string> = [...new Set(RUN_RULES.flatMap((r) => r.keywords))]

/** Shannon entropy of `s` in bits per character, as gitleaks computes it. */
export const shannonEntropy = (s: string): number => {
  if (s.length === 0) return 0
  const counts = new Map<number, number>()
  for (let i = 0; i < s.length; i++) counts.set(s.charCodeAt(i), (counts.get(s.charCodeAt(i)) ?? 0) + 1)
  let h = 0
  for (const n of counts.values()) {
    const p = n / s.length
    h -= p * Math.log2(p)
  }
  return h
}

const hasDigit = (s: string): boolean => /[0-9]/.test(s)

const lineOf = (text: string, start: number, end: number): string => {
  const from = text.lastIndexOf("\n", start - 1) + 1
  const to = text.indexOf("\n", end)
  return text.slice(from, to < 0 ? text.length : to)
}

/** Whether an allow-list lets this finding go (it is not a secret). */
const allows = (a: CompiledAllowlist, secret: string, match: string, line: () => string): boolean => {
  const target = a.target === "secret" ? secret : a.target === "match" ? match : line()
  const checks: Array<boolean> = []
  if (a.regexes.length > 0) checks.push(a.regexes.some((r) => r.test(target)))
  if (a.stopwords.length > 0) {
    const lower = secret.toLowerCase()
    checks.push(a.stopwords.some((w) => lower.includes(w)))
  }
  if (checks.length === 0) return false
  return a.and ? checks.every(Boolean) : checks.some(Boolean)
}

const runRule = (text: string, c: CompiledRule, sink: SpanSink, offset: number, whole: string): void => {
  const { rule, pattern } = c
  pattern.lastIndex = 0
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++
      continue
    }
    let g = rule.group ?? 0
    if (rule.group === undefined)
      for (let i = 1; i < m.length; i++)
        if (m[i] !== undefined && m[i] !== "") {
          g = i
          break
        }
    const secret = m[g] ?? ""
    const at = m.indices?.[g]
    if (secret === "" || at === undefined) continue
    if (rule.entropy !== undefined && shannonEntropy(secret) <= rule.entropy) continue
    if (rule.id.startsWith("generic") && !hasDigit(secret)) continue
    const line = () => lineOf(text, m.index, m.index + m[0].length)
    globalAllow ??= compileAllowlist(GITLEAKS_GLOBAL_ALLOWLIST)
    if (allows(globalAllow, secret, m[0], line)) continue
    if (c.allow.some((a) => allows(a, secret, m[0], line))) continue
    addSpan(sink, whole, offset + at[0], offset + at[1], "gitleaks-rule")
  }
}

const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c)

/** Three (case-folded) UTF-16 code units as one number: a Map key that allocates nothing. */
const key3 = (a: number, b: number, c: number): number => (a * 65536 + b) * 65536 + c

/** Keywords of three or more characters by their first three. */
const KEYWORDS_BY_PREFIX = new Map<number, Array<string>>()
for (const k of GITLEAKS_KEYWORDS) {
  if (k.length < 3) continue
  const prefix = key3(k.charCodeAt(0), k.charCodeAt(1), k.charCodeAt(2))
  const list = KEYWORDS_BY_PREFIX.get(prefix)
  if (list === undefined) KEYWORDS_BY_PREFIX.set(prefix, [k])
  else list.push(k)
}

/** Whether `keyword` (lower case) occurs in `text` at `at`, ignoring ASCII case. */
const startsWithFolded = (text: string, keyword: string, at: number): boolean => {
  if (at < 0 || at + keyword.length > text.length) return false
  for (let k = 0; k < keyword.length; k++) if (fold(text.charCodeAt(at + k)) !== keyword.charCodeAt(k)) return false
  return true
}

const addFound = (
  text: string,
  prefix: number,
  at: number,
  found: Set<string> | undefined
): Set<string> | undefined => {
  const list = KEYWORDS_BY_PREFIX.get(prefix)
  if (list === undefined) return found
  for (let j = 0; j < list.length; j++) if (startsWithFolded(text, list[j]!, at)) (found ??= new Set()).add(list[j]!)
  return found
}

/**
 * The keywords that occur in `text`, in one pass that reuses the pre-check's trigram table
 * (prefilter.ts): only positions whose trigram starts a keyword are looked at. (A substring
 * search per keyword would read the text 200 times.)
 */
const keywordsIn = (text: string, trigrams: Uint8Array): Set<string> | undefined => {
  let found: Set<string> | undefined
  let h = 0
  for (let i = 0; i < text.length; i++) {
    h = nextTrigram(h, text.charCodeAt(i))
    if ((trigrams[h]! & GITLEAKS) === 0 || i < 2) continue
    const prefix = key3(fold(text.charCodeAt(i - 2)), fold(text.charCodeAt(i - 1)), fold(text.charCodeAt(i)))
    found = addFound(text, prefix, i - 2, found)
  }
  for (let k = 0; k < SHORT_KEYWORDS.length; k++) {
    const [keyword, literal] = SHORT_KEYWORDS[k]!
    if (text.includes(literal)) (found ??= new Set()).add(keyword)
  }
  return found
}

/**
 * The two-character keywords (`sk`, `s.`, `q~`): too common as trigrams to gate on, so looked
 * for as literals in the case their rule's pattern spells them (`SK…` for Twilio, `s.` for Vault).
 */
const SHORT_KEYWORDS: ReadonlyArray<readonly [keyword: string, literal: string]> = RUN_RULES.flatMap((rule) =>
  rule.keywords
    // `s.` (Vault's tokens before 1.10, 24 characters after it) ends a sentence in most prose: left
    // out; `hvs.` tokens are found by their own keyword.
    .filter((k) => k.length < 3 && k !== "s.")
    .map((k) => [k, rule.regex.includes(k.toUpperCase()) ? k.toUpperCase() : k] as const)
)

/** Whether `text` holds a two-character keyword (the trigram pre-check does not cover them). */
export const hasShortKeyword = (text: string): boolean => {
  for (let k = 0; k < SHORT_KEYWORDS.length; k++) if (text.includes(SHORT_KEYWORDS[k]![1])) return true
  return false
}

/** Records the secret of every finding of gitleaks' rules in `text`. */
export const detectGitleaksSecrets = (text: string, sink: SpanSink, trigrams: Uint8Array): void => {
  const found = keywordsIn(text, trigrams)
  if (found === undefined) return
  const active: Array<CompiledRule> = []
  for (const k of found) {
    const list = rulesByKeyword().get(k)
    if (list !== undefined) for (let i = 0; i < list.length; i++) if (!active.includes(list[i]!)) active.push(list[i]!)
  }
  if (active.length === 0) return
  if (text.length <= MAX_SCAN) {
    for (let i = 0; i < active.length; i++) runRule(text, active[i]!, sink, 0, text)
    return
  }
  let from = 0
  while (from < text.length) {
    let to = text.indexOf("\n", from)
    if (to < 0) to = text.length
    for (let start = from; start < to; start += MAX_SCAN) {
      const piece = text.slice(start, Math.min(to, start + MAX_SCAN))
      for (let i = 0; i < active.length; i++) runRule(piece, active[i]!, sink, start, text)
    }
    from = to + 1
  }
}
