/**
 * `exec`: runs a command with `/bin/sh -c` in the workspace, in its own process group, capturing
 * stdout and stderr up to the output limit each. When the run is interrupted (its timeout) the
 * whole group is killed with SIGKILL. The group also ends with the shell: whatever the command
 * left running in the background is killed when the shell exits (nothing outlives the step, and a
 * background child holding the pipes open cannot stall it). A non-zero exit is a failed step that
 * keeps the output.
 *
 * The environment is the agent's minus every variable whose name looks secret (the seed's
 * sensitive key list: `*TOKEN*`, `*API_KEY*`, `*SECRET*`, …), so a command cannot print the
 * LLM key or other credentials the agent holds.
 */
import { spawn } from "node:child_process"
import { isSensitiveKey } from "@cratos/domain"
import { Effect, FiberRef, Schema } from "effect"
import { ChildProcessGroup } from "@cratos/store"
import { defineTool } from "./defineTool.js"
import { internal, ToolError, validation } from "./ToolError.js"
import { decodeCapped } from "./truncate.js"

const Input = Schema.Struct({ command: Schema.String })

/** The environment a command sees: no variable with a secret-looking name. */
export const commandEnv = (env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([key]) => !isSensitiveKey(key)))

class CappedBuffer {
  private readonly chunks: Array<Buffer> = []
  private size = 0
  total = 0
  constructor(private readonly cap: number) {}
  push(chunk: Buffer) {
    this.total += chunk.length
    if (this.size >= this.cap) return
    const part = chunk.subarray(0, this.cap - this.size)
    this.chunks.push(part)
    this.size += part.length
  }
  text() {
    return decodeCapped(Buffer.concat(this.chunks, this.size), this.total > this.size, this.total)
  }
}

const killGroup = (pid: number | undefined) => {
  if (pid === undefined) return
  try {
    process.kill(-pid, "SIGKILL")
  } catch {
    // already gone
  }
}

/**
 * The process groups of every exec child running in this process (steps run side by side). The
 * interruption of a step kills its group; this is the net under it: whatever is still here when
 * the process exits (after Ctrl-C, SIGTERM or SIGHUP were handled, or on any other exit that runs
 * exit handlers) is killed, so no tool child outlives `cratos`. SIGKILL runs nothing: then the
 * writer's lease names the groups (`writer_lease_children`) and the next command kills them.
 */
const liveGroups = new Set<number>()
let exitNet = false
const watchGroups = () => {
  if (exitNet) return
  exitNet = true
  process.once("exit", () => {
    for (const pgid of liveGroups) killGroup(pgid)
  })
}

interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: CappedBuffer
  readonly stderr: CappedBuffer
}

const runShell = (
  command: string,
  cwd: string,
  cap: number,
  reportGroup: (pgid: number, running: boolean) => void
): Effect.Effect<Finished, ToolError> =>
  Effect.async<Finished, ToolError>((resume) => {
    watchGroups()
    const stdout = new CappedBuffer(cap)
    const stderr = new CappedBuffer(cap)
    let child
    try {
      child = spawn("/bin/sh", ["-c", command], {
        cwd,
        env: commandEnv(),
        detached: true, // its own process group, so a timeout can kill everything it started
        stdio: ["ignore", "pipe", "pipe"]
      })
    } catch (e) {
      resume(Effect.fail(internal(`cannot start /bin/sh: ${e instanceof Error ? e.message : String(e)}`)))
      return
    }
    const pid = child.pid
    if (pid !== undefined) {
      liveGroups.add(pid)
      reportGroup(pid, true)
    }
    let done = false
    const finish = (result: Effect.Effect<Finished, ToolError>) => {
      if (done) return
      done = true
      if (pid !== undefined) {
        liveGroups.delete(pid)
        reportGroup(pid, false)
      }
      resume(result)
    }
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk))
    child.once("error", (e) => finish(Effect.fail(internal(`cannot run the command: ${e.message}`))))
    // the shell is done: end what it left behind, so the pipes close and "close" follows
    child.once("exit", () => killGroup(pid))
    child.once("close", (code, signal) => finish(Effect.succeed({ code, signal, stdout, stderr })))
    return Effect.sync(() => killGroup(pid))
  })

export const Exec = defineTool({
  name: "exec",
  summary: "run a shell command (/bin/sh -c) in the workspace",
  input: Input,
  run: ({ command }, ctx) =>
    Effect.gen(function* () {
      if (command.trim().length === 0) return yield* validation("exec needs a command")
      const reportGroup = yield* FiberRef.get(ChildProcessGroup)
      const done = yield* runShell(command, ctx.workspace, ctx.limits.outputBytes, reportGroup)
      const stdout = done.stdout.text()
      const stderr = done.stderr.text()
      const output = {
        exit_code: done.code,
        signal: done.signal,
        stdout: stdout.text,
        stderr: stderr.text,
        truncated: stdout.truncated || stderr.truncated
      }
      const shown = [stdout.text, stderr.text].filter((t) => t.length > 0).join(stdout.text.endsWith("\n") ? "" : "\n")
      if (done.code !== 0) {
        return yield* new ToolError({
          errorType: "Internal",
          reason:
            done.signal !== null
              ? `the command was killed by ${done.signal}`
              : `the command exited with code ${done.code}`,
          output,
          text: shown
        })
      }
      return { output, text: shown.length === 0 ? "(no output)" : shown }
    })
})
