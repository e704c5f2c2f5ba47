/**
 * A tool's children never outlive a stopped `cratos` (issue 15): `cratos run` runs an exec step
 * whose shell starts two children, then gets SIGINT, SIGTERM or SIGHUP; it records the execution
 * as interrupted and, once it has exited, neither child is left.
 */
import { describe, expect, it, vi } from "@effect/vitest"
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { BIN, cratos, ROOT, tempDir } from "./harness.js"

vi.setConfig({ testTimeout: 120_000 })

/** The processes (not zombies: their command line is gone) whose whole command line is `pattern`. */
const running = (pattern: string) =>
  spawnSync("pgrep", ["-x", "-f", pattern], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean)

describe("the children of a running tool", () => {
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)(
    "%s stops cratos and both children of its exec step: none survives",
    async (signal) => {
      const dir = tempDir("cratos-children-")
      const file = path.join(dir, "c.db")
      const workspace = fs.mkdtempSync(path.join(dir, "ws-"))
      // unique durations name this test's children
      const [a, b] = signal === "SIGINT" ? [301, 302] : signal === "SIGTERM" ? [303, 304] : [305, 306]
      const command = `run touch started.mark; sleep ${a} & sleep ${b} & wait`
      const child = spawn(process.execPath, [BIN, "run", command, "--approve", "yes", "--db", file], {
        cwd: workspace,
        stdio: ["ignore", "ignore", "pipe"]
      })
      let stderr = ""
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
      await vi.waitFor(
        () => {
          expect(fs.existsSync(path.join(workspace, "started.mark"))).toBe(true)
          expect(running(`sleep ${a}`)).toHaveLength(1)
          expect(running(`sleep ${b}`)).toHaveLength(1)
        },
        { timeout: 60_000, interval: 100 }
      )
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
      child.kill(signal)
      expect(await exited).toBe(130)
      expect(stderr).not.toMatch(/internal error|at .*\.(c|m)?js/)
      expect([running(`sleep ${a}`), running(`sleep ${b}`)]).toEqual([[], []])
      const shown = JSON.parse((await cratos(["show", "last", "--json"], { db: file, cwd: ROOT })).stdout)
      expect(shown.execution.status).toBe("failed")
    }
  )
})
