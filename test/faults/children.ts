/** Spawning the fault suite's child processes and reading their line protocol. */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { prng } from "../support/prng.js"

export { prng }

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url))

/** A fresh temp folder, removed at process exit. */
export const tempDir = (prefix = "cratos-faults-"): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface Child {
  readonly process: ChildProcess
  /** Complete lines received so far (parsed JSON). */
  readonly lines: Array<unknown>
  /** Everything written on stderr. */
  stderr(): string
  /** Resolves when `n` complete lines have arrived (rejects if the child exits first). */
  waitForLines(n: number, timeoutMs?: number): Promise<void>
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

/** The child scripts the suite's global setup (buildChildren.ts) bundles. */
export const CHILD_SCRIPTS = ["test/faults/appendLoop.ts", "test/faults/concurrentWriter.ts"] as const

/** Where buildChildren.ts writes the bundle of `script`. */
export const childBundle = (script: string): string =>
  path.join(repoRoot, "node_modules", ".cache", "cratos-fault-children", `${path.basename(script, ".ts")}.cjs`)

/**
 * Runs `script` with `args` from the repo root: its bundle (built by the suite's global setup) with
 * plain `node`, or `node --import tsx <script>` when there is none (a run without that setup).
 * Stdout is read as JSON lines.
 */
export const spawnChild = (
  script: string,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv = process.env
): Child => {
  const bundle = childBundle(script)
  const entry = fs.existsSync(bundle) ? [bundle] : ["--import", "tsx", path.join(repoRoot, script)]
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"]
  })
  const lines: Array<unknown> = []
  let pending = ""
  let err = ""
  let waiters: Array<() => void> = []
  const notify = () => {
    const w = waiters
    waiters = []
    for (const f of w) f()
  }
  child.stdout!.setEncoding("utf8")
  child.stdout!.on("data", (d: string) => {
    pending += d
    let nl: number
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl)
      pending = pending.slice(nl + 1)
      if (line.trim() !== "") lines.push(JSON.parse(line))
    }
    notify()
  })
  child.stderr!.setEncoding("utf8")
  child.stderr!.on("data", (d: string) => (err += d))
  let done = false
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // "close": stdout is drained too, so `lines` is final (an unterminated last line is dropped).
    child.on("close", (code, signal) => {
      done = true
      notify()
      resolve({ code, signal })
    })
  })
  const waitForLines = (n: number, timeoutMs = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} lines; stderr: ${err}`)), timeoutMs)
      const check = () => {
        if (lines.length >= n) {
          clearTimeout(timer)
          resolve()
        } else if (done) {
          clearTimeout(timer)
          reject(new Error(`child exited after ${lines.length} of ${n} lines; stderr: ${err}`))
        } else waiters.push(check)
      }
      check()
    })
  return { process: child, lines, stderr: () => err, waitForLines, exited }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
