/**
 * Splitting a key name into lowercase words, so that `apiKey`, `X-Api-Key`, `api_key`,
 * `api.key` and `API KEY` all read as the words `api key`. Matching by word (rather than by
 * substring, as the seed does) is what lets the extended rules be precise: `author` is not
 * `auth`, `monkey` is not `key`.
 */

const OTHER = 0
const LOWER = 1
const UPPER = 2
const DIGIT = 3

const charKind = (c: number): number =>
  c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : OTHER

/**
 * The lowercase words of a key name. Boundaries are any non-ASCII-alphanumeric character, a
 * lower-case letter or digit followed by an upper-case one (`apiKey`), and the last capital of
 * a capital run followed by a lower-case letter (`APIKey` → `api key`).
 */
export const splitWords = (name: string): Array<string> => {
  const words: Array<string> = []
  const n = name.length
  let start = -1
  let prev = OTHER
  for (let i = 0; i < n; i++) {
    const kind = charKind(name.charCodeAt(i))
    if (kind === OTHER) {
      if (start >= 0) words.push(name.slice(start, i).toLowerCase())
      start = -1
    } else if (start < 0) {
      start = i
    } else if (
      kind === UPPER &&
      (prev === LOWER || prev === DIGIT || (prev === UPPER && i + 1 < n && charKind(name.charCodeAt(i + 1)) === LOWER))
    ) {
      words.push(name.slice(start, i).toLowerCase())
      start = i
    }
    prev = kind
  }
  if (start >= 0) words.push(name.slice(start).toLowerCase())
  return words
}

/** The canonical spelling of a key name: its words joined by one space. */
export const normalizeKey = (name: string): string => splitWords(name).join(" ")
