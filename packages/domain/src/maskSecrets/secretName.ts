/**
 * Whether a name (an object key, a header name, the left side of `key=value` in a string)
 * announces a secret value. This is the extended, word-based rule; the seed's substring rule
 * (`isSensitiveKey`) is applied separately to object keys and is never weakened.
 *
 * The rule, on the lowercase words of the name (see {@link splitWords}):
 * 1. If the last word says the value is *about* the secret rather than the secret itself
 *    (`tokenCount`, `passwordPolicy`, `privateKeyPath`, `cookieDomain`), it is not a secret.
 * 2. Strong words anywhere (`password`, `secret`, `token`, `credential`, `authorization`, …)
 *    and strong compounds anywhere once separators are removed (`apikey`, `privatekey`,
 *    `accesskey`, `sessionid`, `pgpassword`, …) make it a secret.
 * 3. Weak words (`session`, `auth`, `pass`, `pwd`, `cookie`, `otp`, `bearer`) make it a secret
 *    only as the last word, ignoring a trailing `value`/`header`/`string`: `session` and
 *    `userSession` are secrets, `sessionCount` and `authMethod` are not.
 * Names whose value is public or a reference are not secrets: `publicToken`, `csrf-token`,
 * `credentialsId` (a CI system's name for a stored credential; issue 14, gitleaks' examples).
 * The shell's `PWD`/`OLDPWD` (the working directory, spelled in capitals) are exempt.
 */
import { splitWords } from "./keyWords.js"

/** Last words naming metadata about a secret, not the secret. */
const METADATA_WORDS: ReadonlySet<string> = new Set([
  "count",
  "counts",
  "length",
  "len",
  "size",
  "limit",
  "limits",
  "max",
  "min",
  "usage",
  "used",
  "name",
  "names",
  "type",
  "types",
  "kind",
  "format",
  "path",
  "paths",
  "file",
  "files",
  "filename",
  "dir",
  "directory",
  "url",
  "uri",
  "urls",
  "endpoint",
  "host",
  "domain",
  "enabled",
  "disabled",
  "required",
  "expires",
  "expiry",
  "expiration",
  "ttl",
  "age",
  "at",
  "timeout",
  "hint",
  "label",
  "policy",
  "policies",
  "prompt",
  "placeholder",
  "field",
  "fields",
  "version",
  "method",
  "mode",
  "provider",
  "manager",
  "strategy",
  "scheme",
  "flow",
  "status",
  "scope",
  "scopes",
  "audience",
  "issuer",
  "algorithm",
  "alg",
  "pattern",
  "regex",
  "rule",
  "rules",
  "error",
  "errors",
  "strength",
  "consent",
  "env",
  "var",
  "template",
  "fingerprint",
  "rotation",
  "store",
  "location"
])

/** Trailing words that only say the value is encoded somehow: `cookieValue`, `authHeader`. */
const VALUE_SUFFIX_WORDS: ReadonlySet<string> = new Set([
  "value",
  "header",
  "string",
  "str",
  "raw",
  "data",
  "b64",
  "base64",
  "hex",
  "enc",
  "encoded"
])

/** Words that make a name secret wherever they stand. */
const STRONG_WORDS: ReadonlySet<string> = new Set([
  "password",
  "passwd",
  "passphrase",
  "passcode",
  "secret",
  "token",
  "credential",
  "credentials",
  "creds",
  "authorization",
  "jwt",
  "apikey",
  "privatekey"
])

/** Words that make a name secret only as its last word. */
const WEAK_TAIL_WORDS: ReadonlySet<string> = new Set([
  "session",
  "auth",
  "pass",
  "pwd",
  "cookie",
  "cookies",
  "otp",
  "totp",
  "bearer"
])

/** Compounds found in the name with separators removed (`PGPASSWORD`, `X-Api-Key`). */
const STRONG_FRAGMENTS: ReadonlyArray<string> = [
  "password",
  "passwd",
  "passphrase",
  "apikey",
  "privatekey",
  "accesskey",
  "secretkey",
  "signingkey",
  "encryptionkey",
  "masterkey",
  "sessionkey",
  "sessionid",
  "sessiontoken",
  "authkey",
  "licensekey",
  "clientsecret",
  "amzsignature"
]

/** Endings of the separator-free name (`JWTSECRET`, `GITHUBTOKEN`, `MYSQLPWD`). */
const STRONG_ENDINGS: ReadonlyArray<string> = ["secret", "token", "pwd"]

/** Whole names that are secrets only when they are the entire name (Azure SAS `sig`). */
const EXACT_NAMES: ReadonlySet<string> = new Set(["sig"])

/** First words of names whose value is meant to be seen: `publicToken`, `csrf-token` (per session). */
const PUBLIC_FIRST_WORDS: ReadonlySet<string> = new Set(["public", "csrf", "xsrf"])

/** Words before a final `id` that make the name a reference to a stored secret (`credentialsId`). */
const REFERENCE_WORDS: ReadonlySet<string> = new Set(["credential", "credentials", "creds"])

/**
 * Words before a final `key` that make it a data key, not a credential (`primaryKey`, `sortKey`,
 * `cacheKey`, `i18nKey`). Any other `…Key` / `…_KEY` (`stripeKey`, `MY_SERVICE_KEY`) is a secret.
 */
