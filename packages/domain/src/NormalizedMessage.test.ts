import { describe, expect, it } from "vitest"
import { parseCommand } from "./NormalizedMessage.js"
import { sampleMessage } from "./testing.js"

describe("NormalizedMessage", () => {
  it("reads a text starting with / as a command with its arguments", () => {
    expect(parseCommand("/replay last --dry-run")).toStrictEqual({
      is_command: true,
      command: "replay",
      command_args: "last --dry-run"
    })
  })

  it("gives null arguments to a command without a space", () => {
    expect(parseCommand("/history")).toStrictEqual({ is_command: true, command: "history", command_args: null })
  })

  it("does not read an ordinary text as a command", () => {
    expect(parseCommand("read /etc/hosts")).toStrictEqual({ is_command: false, command: null, command_args: null })
  })

  it("normalises a CLI message with nulls for what the channel lacks", () => {
    const m = sampleMessage("/show last")
    expect(m).toMatchObject({ channel_type: "cli", user_name: null, thread_id: null, attachments: [], is_reply: false })
    expect(m.command).toBe("show")
  })
})
