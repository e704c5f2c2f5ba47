/**
 * Passwords in URLs (`postgres://user:pass@host/db`, `https://x-access-token:…@github.com`).
 * The scheme, user name and host stay readable; the password is masked.
 *
 * Found by hand from each `://`: the authority runs to the first `/ ? #`, whitespace or quote,
 * and the user info ends at its *last* `@`, so an unencoded `@` in a password does not leak
 * the rest of it. Each scan stops at the next `/`, so the whole pass is linear.
 */
import { isPlaceholderValue } from "./placeholderValue.js"
import { addSpan, type SpanSink } from "./SpanSink.js"

const MAX_AUTHORITY = 2048

const isSchemeChar = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46

const endsAuthority = (c: number): boolean =>
  c === 47 ||
  c === 63 ||
  c === 35 ||
  c === 32 ||
  c === 9 ||
  c === 10 ||
  c === 13 ||
  c === 34 ||
  c === 39 ||
  c === 96 ||
  c === 60 ||
  c === 62 ||
  c === 92

const isHostChar = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95

/**
 * The `@` ending the user info when the password itself holds `/`, `?` or `#`
 * (`postgres://app:p#ss@w/rd@db:5432/app`, issue 14), which end the authority early: the last `@`
 * before the next space or quote that is followed by a host name and then `:`, `/`, `?`, `#` or
 * the end. Only asked when the early authority has a `:` that is not a port (`host:8080/a@b`
 * stays a path).
 */
interface LateScan {
  /** Where the last forward scan ended (a space, quote or the limit), or -1. */
  to: number
  /** The last valid `@` it found, or -1. */
  found: number
}

const lateAt = (text: string, from: number, stop: number, limit: number, memo: LateScan): number => {
  let colon = from
  while (colon < stop && text.charCodeAt(colon) !== 58) colon++
  if (colon >= stop - 1 && !(colon < stop && stop < text.length)) return -1
  if (colon >= stop) return -1
  let port = colon + 1
  while (port < stop && text.charCodeAt(port) >= 48 && text.charCodeAt(port) <= 57) port++
  if (port === stop && port > colon + 1) return -1
  // Every authority inside one run of non-space text ends its scan at the same place: reuse it,
  // so `x://user:x://user:…` stays linear.
  if (stop < memo.to) return memo.found >= stop ? memo.found : -1
  let found = -1
  let k = stop
  for (; k < limit; k++) {
    const c = text.charCodeAt(k)
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62) break
    if (c !== 64) continue
    let h = k + 1
    while (h < limit && isHostChar(text.charCodeAt(h))) h++
    const after = h < text.length ? text.charCodeAt(h) : -1
    if (
      h > k + 1 &&
      (after === -1 ||
        after === 58 ||
        after === 47 ||
        after === 63 ||
        after === 35 ||
        after === 32 ||
        after === 34 ||
        after === 39)
    )
      found = k
  }
  memo.to = k
  memo.found = found
  return found
}

export const detectUrlCredentials = (text: string, sink: SpanSink): void => {
  const late: LateScan = { to: -1, found: -1 }
  let from = 0
  for (;;) {
    const sep = text.indexOf("://", from)
    if (sep < 0) return
    from = sep + 3
    if (sep === 0 || !isSchemeChar(text.charCodeAt(sep - 1))) continue
    const limit = Math.min(text.length, from + MAX_AUTHORITY)
    let k = from
    let at = -1
    while (k < limit) {
      const c = text.charCodeAt(k)
      if (endsAuthority(c)) break
      if (c === 64) at = k
      k++
    }
    if (at < 0) at = lateAt(text, from, k, Math.min(text.length, k + MAX_AUTHORITY), late)
    if (at > 0) {
      let colon = from
      while (colon < at && text.charCodeAt(colon) !== 58) colon++
      if (colon < at - 1 && !isPlaceholderValue(text.slice(colon + 1, at))) {
        addSpan(sink, text, colon + 1, at, "url-credentials")
      }
    }
    from = k > from ? k : from
  }
}
