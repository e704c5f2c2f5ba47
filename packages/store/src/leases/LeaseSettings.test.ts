import { describe, expect, it } from "@effect/vitest"
import { leaseSettingsFromEnv } from "./LeaseSettings.js"

describe("leaseSettingsFromEnv", () => {
  it("reads positive integers and leaves anything else to the defaults", () => {
    expect(leaseSettingsFromEnv({ CRATOS_WRITER_HEARTBEAT_MS: "250", CRATOS_WRITER_STALE_MS: "9000" })).toEqual({
      heartbeatMs: 250,
      staleAfterMs: 9000
    })
    expect(leaseSettingsFromEnv({})).toEqual({})
    expect(leaseSettingsFromEnv({ CRATOS_WRITER_HEARTBEAT_MS: "0", CRATOS_WRITER_STALE_MS: "1.5" })).toEqual({})
    expect(leaseSettingsFromEnv({ CRATOS_WRITER_HEARTBEAT_MS: "", CRATOS_WRITER_STALE_MS: "soon" })).toEqual({})
  })
})