const DATA_KEY_WORDS: ReadonlySet<string> = new Set([
  "primary",
  "foreign",
  "sort",
  "partition",
  "cache",
  "routing",
  "idempotency",
  "hot",
  "lookup",
  "map",
  "dict",
  "hash",
  "object",
  "row",
  "column",
  "table",
  "index",
  "unique",
  "composite",
  "shard",
  "group",
  "message",
  "i18n",
  "translation",
  "registry",
  "list",
  "element",
  "item",
  "react",
  "storage",
  "redis",
  "s3",
  "bucket",
  "file",
  "query",
  "field",
  "sign",
  "dedup",
  "dedupe",
  "order",
  "range",
  "entry",
  "node",
  "locale",
  "lang",
  "label",
  "ssh",
  "gpg",
  "pgp",
  "public",
  "foreign",
  "join",
  "match",
  "config",
  "env",
  "property",
  "prop",
  "props",
  "state",
  "event",
  "metric",
  "metrics",
  "tag",
  "path",
  "name",
  "type",
  "schema",
  "sequence",
  "ha",
  "selector",
  "primary",
  "sub",
  "parent",
  "child",
  "hotkey",
  "short",
  "access"
])

/** Names exempt whatever they contain: the shell's working-directory variables. */
const EXEMPT_NAMES: ReadonlySet<string> = new Set(["PWD", "OLDPWD"])

/** Words naming a header whose entire value is a credential (`Authorization: Digest …`). */
const WHOLE_VALUE_WORDS: ReadonlySet<string> = new Set(["authorization", "cookie", "cookies"])

/**
 * Whether `words` contains `sequence` as a contiguous run. Used for the caller's extra keys,
 * which are themselves word sequences.
 */
const containsSequence = (words: ReadonlyArray<string>, sequence: ReadonlyArray<string>): boolean => {
  const last = words.length - sequence.length
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < sequence.length; j++) if (words[i + j] !== sequence[j]) continue outer
    return true
  }
  return false
}

/**
 * Whether `fragment` occurs in `compact` (the words joined) ending where a word ends: `masterKey`
 * and `PGPASSWORD` hold `masterkey`/`password`, `master-keying` does not hold `masterkey`.
 */
const endsAtWordEnd = (words: ReadonlyArray<string>, compact: string, fragment: string): boolean => {
  for (let at = compact.indexOf(fragment); at >= 0; at = compact.indexOf(fragment, at + 1)) {
    const end = at + fragment.length
    let boundary = 0
    for (let i = 0; i < words.length && boundary < end; i++) boundary += words[i]!.length
    if (boundary === end) return true
  }
  return false
}

/**
 * Whether a name announces a secret, with the caller's extra word sequences (already split).
 * Pure and allocation-light; callers cache it per name.
 */
export const isSecretName = (name: string, extra: ReadonlyArray<ReadonlyArray<string>> = []): boolean => {
  if (EXEMPT_NAMES.has(name)) return false
  const words = splitWords(name)
  // A trailing number does not change what a name means: `API_KEY2`, `token1`, `password_2`.
  while (words.length > 1 && /^\d+$/.test(words[words.length - 1]!)) words.pop()
  if (words.length > 0) words[words.length - 1] = words[words.length - 1]!.replace(/(?<=[a-z])\d+$/, "")
  const n = words.length
  if (n === 0) return false
  for (let i = 0; i < extra.length; i++) if (containsSequence(words, extra[i]!)) return true
  if (METADATA_WORDS.has(words[n - 1]!)) return false
  if (PUBLIC_FIRST_WORDS.has(words[0]!) && n > 1) return false
  if (n > 1 && words[n - 1] === "id" && REFERENCE_WORDS.has(words[n - 2]!)) return false
  if (n === 1 && EXACT_NAMES.has(words[0]!)) return true
  let end = n
  while (end > 1 && VALUE_SUFFIX_WORDS.has(words[end - 1]!)) end--
  if (WEAK_TAIL_WORDS.has(words[end - 1]!)) return true
  if (end > 1 && words[end - 1] === "key" && !DATA_KEY_WORDS.has(words[end - 2]!)) return true
  for (let i = 0; i < n; i++) if (STRONG_WORDS.has(words[i]!)) return true
  const compact = n === 1 ? words[0]! : words.join("")
  for (let i = 0; i < STRONG_FRAGMENTS.length; i++) if (endsAtWordEnd(words, compact, STRONG_FRAGMENTS[i]!)) return true
  for (let i = 0; i < STRONG_ENDINGS.length; i++) if (compact.endsWith(STRONG_ENDINGS[i]!)) return true
  return false
}

/**
 * Whether the whole rest of a `name: value` line is the credential (`Authorization`, `Cookie`,
 * `Set-Cookie`), as opposed to one token ending at the first space or `&`.
 */
export const isWholeValueName = (name: string): boolean => {
  const words = splitWords(name)
  for (let i = 0; i < words.length; i++) if (WHOLE_VALUE_WORDS.has(words[i]!)) return true
  return false
}

/** Whether the name is an `Authorization`-style header (reported as `authorization-header`). */
export const isAuthorizationName = (name: string): boolean => splitWords(name).includes("authorization")

/** Last words of a `--flag value` whose value is the secret itself (`--token x`, `--api-key x`). */
const FLAG_TAIL_WORDS: ReadonlySet<string> = new Set([
  "password",
  "passwd",
  "pwd",
  "pass",
  "passphrase",
  "passcode",
  "token",
  "secret",
  "key",
  "apikey",
  "credential",
  "credentials",
  "creds",
  "auth",
  "authorization",
  "cookie",
  "otp",
  "totp",
  "jwt"
])

/**
 * Whether `--name value` (space-separated) carries a secret: a secret name whose last word is
 * the secret itself, so `--skip-auth-check now` or `--token-file x` do not qualify.
 */
export const isSecretFlagWord = (name: string): boolean => {
  const words = splitWords(name)
  return words.length > 0 && FLAG_TAIL_WORDS.has(words[words.length - 1]!)
}
