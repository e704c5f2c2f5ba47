/**
 * Credentials recognisable by the words in front of them, outside any `key: value` pair:
 * `Bearer <token>`, `Basic <base64 user:pass>`, and `curl -u user:pass`. The scheme word and
 * user name stay readable; only the credential is masked.
 */
import { isBasicCredentials } from "./base64.js"
import { hasDigit, type PatternRule } from "./PatternRule.js"
import { isPlaceholderValue } from "./placeholderValue.js"
import { apartFromMasked } from "./placeholders.js"

/** A bearer credential must contain a digit, or be long and mixed-case: "Bearer authentication" is prose. */
const isBearerCredential = (s: string): boolean => hasDigit(s) || (s.length >= 20 && /[A-Z]/.test(s) && /[a-z]/.test(s))

/**
 * `-u 1000:1000` (docker's uid:gid), `-u $USER:$PASS` and `-u redis://…` (a URL, handled by
 * the URL rule) are not passwords.
 */
const isCliPassword = (s: string): boolean =>
  !/^\d+$/.test(s) && s.charCodeAt(0) !== 36 && !s.startsWith("//") && !isPlaceholderValue(s.replace(/[>\]]$/, ""))

export const BEARER_RULE: PatternRule = {
  rule: "bearer-token",
  triggers: ["earer", "EARER"],
  pattern: apartFromMasked(
    /(?<![A-Za-z0-9_-])(bearer[ \t]{1,8})([A-Za-z0-9\-._~+/]{8,4096}={0,4})(?![A-Za-z0-9\-._~+/=])/gi
  ),
  accept: isBearerCredential
}

export const BASIC_RULE: PatternRule = {
  rule: "basic-credentials",
  triggers: ["asic", "ASIC"],
  pattern: apartFromMasked(/(?<![A-Za-z0-9_-])(basic[ \t]{1,8})([A-Za-z0-9+/]{4,4096}={0,2})(?![A-Za-z0-9+/=])/gi),
  accept: isBasicCredentials
}

export const CLI_USER_RULE: PatternRule = {
  rule: "cli-user-password",
  triggers: ["-u"],
  pattern: apartFromMasked(
    /(?<![A-Za-z0-9_-])((?:-u|--user)(?:[ \t]{1,8}|=)["']?[^\s:"'$]{1,256}:)([^\s"']{1,1024})/g,
    false
  ),
  accept: isCliPassword
}
