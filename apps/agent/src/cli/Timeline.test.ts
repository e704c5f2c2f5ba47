import { Events, Execution, type ExecutionEvent, Timestamp } from "@cratos/domain"
import { at, sample, sampleMessage } from "@cratos/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import {
  describeEvent,
  duration,
  elapsed,
  formatEvent,
  formatEvents,
  formatHeader,
  formatStateAt,
  formatTimeline,
  ICONS,
  oneLine
} from "./Timeline.js"

const SECRET = "sk-live-SECRET-0123456789"
const T0 = at(0)

const row = {
  id: "5f0e0000-0000-4000-8000-000000000001",
  user_id: "user-1",
  channel: "cli",
  status: "completed",
  created_at: "2025-11-26T10:00:00Z",
  completed_at: "2025-11-26T10:00:06Z",
  input_text: "read README.md"
}

const withSecrets: ReadonlyArray<ExecutionEvent> = [
  sample.message(0),
  sample.plan(1),
  Events.approvalRequested({
    action: "file_write notes.md",
    risk_level: "Write",
    tool: "file_write",
    description: "write a file",
    input: { path: "notes.md", password: SECRET },
    step_index: 0,
    timestamp: at(2)
  }),
  sample.approvalReceived(true, 3),
  Events.toolInvoked({
    tool: "http_get",
    input: { url: "https://x", headers: { Authorization: `Bearer ${SECRET}` } },
    timestamp: at(4)
  }),
  Events.toolCompleted({
    tool: "http_get",
    output: { success: true, output: { body: "ok", api_key: SECRET }, error: null },
    duration_ms: 1500,
    timestamp: at(65)
  }),
  Events.toolCompleted({
    tool: "file_read",
    output: { success: false, output: null, error: `denied token=${SECRET}` },
    duration_ms: 7,
    timestamp: at(66)
  }),
  Events.errorOccurred({
    error: `boom with password=${SECRET}`,
    error_type: "Permission",
    recoverable: false,
    timestamp: at(67)
  }),
  Events.responseSent({ text: `done, secret=${SECRET}`, channel: "cli", timestamp: at(3600 + 5) })
]

describe("elapsed", () => {
  it("is [mm:ss] since the first event, minutes growing past 59, a minus for earlier times", () => {
    expect(elapsed(T0, T0)).toBe("[00:00]")
    expect(elapsed(T0, at(65))).toBe("[01:05]")
    expect(elapsed(T0, at(3605))).toBe("[60:05]")
    expect(elapsed(at(10), at(9))).toBe("[-00:01]")
    expect(elapsed(T0, Timestamp.unsafeMake("2025-11-26T10:00:00.999999999Z"))).toBe("[00:00]")
  })
})

describe("durations and one-line text", () => {
  it("reads as ms, seconds, minutes", () => {
    expect(duration(12)).toBe("12ms")
    expect(duration(1500)).toBe("1.5s")
    expect(duration(42_000)).toBe("42s")
    expect(duration(125_000)).toBe("2m05s")
  })

  it("collapses whitespace and cuts long text with an ellipsis", () => {
    expect(oneLine("a\n  b\tc")).toBe("a b c")
    expect(oneLine("x".repeat(200), 10)).toBe("x".repeat(9) + "…")
  })
})

