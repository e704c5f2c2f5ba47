/**
 * A writer SIGKILLed in the middle of an execution (issue 15): the next commands close it as
 * failed, exactly once even when two of them notice together, and its tool child does not outlive it.
 */
import { describe, expect, it, vi } from "@effect/vitest"
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { BIN, cratos, ROOT, tempDir } from "./harness.js"

describe("abandoned executions", () => {
  it("a SIGKILLed run is closed as failed with exactly one 'abandoned' error by two list commands at once; its tool child is killed", async () => {
    const dir = tempDir("cratos-abandoned-")
    const file = path.join(dir, "a.db")
    const workspace = fs.mkdtempSync(path.join(dir, "ws-"))
    const args = ["run", "run touch started.mark; sleep 30", "--approve", "yes", "--db", file, "--workspace", workspace]
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "ignore"] })
    await vi.waitFor(() => expect(fs.existsSync(path.join(workspace, "started.mark"))).toBe(true), {
      timeout: 60_000,
      interval: 100
    })
    const sleeper = () => spawnSync("pgrep", ["-f", "started.mark; sleep 30"], { encoding: "utf8" }).stdout.trim()
    expect(sleeper()).not.toBe("")
    child.kill("SIGKILL")
    await new Promise((resolve) => child.on("close", resolve))
    // SIGKILL ran no finalizer: the tool's shell is still there, the execution still `running`
    expect(sleeper()).not.toBe("")

    const [a, b] = await Promise.all([
      cratos(["list", "--json"], { db: file }),
      cratos(["list", "--json"], { db: file })
    ])
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, "", ""])
    for (const listed of [a, b]) {
      // each list reads after its own sweep or waits for the other's: both see it closed
      const rows = JSON.parse(listed.stdout)
      expect(rows.map((r: { status: string }) => r.status)).toEqual(["failed"])
    }
    const shown = JSON.parse((await cratos(["show", "last", "--json"], { db: file })).stdout)
    expect(shown.execution.status).toBe("failed")
    const types = shown.events.map((e: { event: { type: string } } | { type: string }) =>
      "event" in e ? e.event.type : e.type
    )
    expect(types.filter((t: string) => t === "ErrorOccurred")).toHaveLength(1)
    expect(types.at(-1)).toBe("ResponseSent")
    expect(JSON.stringify(shown.events).match(/abandoned: its writer stopped/g)).toHaveLength(1)
    expect(sleeper()).toBe("")
  }, 120_000)
})
