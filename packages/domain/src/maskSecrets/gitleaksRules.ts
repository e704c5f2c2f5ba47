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
 * readable: pemPrivateKey.ts keeps the BEGIN/END lines, authSchemes.ts keeps the curl user name.
 */
const COVERED_HERE: ReadonlySet<string> = new Set(["private-key", "curl-auth-user", "generic-api-key"])

const rules = (): ReadonlyArray<CompiledRule> =>
  (compiledRules ??= GITLEAKS_RULES.filter((rule) => !COVERED_HERE.has(rule.id)).map((rule) => ({
    rule,
    pattern: new RegExp(rule.regex, "dg"),
    allow: (rule.allow ?? []).map(compileAllowlist)
  })))

/** The distinct keywords of every rule (for the trigram pre-check). */
export const GITLEAKS_KEYWORDS: ReadonlyArray<string> = [...new Set(GITLEAKS_RULES.flatMap((r) => r.keywords))]

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
    if (rule.group === undefined) for (let i = 1; i < m.length; i++) if (m[i] !== undefined && m[i] !== "") {
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

/** Keywords by their first two characters (every keyword has at least two). */
const KEYWORDS_BY_PAIR = new Map<number, Array<string>>()
/** Whether any keyword starts with a pair of Latin-1 characters: a one-lookup reject. */
const PAIR_SEEN = new Uint8Array(65536)
for (const k of GITLEAKS_KEYWORDS) {
  const a = k.charCodeAt(0)
  const b = k.charCodeAt(1)
  const pair = a * 65536 + b
  const list = KEYWORDS_BY_PAIR.get(pair)
  if (list === undefined) KEYWORDS_BY_PAIR.set(pair, [k])
  else list.push(k)
  if (a < 256 && b < 256) PAIR_SEEN[(a << 8) | b] = 1
}

/**
 * The keywords that occur in `lower`, in one pass (a substring search per keyword would read
 * a 10 MB string 244 times).
 */
const keywordsIn = (lower: string): Set<string> => {
  const found = new Set<string>()
  for (let i = 0; i + 1 < lower.length; i++) {
    const a = lower.charCodeAt(i)
    const b = lower.charCodeAt(i + 1)
    if (a < 256 && b < 256 && PAIR_SEEN[(a << 8) | b] === 0) continue
    const list = KEYWORDS_BY_PAIR.get(a * 65536 + b)
    if (list === undefined) continue
    for (let j = 0; j < list.length; j++) if (lower.startsWith(list[j]!, i)) found.add(list[j]!)
  }
  return found
}

/** Records the secret of every finding of gitleaks' rules in `text`. */
export const detectGitleaksSecrets = (text: string, sink: SpanSink): void => {
  const found = keywordsIn(text.toLowerCase())
  if (found.size === 0) return
  const active = rules().filter(({ rule }) => rule.keywords.some((k) => found.has(k)))
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
