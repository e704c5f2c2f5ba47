import { readFile } from "node:fs/promises"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { commandEnv } from "./Exec.js"
import { runTool, tempDir } from "./testing.js"

/** Whether a process is still running (a zombie waiting to be reaped counts as gone). */
const isAlive = async (pid: number): Promise<boolean> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8")
    return !/^\d+ \(.*\) [ZX]/.test(stat)
  } catch {
    return false
  }
}

describe("exec", () => {
  it.scopedLive("runs in the workspace and captures stdout and stderr", () =>
    Effect.gen(function* () {
      const ws = yield* tempDir()
      const ok = Either.getOrThrow(yield* runTool("exec", { command: "pwd; echo oops >&2" }, { workspace: ws }))
      expect(ok.output).toEqual({ exit_code: 0, signal: null, stdout: `${ws}\n`, stderr: "oops\n", truncated: false })
      expect(ok.text).toBe(`${ws}\noops\n`)
    })
  )

  it.scopedLive("a non-zero exit fails the step and keeps the output", () =>
    Effect.gen(function* () {
      const ws = yield* tempDir()
      const failed = yield* runTool("exec", { command: "echo partial; exit 3" }, { workspace: ws })
      expect(Either.isLeft(failed)).toBe(true)
      if (Either.isLeft(failed)) {
        expect(failed.left.errorType).toBe("Internal")
        expect(failed.left.reason).toBe("the command exited with code 3")
        expect(failed.left.output).toMatchObject({ exit_code: 3, stdout: "partial\n" })
      }
    })
  )

  it.scopedLive("caps stdout with a note", () =>
    Effect.gen(function* () {
      const ws = yield* tempDir()
      const ok = Either.getOrThrow(
        yield* runTool(
          "exec",
          { command: "head -c 5000 /dev/zero | tr '\\0' a" },
          { workspace: ws, limits: { outputBytes: 100 } }
        )
      )
      expect(ok.output).toMatchObject({ truncated: true })
      expect(ok.text).toBe("a".repeat(100) + "\n… [truncated: showing 100 of 5000 bytes]")
    })
  )

  it.scopedLive("a timeout kills the whole process group", () =>
    Effect.gen(function* () {
      const ws = yield* tempDir()
      const started = Date.now()
      const result = yield* runTool(
        "exec",
        { command: "sleep 30 & echo $! > child.pid; echo $$ > shell.pid; wait" },
        { workspace: ws, timeouts: { exec: "500 millis" } }
      )
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(Either.isLeft(result) && result.left.errorType).toBe("Timeout")
      expect(Either.isLeft(result) && result.left.reason).toBe("exec timed out after 500ms")
      const shell = Number(yield* Effect.promise(() => readFile(path.join(ws, "shell.pid"), "utf8")))
      const child = Number(yield* Effect.promise(() => readFile(path.join(ws, "child.pid"), "utf8")))
      // SIGKILL is delivered asynchronously: give the kernel a moment
      yield* Effect.promise(() => new Promise((r) => setTimeout(r, 200)))
      expect(yield* Effect.promise(() => isAlive(shell))).toBe(false)
      expect(yield* Effect.promise(() => isAlive(child))).toBe(false)
    })
  )

  it.scopedLive("what the command leaves in the background ends with the shell and does not stall the step", () =>
    Effect.gen(function* () {
      const ws = yield* tempDir()
      const started = Date.now()
      const ok = Either.getOrThrow(
        yield* runTool("exec", { command: "sleep 30 & echo $! > bg.pid; echo started" }, { workspace: ws })
      )
      expect(ok.text).toBe("started\n")
      expect(Date.now() - started).toBeLessThan(5_000)
      const bg = Number(yield* Effect.promise(() => readFile(path.join(ws, "bg.pid"), "utf8")))
      yield* Effect.promise(() => new Promise((r) => setTimeout(r, 200)))
      expect(yield* Effect.promise(() => isAlive(bg))).toBe(false)
    })
  )

  it("does not pass secret-looking variables to commands", () => {
    const env = commandEnv({ PATH: "/bin", CRATOS_LLM_API_KEY: "sk-x", GITHUB_TOKEN: "t", HOME: "/h" })
    expect(env).toEqual({ PATH: "/bin", HOME: "/h" })
  })
})
