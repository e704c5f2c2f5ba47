import { describe, expect, it } from "vitest"
import { printable } from "./Output.js"

describe("printable", () => {
  it("writes control characters from the data visibly, keeping newlines and tabs", () => {
    expect(printable("a\u001b]0;pwned\u0007b\tc\nd\r\u009b2J\u007f")).toBe(
      "a\\u001b]0;pwned\\u0007b\tc\nd\\u000d\\u009b2J\\u007f"
    )
  })

  it("leaves ordinary text, JSON and non-Latin text unchanged, call after call", () => {
    for (let i = 0; i < 3; i++) {
      expect(printable('{"text":"이 파일 \\u001b 🎉"}')).toBe('{"text":"이 파일 \\u001b 🎉"}')
      expect(printable("x\u001b")).toBe("x\\u001b")
    }
  })

  it("keeps a JSON string's meaning when it holds a raw C1 character", () => {
    const json = JSON.stringify({ t: "a\u0085b" })
    expect(JSON.parse(printable(json))).toStrictEqual({ t: "a\u0085b" })
  })
})
