/**
 * Deterministic fake secrets for the corpus and tests. Nothing here is a real credential: every
 * value is drawn from a seeded PRNG at run time, so no token-shaped literal sits in the source
 * (which also keeps secret scanners quiet about this repository).
 */

/** mulberry32: a tiny seeded PRNG, good enough to make varied test strings. */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
export const LOWER = "abcdefghijklmnopqrstuvwxyz"
export const DIGITS = "0123456789"
export const BASE62 = UPPER + LOWER + DIGITS
export const BASE64URL = BASE62 + "-_"
export const HEX = "0123456789abcdef"

const B64 = UPPER + LOWER + DIGITS + "+/"

/** Base64 of ASCII text (hand-written: the domain package uses no host APIs). */
export const b64 = (text: string): string => {
  let out = ""
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i)
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) : 0
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) : 0
    const n = (a << 16) | (b << 8) | c
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!
    out += i + 1 < text.length ? B64[(n >> 6) & 63]! : "="
    out += i + 2 < text.length ? B64[n & 63]! : "="
  }
  return out
}

/** Base64url without padding. */
export const b64url = (text: string): string => b64(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")

/** A generator of fake values from one seed. */
export const fakes = (seed: number) => {
  const next = prng(seed)
  const pick = (alphabet: string): string => alphabet[Math.floor(next() * alphabet.length)]!
  const chars = (alphabet: string, n: number): string => {
    let s = ""
    for (let i = 0; i < n; i++) s += pick(alphabet)
    return s
  }
  /** Random chars, with at least one digit, one capital and one small letter up front mixed in. */
  const mixed = (alphabet: string, n: number): string => {
    const body = chars(alphabet, n - 3)
    const at = Math.floor(next() * (body.length + 1))
    return body.slice(0, at) + pick(DIGITS) + pick(UPPER) + pick(LOWER) + body.slice(at)
  }
  return {
    chars,
    mixed,
    int: (n: number): number => Math.floor(next() * n),
    /** A password-like string: letters, digits and a few symbols safe in most syntaxes. */
    password: (): string => mixed(BASE62, 10) + pick("!%^~+") + chars(BASE62, 3),
    word: (): string => chars(LOWER, 6),
    hex: (n: number): string => chars(HEX, n),
    uuid: (): string => `${chars(HEX, 8)}-${chars(HEX, 4)}-4${chars(HEX, 3)}-a${chars(HEX, 3)}-${chars(HEX, 12)}`,
    base64: (n: number): string => chars(BASE62 + "+/", n),
    bearer: (): string => mixed(BASE64URL, 40),
    basic: (user: string, pass: string): string => b64(`${user}:${pass}`),
    aws: (): string => (next() < 0.5 ? "AKIA" : "ASIA") + mixed(UPPER + DIGITS, 16).toUpperCase(),
    awsSecret: (): string => mixed(BASE62 + "/+", 40),
    github: (): string => "gh" + pick("pousr") + "_" + mixed(BASE62, 36),
    githubPat: (): string => "github_pat_" + mixed(BASE62, 22) + "_" + mixed(BASE62, 59),
    openai: (): string => "sk-" + (next() < 0.5 ? "proj-" : "") + mixed(BASE62, 48),
    anthropic: (): string => "sk-ant-api03-" + mixed(BASE64URL, 93) + "AA",
    // The shapes Slack issues (as gitleaks' rules know them): bot `xoxb-N-N-x24`, user `xoxp-N-N-N-hex32`.
    slack: (): string =>
      next() < 0.5
        ? "xoxb-" + chars(DIGITS, 11) + "-" + chars(DIGITS, 12) + "-" + mixed(BASE62, 24)
        : "xoxp-" +
          chars(DIGITS, 11) +
          "-" +
          chars(DIGITS, 12) +
          "-" +
          chars(DIGITS, 12) +
          "-" +
          chars("0123456789abcdef", 32),
    stripe: (): string => (next() < 0.5 ? "sk" : "rk") + "_live_" + mixed(BASE62, 24),
    google: (): string => "AIza" + mixed(BASE64URL, 35),
    gitlab: (): string => "glpat-" + mixed(BASE64URL, 20),
    npm: (): string => "npm_" + mixed(BASE62, 36),
    jwt: (): string =>
      b64url(JSON.stringify({ alg: "HS256", typ: "JWT" })) +
      "." +
      b64url(
        JSON.stringify({ sub: chars(DIGITS, 8), name: chars(LOWER, 5), iat: 1700000000 + Math.floor(next() * 1e6) })
      ) +
      "." +
      mixed(BASE64URL, 43),
    pemBody: (lines: number): string => Array.from({ length: lines }, () => chars(BASE62 + "+/", 64)).join("\n")
  }
}

export type Fakes = ReturnType<typeof fakes>
