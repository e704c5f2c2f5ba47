import { describe, expect, it } from "@effect/vitest"
import { parseChatLine } from "./chat.js"

describe("parseChatLine", () => {
  it.each([
    ["", { _tag: "Empty" }],
    ["   ", { _tag: "Empty" }],
    ["/quit", { _tag: "Quit" }],
    ["/exit", { _tag: "Quit" }],
    ["/help", { _tag: "Help" }],
    ["/history", { _tag: "History" }],
    ["/show", { _tag: "Show", ref: undefined }],
    ["/show last", { _tag: "Show", ref: "last" }],
    ["/replay abc dry-run", { _tag: "Replay", ref: "abc", mode: "dry-run" }],
    ["read notes.txt", { _tag: "Message", text: "read notes.txt" }],
    ["/hsitory", { _tag: "Unknown", word: "/hsitory", suggestion: "/history" }],
    ["  /frobnicate notes.txt ", { _tag: "Unknown", word: "/frobnicate", suggestion: undefined }],
    ["/", { _tag: "Message", text: "/" }]
  ])("%j", (line, command) => {
    expect(parseChatLine(line)).toEqual(command)
  })
})
