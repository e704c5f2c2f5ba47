/**
 * The real `cratos` CLI for the browser tests: `cratos run` fills a temporary database, and
 * `cratos serve --port 0` serves the API and the built UI from it.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..")
const BIN = join(ROOT, "apps", "agent", "bin", "cratos.mjs")
/**
 * `cratos serve` is the server's own bin until the CLI declares the command (the integrator wires
 * it into `cratos`); the same program either way.
 */
const SERVE = join(ROOT, "apps", "server", "bin", "cratos-serve.mjs")
const exec = promisify(execFile)

const env = (extra: Record<string, string> = {}) => ({ ...process.env, USER: "alice", NO_COLOR: "1", ...extra })

/** `cratos ARGS…` to its end: stdout, stderr. Fails on a non-zero exit. */
export const cratos = async (args: ReadonlyArray<string>): Promise<{ stdout: string; stderr: string }> =>
  exec(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(), maxBuffer: 64 * 1024 * 1024 })

/** `cratos ARGS…` in the background; `exit` resolves with its code. */
export const cratosBackground = (args: ReadonlyArray<string>) => {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(), stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, exit, output: () => ({ stdout, stderr }) }
}

export interface Serve {
  readonly origin: string
  readonly loginLink: string
  readonly stop: () => Promise<number | null>
  readonly stderr: () => string
}

/** `cratos serve --port 0 --db DB [EXTRA…]`: resolves once it prints its login link. */
export const serve = (db: string, timeoutMs = 60_000, extra: ReadonlyArray<string> = []): Promise<Serve> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [SERVE, "--port", "0", "--db", db, ...extra], {
      cwd: ROOT,
      env: env(),
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stderr = ""
    const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`cratos serve printed no login link within ${timeoutMs} ms:\n${stderr}`))
    }, timeoutMs)
    child.on("exit", (code) => reject(new Error(`cratos serve exited (${code}):\n${stderr}`)))
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString()
      const link = /cratos: open (http:\/\/\S+\/\?token=\S+)/.exec(stderr)
      if (link !== null) {
        clearTimeout(timer)
        const url = new URL(link[1]!)
        resolve({
          origin: url.origin,
          loginLink: link[1]!,
          stderr: () => stderr,
          stop: async () => {
            child.kill("SIGTERM")
            return exit
          }
        })
      }
    })
    child.stdout!.resume()
  })
