import { Events } from "@cratos/domain"
import { at } from "@cratos/domain/testing"
import { describe, expect, it } from "vitest"
import { maskedPayload } from "./mask.js"

describe("maskedPayload", () => {
  it("shows a tool call's masked copies and never its raw input or output", () => {
    const secret = "Pl4nted-value-123"
    const invoked = Events.toolInvoked({
      tool: "http_get",
      input: { url: "https://x", api_key: secret },
      timestamp: at(1)
    })
    const completed = Events.toolCompleted({
      tool: "file_read",
      output: { success: true, output: `API_TOKEN=${secret}`, error: null },
      duration_ms: 1,
      timestamp: at(2)
    })
    for (const event of [invoked, completed]) {
      const shown = JSON.stringify(maskedPayload(event))
      expect(shown).not.toContain(secret)
      expect(shown).toContain(event.type === "ToolInvoked" ? '"input_masked"' : '"output_masked"')
    }
    const plan = { type: "PlanGenerated", plan: { password: secret } }
    expect(JSON.stringify(maskedPayload(plan))).not.toContain(secret)
  })
})