describe("formatEvent", () => {
  const lines = formatEvents(withSecrets)

  it("gives each event type its icon, in store order, with elapsed times from the first", () => {
    expect(lines.map((l) => l.slice(0, 7))).toEqual([
      "[00:00]",
      "[00:01]",
      "[00:02]",
      "[00:03]",
      "[00:04]",
      "[01:05]",
      "[01:06]",
      "[01:07]",
      "[60:05]"
    ])
    expect(lines[0]).toContain(`${ICONS.MessageReceived} message from user-1 via cli: read README.md`)
    expect(lines[1]).toContain(
      `${ICONS.PlanGenerated} plan: read README.md — 1 step (file_read), risk Read, no approval needed; rules, 0 tokens`
    )
    expect(lines[2]).toContain(
      `${ICONS.ApprovalRequested} approval requested (Write) step 1: file_write — write a file`
    )
    expect(lines[3]).toContain(`${ICONS.ApprovalReceived} approved`)
    expect(lines[4]).toContain(`${ICONS.ToolInvoked} http_get`)
    expect(lines[5]).toContain(`${ICONS.ToolCompleted} http_get ok in 1.5s`)
    expect(lines[6]).toContain(`${ICONS.ToolFailed} file_read failed in 7ms: denied token=***MASKED***`)
    expect(lines[7]).toContain(`${ICONS.ErrorOccurred} Permission error (fatal): boom with password=***MASKED***`)
    expect(lines[8]).toContain(`${ICONS.ResponseSent} response via cli: done, secret=***MASKED***`)
    expect(formatEvent(sample.approvalReceived(false, 1), T0)).toBe(`[00:01] ${ICONS.ApprovalDeclined} declined`)
    expect(formatEvent(sample.error(true, 2), T0)).toBe(
      `[00:02] ${ICONS.ErrorOccurred} Internal error (recoverable): boom`
    )
  })

  it("prints masked copies only: no raw secret in any line", () => {
    for (const line of lines) expect(line).not.toContain(SECRET)
    expect(lines.join("\n")).toContain("***MASKED***")
  })

  it("prints the masked copy even when it differs from a re-masking of the raw input", () => {
    const event: ExecutionEvent = {
      type: "ToolInvoked",
      tool: "exec",
      input: { cmd: "raw-only" },
      input_masked: { cmd: "the masked copy" },
      timestamp: at(1)
    }
    const line = formatEvent(event, T0)
    expect(line).toContain("the masked copy")
    expect(line).not.toContain("raw-only")
  })

  it("says so when there are no events", () => {
    expect(formatEvents([])).toEqual(["(no events)"])
  })
})

describe("header and time travel", () => {
  it("heads the timeline with id, user, channel, status, created and completed", () => {
    expect(formatHeader(row)).toEqual([
      `Execution ${row.id}`,
      "  user:      user-1",
      "  channel:   cli",
      "  status:    completed",
      "  created:   2025-11-26T10:00:00Z",
      "  completed: 2025-11-26T10:00:06Z (6.0s)",
      "  message:   read README.md"
    ])
    expect(formatTimeline(row, [sample.message(0)]).slice(-2)).toEqual([
      "",
      `[00:00] ${ICONS.MessageReceived} message from user-1 via cli: read README.md`
    ])
  })

  it("shows the folded state after N events: pending approval (masked) and open tools", () => {
    const first3 = withSecrets.slice(0, 3)
    const text = formatStateAt(row, Execution.fold(first3), first3, withSecrets.length).join("\n")
    expect(text).toContain("after 3 of 9 events")
    expect(text).toContain("status:           running")
    expect(text).toContain("pending approval: file_write notes.md — file_write")
    expect(text).not.toContain(SECRET)
    const first5 = withSecrets.slice(0, 5)
    expect(formatStateAt(row, Execution.fold(first5), first5, 9).join("\n")).toContain("open tools:       http_get")
    const none = formatStateAt(row, Execution.fold([]), [], 9).join("\n")
    expect(none).toContain("status:           pending")
    expect(none).toContain("(no events yet)")
  })

  it("masks the message text of the header", () => {
    const text = formatHeader({ ...row, input_text: `use api_key=${SECRET}` }).join("\n")
    expect(text).not.toContain(SECRET)
    expect(sampleMessage().text).toBe("read README.md")
  })
})

describe("--full", () => {
  it("describeEvent with full: true cuts nothing that the default cuts", () => {
    const long = `read ${"a very long file name ".repeat(10)}END`
    const event = sample.toolInvoked("file_read")
    const invoked = { ...event, input_masked: { path: long } } as typeof event
    expect(describeEvent(invoked).summary).toContain("…")
    expect(describeEvent(invoked, { full: true }).summary).toBe(`file_read ${JSON.stringify({ path: long })}`)
  })
})
