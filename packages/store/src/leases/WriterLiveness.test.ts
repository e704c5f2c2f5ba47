import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { currentWriter, type Lease } from "./WriterLeases.js"
import { isLeasedChild, isWriterAlive, procInfo } from "./WriterLiveness.js"

const me = currentWriter()
const lease = (over: Partial<Lease>): Lease => ({
  executionId: "e",
  pid: me.pid,
  host: me.host,
  processStartedAt: me.processStartedAt,
  heartbeatAt: 0,
  children: [],
  ...over
})
const ctx = { host: me.host, nowMs: 1_000_000, staleAfterMs: 60_000 }

describe("isWriterAlive", () => {
  it("a running process on this host that started when the lease says is alive, whatever its heartbeat", () => {
    expect(isWriterAlive(lease({ heartbeatAt: 0 }), ctx)).toBe(true)
  })

  it("a process that has exited is dead at once", () => {
    const exited = spawnSync(process.execPath, ["-e", "0"]).pid
    expect(isWriterAlive(lease({ pid: exited, heartbeatAt: ctx.nowMs }), ctx)).toBe(false)
  })

  it.runIf(procInfo(process.pid) !== undefined)("a reused pid (another start time) is a dead writer", () => {
    expect(isWriterAlive(lease({ processStartedAt: me.processStartedAt - 60_000 }), ctx)).toBe(false)
  })

  it("on another host only the heartbeat counts: dead once older than the bound", () => {
    const other = { host: "elsewhere", pid: 1 }
    expect(isWriterAlive(lease({ ...other, heartbeatAt: ctx.nowMs - 60_000 }), ctx)).toBe(true)
    expect(isWriterAlive(lease({ ...other, heartbeatAt: ctx.nowMs - 60_001 }), ctx)).toBe(false)
  })

  it.runIf(procInfo(process.pid) !== undefined)("reads this process's start time from /proc near Node's own", () => {
    expect(Math.abs(procInfo(process.pid)!.startedAt - performance.timeOrigin)).toBeLessThan(3000)
  })
})

describe("isLeasedChild", () => {
  it.runIf(procInfo(process.pid) !== undefined)(
    "only the child the lease names: not an exited one, not a reused pid",
    () => {
      const started = procInfo(process.pid)!.startedAt
      expect(isLeasedChild({ pgid: process.pid, startedAt: started })).toBe(true)
      expect(isLeasedChild({ pgid: process.pid, startedAt: started - 60_000 })).toBe(false)
      const exited = spawnSync(process.execPath, ["-e", "0"]).pid
      expect(isLeasedChild({ pgid: exited, startedAt: started })).toBe(false)
    }
  )
})
