/**
 * The trigram codes of the pre-check (prefilter.ts) and its detector families, in a module of
 * their own so detectors (gitleaksRules.ts) can walk the same trigrams without importing the
 * table that lists their keywords.
 */
/** `key=value`, `"key": "value"`, `--key value` detectors (sensitiveAssignment.ts). */
export const NAMES = 1
/** `Bearer …` / `Basic …` (authSchemes.ts). */
export const SCHEMES = 2
/** `scheme://user:password@` (urlCredentials.ts). */
export const URLS = 4
/** `-----BEGIN … PRIVATE KEY-----` (pemPrivateKey.ts). */
export const PEM = 8
/** `curl -u user:password` (authSchemes.ts). */
export const CLI_USER = 16
/** Provider tokens and JWTs (providerTokens.ts). */
export const TOKENS = 32
/** A keyword of one of gitleaks' rules (gitleaksRules.ts). */
export const GITLEAKS = 64
/** A Hangul syllable: the text may say a password in Korean (passwordInWords.ts). */
export const WORDS = 128

/** 5-bit code of an ASCII character: letters case-folded to 1–26, a few separators, 31 = other. */
const CODE = new Uint8Array(128).fill(31)
for (let c = 97; c <= 122; c++) {
  CODE[c] = c - 96
  CODE[c - 32] = c - 96
}
CODE[45] = 27 // -
CODE[95] = 28 // _
CODE[58] = 29 // :
CODE[47] = 30 // /

export const ALL = NAMES | SCHEMES | URLS | PEM | CLI_USER | TOKENS | GITLEAKS | WORDS

export const codeOf = (c: number): number => (c < 128 ? CODE[c]! : 31)

export const index = (a: number, b: number, c: number): number => (a << 10) | (b << 5) | c

/** The rolling trigram code after character `c`. */
export const nextTrigram = (h: number, c: number): number => ((h << 5) | (c < 128 ? CODE[c]! : 31)) & 32767
