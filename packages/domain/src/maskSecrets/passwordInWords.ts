/**
 * Passwords said in words (issue 14): `my password is hunter2horse`, `the token was abc123`,
 * `비밀번호는 hunter2horse`. The words stay readable; the word after them is masked unless it is a
 * placeholder or an ordinary word (an unquoted, digit-free word after "is" is usually prose:
 * `the password is wrong`).
 */
import { isPlaceholderValue } from "./placeholderValue.js"
import { addSpan, type SpanSink } from "./SpanSink.js"

const ENGLISH =
  /\b(?:password|passwd|passphrase|passcode|pin|secret|token|api key)\s+(?:is|was)\s+["'“]?([^\s"'”]{4,256})/gi

/** 비밀번호 / 암호 / 패스워드 (password), with a topic or subject particle or a colon. */
const KOREAN = /(?:비밀번호|암호|패스워드)\s*(?:는|은|가|이|:)?\s*(?:[:=]\s*)?["'“]?([^\s"'”]{4,256})/g

const isProse = (word: string): boolean => /^[A-Za-z가-힣.,!?]+$/.test(word)

const run = (text: string, pattern: RegExp, sink: SpanSink): void => {
  pattern.lastIndex = 0
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    let secret = m[1]!
    while (secret.length > 0 && ".,;!?)".includes(secret[secret.length - 1]!)) secret = secret.slice(0, -1)
    if (secret.length < 4 || isProse(secret) || isPlaceholderValue(secret)) continue
    const start = m.index + m[0].length - m[1]!.length
    addSpan(sink, text, start, start + secret.length, "password-in-words")
  }
}

/** Whether `text` may hold a Korean password phrase (checked before the regex runs). */
const mayHoldKorean = (text: string): boolean =>
  text.includes("비밀번호") || text.includes("암호") || text.includes("패스워드")

/** Cheap pre-check for the English phrase: ` is ` or ` was ` somewhere. */
const IS_OR_WAS = /\s(?:is|was)\s/i

export const detectPasswordsInWords = (text: string, sink: SpanSink): void => {
  if (IS_OR_WAS.test(text)) run(text, ENGLISH, sink)
  if (mayHoldKorean(text)) run(text, KOREAN, sink)
}
