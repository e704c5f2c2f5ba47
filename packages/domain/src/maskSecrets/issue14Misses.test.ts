/**
 * What gitleaks' examples and a new user showed maskString missed on main (issue 14), each kept
 * as a case: the name and syntax stay readable, the secret goes.
 */
import { describe, expect, it } from "vitest"
import { maskString } from "./index.js"

const M = "***MASKED***"

const cases: ReadonlyArray<readonly [string, string]> = [
  ["my password is hunter2horse", `my password is ${M}`],
  ["비밀번호는 hunter2horse 입니다", `비밀번호는 ${M} 입니다`],
  ["postgres://app:p#ss@w/rd@db:5432/app", `postgres://app:${M}@db:5432/app`],
  ["mysql://u:a/b#c@host/db", `mysql://u:${M}@host/db`],
  ["API_KEY2=abc123def456", `API_KEY2=${M}`],
  ["stripeKey = 'abc123def456ghi'", `stripeKey = '${M}'`],
  ["MY_SERVICE_KEY=abc123def456", `MY_SERVICE_KEY=${M}`],
  ["TOKEN ?= abc123def456", `TOKEN ?= ${M}`],
  ["$token .= 'abc123def456'", `$token .= '${M}'`],
  ['System.setProperty("X_TOKEN", "abc123def456")', `System.setProperty("X_TOKEN", "${M}")`],
  ["os.environ['DB_PASSWORD'] = 'abc123def456'", `os.environ['DB_PASSWORD'] = '${M}'`],
  ['<add key="Password" value="abc123def456" />', `<add key="Password" value="${M}" />`],
  ["vault -vaultToken s3cr3tTok3n9 run", `vault -vaultToken ${M} run`],
  ["curl -u admin:pw12345 https://x", `curl -u admin:${M} https://x`],
  ["https://hooks.slack.com/services/T01234567/B01234567/abcdefghijklmnopqrstuvwx", M]
]

const untouched = [
  "the password is wrong",
  "http://host:8080/users/a@b.example",
  "primaryKey = 'user_id'",
  'CSV: name, "value", 3',
  "-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----",
  "AKIAIOSFODNN7EXAMPLE",
  "CO_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
]

describe("maskString on issue 14's misses", () => {
  it.each(cases)("masks %s", (input, expected) => {
    expect(maskString(input)).toBe(expected)
    expect(maskString(expected)).toBe(expected)
  })

  it.each(untouched)("leaves %s as it is", (input) => {
    expect(maskString(input)).toBe(input)
  })
})
